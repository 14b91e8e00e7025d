/**
 * UTF-8 by hand: the lab core has neither TextEncoder nor TextDecoder. The encoder writes in
 * place (no allocation), so a writer can put a comment straight into its chunk.
 */

const REPLACEMENT = 0xfffd;

/** Bytes that `encodeUtf8Into` writes for `text`. A lone surrogate counts as U+FFFD. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Writes `text` as UTF-8 at `at` and returns the byte count. The room must be there. */
export function encodeUtf8Into(text: string, out: Uint8Array, at: number): number {
  let p = at;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[p++] = c;
      continue;
    }
    if (c < 0x800) {
      out[p++] = 0xc0 | (c >> 6);
      out[p++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && isLow(next)) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        out[p++] = 0xf0 | (cp >> 18);
        out[p++] = 0x80 | ((cp >> 12) & 0x3f);
        out[p++] = 0x80 | ((cp >> 6) & 0x3f);
        out[p++] = 0x80 | (cp & 0x3f);
        i++;
        continue;
      }
      c = REPLACEMENT;
    }
    out[p++] = 0xe0 | (c >> 12);
    out[p++] = 0x80 | ((c >> 6) & 0x3f);
    out[p++] = 0x80 | (c & 0x3f);
  }
  return p - at;
}

/** `text` as a new UTF-8 byte array. */
export function encodeUtf8(text: string): Uint8Array {
  const out = new Uint8Array(utf8Length(text));
  encodeUtf8Into(text, out, 0);
  return out;
}

/**
 * Decodes bytes[start, end) as UTF-8. Each malformed sequence (a stray continuation byte, a
 * truncated or overlong sequence, a surrogate, a code point past U+10FFFF) becomes U+FFFD.
 */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 1024) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (bytes[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    // Most text (names, the lab's comments) is ASCII: one call makes the string.
    if (ascii)
      return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  const units: number[] = [];
  let out = '';
  let i = start;
  while (i < end) {
    const b = bytes[i];
    let cp = REPLACEMENT;
    let len = 1;
    if (b < 0x80) {
      cp = b;
    } else if (b >= 0xc2 && b <= 0xf4) {
      const need = b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
      let v = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
      let k = 1;
      for (; k <= need && i + k < end; k++) {
        const cb = bytes[i + k];
        if ((cb & 0xc0) !== 0x80) break;
        v = (v << 6) | (cb & 0x3f);
      }
      if (k === need + 1) {
        const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000;
        if (v >= min && v <= 0x10ffff && !(v >= 0xd800 && v <= 0xdfff)) {
          cp = v;
          len = need + 1;
        } else len = need + 1;
      } else len = k;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
    } else units.push(cp);
    i += len;
    if (units.length >= 4096) {
      out += String.fromCharCode(...units);
      units.length = 0;
    }
  }
  return out + String.fromCharCode(...units);
}
