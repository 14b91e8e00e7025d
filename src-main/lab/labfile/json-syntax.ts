/**
 * A strict JSON syntax check that says where the first error is, the same way
 * on every engine (JSON.parse's messages and positions differ between them, and
 * some give none). It builds nothing: JSON.parse does that once this passes.
 * It is iterative, so hostile nesting cannot overflow the stack, and it
 * refuses nesting deeper than `maxDepth` and duplicate keys.
 */

export interface JsonSyntaxError {
  /** Offset in the text (UTF-16 units) where the problem is. */
  offset: number;
  message: string;
}

const WS = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

interface Frame {
  kind: 'object' | 'array';
  keys: Set<string>;
}

export function checkJsonSyntax(src: string, maxDepth = 64): JsonSyntaxError | null {
  let i = 0;
  const stack: Frame[] = [];
  const fail = (message: string, at = i): JsonSyntaxError => ({ offset: at, message });
  const skipWs = () => {
    while (i < src.length && WS.has(src[i])) i++;
  };
  const show = (at: number) =>
    at >= src.length ? 'the end of the file' : JSON.stringify(src.slice(at, at + 1));

  /** Reads a string at `i` (on its opening quote); returns it, or an error. */
  const readString = (): string | JsonSyntaxError => {
    const start = i;
    i++;
    let out = '';
    for (;;) {
      if (i >= src.length) return fail('unterminated string', start);
      const c = src[i];
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = src[i + 1];
        if (e === 'u') {
          HEX4.lastIndex = i + 2;
          if (!HEX4.test(src)) return fail('expected four hex digits after \\u');
          out += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        if (e === undefined || !ESCAPES.has(e))
          return fail(`invalid escape \\${e ?? ''} in a string`);
        out += e;
        i += 2;
        continue;
      }
      if (c < ' ') return fail('control character in a string (write it as an escape such as \\n)');
      out += c;
      i++;
    }
  };

  /** Reads one scalar value or opens a container; null when a container was opened. */
  const readValue = (): JsonSyntaxError | null | 'opened' => {
    skipWs();
    const c = src[i];
    if (c === '{' || c === '[') {
      if (stack.length >= maxDepth) return fail(`nested more than ${maxDepth} levels deep`);
      stack.push({ kind: c === '{' ? 'object' : 'array', keys: new Set() });
      i++;
      return 'opened';
    }
    if (c === '"') {
      const s = readString();
      return typeof s === 'string' ? null : s;
    }
    for (const word of ['true', 'false', 'null']) {
      if (src.startsWith(word, i)) {
        i += word.length;
        return null;
      }
    }
    NUMBER.lastIndex = i;
    if (c !== undefined && /[-\d]/.test(c) && NUMBER.test(src)) {
      i = NUMBER.lastIndex;
      return null;
    }
    return fail(
      `expected a value (an object, list, string, number, true, false or null), got ${show(i)}`,
    );
  };

  /** After `{` or `,` in an object: a key, a colon; leaves `i` before the value. */
  const readKey = (frame: Frame): JsonSyntaxError | null => {
    skipWs();
    if (src[i] !== '"') return fail(`expected a key in double quotes, got ${show(i)}`);
    const at = i;
    const key = readString();
    if (typeof key !== 'string') return key;
    if (frame.keys.has(key)) return fail(`duplicate key ${JSON.stringify(key)}`, at);
    frame.keys.add(key);
    skipWs();
    if (src[i] !== ':') return fail(`expected ':' after the key, got ${show(i)}`);
    i++;
    return null;
  };

  let r = readValue();
  for (;;) {
    if (r !== null && r !== 'opened') return r;
    let frame = stack[stack.length - 1];
    if (r === 'opened') {
      // Just inside a container: it may be empty.
      skipWs();
      const close = frame.kind === 'object' ? '}' : ']';
      if (src[i] === close) {
        i++;
        stack.pop();
        r = null;
        if (stack.length === 0) break;
        continue;
      }
      if (frame.kind === 'object') {
        const e = readKey(frame);
        if (e) return e;
      }
      r = readValue();
      continue;
    }
    // A value just ended.
    if (stack.length === 0) break;
    skipWs();
    frame = stack[stack.length - 1];
    const close = frame.kind === 'object' ? '}' : ']';
    if (src[i] === ',') {
      i++;
      skipWs();
      if (src[i] === close)
        return fail(
          `expected ${frame.kind === 'object' ? 'a key' : 'a value'} after ',' (JSON allows no trailing comma)`,
        );
      if (frame.kind === 'object') {
        const e = readKey(frame);
        if (e) return e;
      }
      r = readValue();
      continue;
    }
    if (src[i] === close) {
      i++;
      stack.pop();
      if (stack.length === 0) break;
      continue;
    }
    return fail(`expected ',' or '${close}', got ${show(i)}`);
  }
  skipWs();
  if (i < src.length) return fail(`unexpected ${show(i)} after the end of the value`);
  return null;
}
