import type { Rng } from '../sim/rng';

/**
 * Mutations of files for fuzzing the readers of lab files and captures: the
 * damage of a bad disk or a bad editor (flipped bytes, cut files) and of a
 * hostile author (deep nesting, huge numbers, wrong types, alias bombs).
 * Each takes the seeded `Rng`, so an input that fails can be made again.
 */

/** Values that are the wrong type or out of every range, as YAML/JSON scalars or collections. */
const WRONG_VALUES = [
  '1e309',
  '-1e309',
  '99999999999999999999999999999999',
  '-0',
  '0x7fffffffffffffff',
  '.nan',
  '.inf',
  'NaN',
  'Infinity',
  '1e-400',
  '4294967296',
  '-1',
  '0',
  'true',
  'null',
  '~',
  '[]',
  '{}',
  '[1, 2, 3]',
  '{ a: 1 }',
  '""',
  '"x"',
  "'\\u0000'",
  '"\\ud800"',
  '9007199254740993',
  '1.5',
  '100Gbps',
  '-5ms',
  '1e3pps',
  '0pps',
  '18446744073709551616us',
  '!!binary aGVsbG8=',
  '!!js/function "x"',
  '&a 1',
  '*a',
  '<<: *a',
];

/** One mutation of a lab file's text; returns the text and what was done. */
export function mutateText(text: string, rng: Rng, json: boolean): [string, string] {
  const n = text.length;
  const at = rng.int(n + 1);
  switch (rng.int(14)) {
    case 0: {
      // Flip a few characters to random ones (any code point below 0x250, control characters too).
      const chars = [...text];
      const k = 1 + rng.int(5);
      for (let i = 0; i < k; i++)
        chars[rng.int(chars.length)] = String.fromCharCode(rng.int(0x250));
      return [chars.join(''), 'char-flips'];
    }
    case 1:
      return [text.slice(0, at), 'truncated'];
    case 2: {
      // Deep nesting in flow style, from a little past the limit to far past it.
      const depth = [65, 100, 1000, 20000][rng.int(4)];
      const open = rng.chance(0.5) ? '[' : json ? '{"a":' : '{a: ';
      const close = open === '[' ? ']' : '}';
      const closed = rng.chance(0.7);
      const nest = open.repeat(depth) + '1' + (closed ? close.repeat(depth) : '');
      return [replaceValue(text, rng, nest), `nesting-${depth}${closed ? '' : '-unclosed'}`];
    }
    case 3: {
      if (json) return [replaceValue(text, rng, deepJsonArray(rng)), 'nesting-json'];
      // Deep block nesting: a sequence of sequences, one level per line.
      const depth = [70, 300, 3000][rng.int(3)];
      let block = '\n';
      for (let i = 1; i <= depth; i++) block += `${' '.repeat(i)}- \n`;
      return [text.slice(0, at) + block + text.slice(at), `block-nesting-${depth}`];
    }
    case 4:
    case 5:
    case 6: {
      const v = WRONG_VALUES[rng.int(WRONG_VALUES.length)];
      return [
        replaceValue(text, rng, json && !/^[[{"\d-]/.test(v) ? JSON.stringify(v) : v),
        `value ${v}`,
      ];
    }
    case 7: {
      // A line removed, doubled or moved.
      const lines = text.split('\n');
      const i = rng.int(lines.length);
      const k = rng.int(3);
      if (k === 0) lines.splice(i, 1);
      else if (k === 1) lines.splice(i, 0, lines[i]);
      else lines.splice(rng.int(lines.length), 0, ...lines.splice(i, 1));
      return [lines.join('\n'), ['line-removed', 'line-doubled', 'line-moved'][k]];
    }
    case 8: {
      // Indentation changed on one line (YAML's structure is its indentation).
      const lines = text.split('\n');
      const i = rng.int(lines.length);
      lines[i] = rng.chance(0.5)
        ? ' '.repeat(1 + rng.int(4)) + lines[i]
        : lines[i].replace(/^\s+/, '');
      if (rng.chance(0.2)) lines[i] = '\t' + lines[i];
      return [lines.join('\n'), 'indentation'];
    }
    case 9: {
      // A YAML alias bomb (billion laughs), or in JSON a key repeated many times.
      if (json) {
        const keys = Array.from({ length: 5000 }, (_, i) => `"k${i % 7}": ${i}`).join(',');
        return [replaceValue(text, rng, `{${keys}}`), 'many-duplicate-keys'];
      }
      let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
      for (let i = 1; i < 9; i++)
        bomb += `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]\n`;
      return [bomb + text, 'alias-bomb'];
    }
    case 10: {
      // A long string, or a file just past the size limit.
      const big = 'x'.repeat(rng.chance(0.5) ? 100_000 : 300_000);
      return [
        replaceValue(text, rng, json ? JSON.stringify(big) : big),
        `long-string-${big.length}`,
      ];
    }
    case 11: {
      // Encodings: a BOM, CRLF, NUL bytes, lone surrogates.
      const k = rng.int(4);
      if (k === 0) return ['\ufeff' + text, 'bom'];
      if (k === 1) return [text.replace(/\n/g, '\r\n'), 'crlf'];
      if (k === 2) return [text.slice(0, at) + '\u0000' + text.slice(at), 'nul'];
      return [text.slice(0, at) + '\ud800' + text.slice(at), 'lone-surrogate'];
    }
    case 12: {
      // A host or interface list repeated many times (limits on counts).
      const times = [20, 300][rng.int(2)];
      const m = /hosts:/.exec(text);
      if (!m || json) return [text + text, 'doubled'];
      return [
        text.replace(
          /\n(\s*)- name: (\S+)/,
          (_s, sp: string, name: string) =>
            Array.from({ length: times }, (_, i) => `\n${sp}- name: ${name}x${i}`).join('') +
            `\n${sp}- name: ${name}`,
        ),
        `hosts-x${times}`,
      ];
    }
    default: {
      // Random bytes spliced in.
      let junk = '';
      const k = 1 + rng.int(40);
      for (let i = 0; i < k; i++) junk += String.fromCharCode(rng.int(128));
      return [text.slice(0, at) + junk + text.slice(at), 'junk'];
    }
  }
}

/** Replaces one scalar value (after a `: ` or in a list) with `value`. */
function replaceValue(text: string, rng: Rng, value: string): string {
  const re = /(:\s+|\[\s*|,\s*|-\s+)([^\s,\]}[{][^,\]}\n]*)/g;
  const spots: [number, number][] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    spots.push([m.index + m[1].length, m.index + m[0].length]);
  }
  if (spots.length === 0) return text + value;
  const [from, to] = spots[rng.int(spots.length)];
  return text.slice(0, from) + value + text.slice(to);
}

function deepJsonArray(rng: Rng): string {
  const depth = [65, 500, 50000][rng.int(3)];
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** One mutation of a binary file (a capture); returns the bytes and what was done. */
export function mutateBytes(
  bytes: Uint8Array,
  rng: Rng,
  fieldOffsets: number[],
): [Uint8Array, string] {
  const n = bytes.length;
  switch (rng.int(9)) {
    case 0: {
      const out = bytes.slice();
      const k = 1 + rng.int(8);
      for (let i = 0; i < k; i++) out[rng.int(n)] ^= 1 << rng.int(8);
      return [out, 'bit-flips'];
    }
    case 1:
      return [bytes.slice(0, rng.int(n + 1)), 'truncated'];
    case 2:
    case 3: {
      // A length or header field (the reader's structure) set to something hostile.
      const out = bytes.slice();
      const at = fieldOffsets.length > 0 ? fieldOffsets[rng.int(fieldOffsets.length)] : rng.int(n);
      const values = [0, 1, 3, 0x7fffffff, 0xffffffff, 0x80000000, 12, 28, 31, 65535, 262145];
      const v = rng.chance(0.8) ? values[rng.int(values.length)] : rng.nextU32();
      const little = rng.chance(0.5);
      for (let i = 0; i < 4 && at + i < n; i++)
        out[at + i] = little ? (v >>> (8 * i)) & 0xff : (v >>> (24 - 8 * i)) & 0xff;
      return [out, 'field'];
    }
    case 4: {
      // A stretch of the file repeated (duplicate records or blocks).
      const from = rng.int(n);
      const len = Math.min(n - from, 1 + rng.int(200));
      const out = new Uint8Array(n + len);
      const at = rng.int(n + 1);
      out.set(bytes.subarray(0, at));
      out.set(bytes.subarray(from, from + len), at);
      out.set(bytes.subarray(at), at + len);
      return [out, 'duplicated-stretch'];
    }
    case 5: {
      // A stretch cut out of the middle.
      const from = rng.int(n);
      const len = Math.min(n - from, 1 + rng.int(200));
      const out = new Uint8Array(n - len);
      out.set(bytes.subarray(0, from));
      out.set(bytes.subarray(from + len), from);
      return [out, 'cut-stretch'];
    }
    case 6: {
      // Random bytes appended (a file with trailing garbage).
      const extra = 1 + rng.int(100);
      const out = new Uint8Array(n + extra);
      out.set(bytes);
      for (let i = n; i < out.length; i++) out[i] = rng.int(256);
      return [out, 'trailing-garbage'];
    }
    case 7: {
      // The magic number changed: sometimes still a capture (the other byte order), sometimes not.
      const out = bytes.slice();
      out[rng.int(Math.min(4, n))] = rng.int(256);
      return [out, 'magic'];
    }
    default: {
      // A run of zeros or 0xff over a stretch.
      const out = bytes.slice();
      const from = rng.int(n);
      out.fill(rng.chance(0.5) ? 0 : 0xff, from, Math.min(n, from + 1 + rng.int(64)));
      return [out, 'overwritten-stretch'];
    }
  }
}
