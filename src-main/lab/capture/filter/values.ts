import { EMPTY_BYTES } from '../../wire/bytes';

/**
 * The occurrences of one operand in one frame: a field can occur several
 * times (`ip.addr`, `udp.port`, the headers an ICMP error quotes, IGMPv3
 * records), so every comparison runs over a set, as Wireshark's does.
 *
 * Each occurrence has a number (for numeric fields: integers, flags, IPv4
 * addresses, the 48-bit MAC key, times), its bytes as [start, start + size)
 * in `buf` (every field has a range; a slice narrows it), the end of the
 * bytes a protocol carries (`ext`, for `contains`), and, for text fields, a
 * string. The arrays are made once per operand at compile time and reused
 * for every frame.
 */
export class Values {
  n = 0;
  buf: Uint8Array = EMPTY_BYTES;
  readonly num: Float64Array;
  readonly start: Int32Array;
  readonly size: Int32Array;
  readonly ext: Int32Array;
  readonly str: string[];

  constructor(readonly capacity = 1024) {
    this.num = new Float64Array(capacity);
    this.start = new Int32Array(capacity);
    this.size = new Int32Array(capacity);
    this.ext = new Int32Array(capacity);
    this.str = [];
  }

  /** Adds an occurrence; past the capacity the rest are ignored (a frame has far fewer). */
  push(num: number, start: number, size: number, ext = start + size): void {
    const i = this.n;
    if (i === this.capacity) return;
    this.num[i] = num;
    this.start[i] = start;
    this.size[i] = size;
    this.ext[i] = ext;
    this.n = i + 1;
  }

  pushString(s: string): void {
    const i = this.n;
    if (i === this.capacity) return;
    this.str[i] = s;
    this.start[i] = 0;
    this.size[i] = 0;
    this.ext[i] = 0;
    this.n = i + 1;
  }
}

/** memcmp: <0, 0, >0 as `a` sorts before, equal to, after `b` (a shorter prefix sorts first). */
export function compareBytes(
  a: Uint8Array,
  aStart: number,
  aSize: number,
  b: Uint8Array,
  bStart: number,
  bSize: number,
): number {
  const n = aSize < bSize ? aSize : bSize;
  for (let i = 0; i < n; i++) {
    const d = a[aStart + i] - b[bStart + i];
    if (d !== 0) return d;
  }
  return aSize - bSize;
}

/** True when `needle` occurs in `hay[start, end)`. An empty needle is found everywhere. */
export function containsBytes(
  hay: Uint8Array,
  start: number,
  end: number,
  needle: Uint8Array,
): boolean {
  const n = needle.length;
  if (n === 0) return true;
  const first = needle[0];
  for (let i = start; i + n <= end; i++) {
    if (hay[i] !== first) continue;
    let j = 1;
    while (j < n && hay[i + j] === needle[j]) j++;
    if (j === n) return true;
  }
  return false;
}

/**
 * A byte-string literal as Wireshark reads one: hex pairs separated by `:`,
 * `.` or `-` (`01:00:5e`, `ffff.ffff.ffff` as groups of pairs), or a run of
 * pairs with no separator (`01005e`), or one byte of one or two hex digits
 * (`1`, `ff`), or `0x..` up to 0xff (one byte). Null when it is none of these.
 */
export function parseBytesLiteral(text: string): Uint8Array | null {
  if (/^0x[0-9a-f]{1,2}$/i.test(text)) return Uint8Array.of(parseInt(text.slice(2), 16));
  if (/^[0-9a-f]{1,2}$/i.test(text)) return Uint8Array.of(parseInt(text, 16));
  let digits: string;
  if (/^[0-9a-f]{2}([:.-][0-9a-f]{2})+$/i.test(text)) {
    const sep = text[2];
    if (text.split(sep).some((p) => p.length !== 2)) return null;
    digits = text.split(sep).join('');
  } else if (/^[0-9a-f]{4}(\.[0-9a-f]{4})+$/i.test(text)) {
    digits = text.split('.').join('');
  } else if (/^([0-9a-f]{2})+$/i.test(text)) {
    digits = text;
  } else {
    return null;
  }
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * An unsigned integer literal as Wireshark reads one (strtoul with base 0):
 * decimal, `0x` hex, `0b` binary, and a leading 0 means octal (`010` is 8).
 * Null when the text is not one.
 */
export function parseIntegerLiteral(text: string): number | null {
  let v: number;
  if (/^0x[0-9a-f]+$/i.test(text)) v = parseInt(text.slice(2), 16);
  else if (/^0b[01]+$/i.test(text)) v = parseInt(text.slice(2), 2);
  else if (/^0[0-7]+$/.test(text)) v = parseInt(text.slice(1), 8);
  else if (/^(0|[1-9][0-9]*)$/.test(text)) v = Number(text);
  else return null;
  return Number.isSafeInteger(v) ? v : null;
}

/** A decimal number, possibly fractional or with an exponent, or an integer literal. */
export function parseNumberLiteral(text: string): number | null {
  const int = parseIntegerLiteral(text);
  if (int !== null) return int;
  if (/^([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]+)?$/i.test(text)) return Number(text);
  return null;
}

/** A string's UTF-8 bytes, for `contains` and `==` against bytes (no TextEncoder in the lab core). */
export function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else
      out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}
