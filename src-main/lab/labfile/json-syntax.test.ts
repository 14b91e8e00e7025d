import { describe, expect, it } from 'vitest';
import { Rng } from '../sim/rng';
import { checkJsonSyntax } from './json-syntax';

const accepts = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('checkJsonSyntax', () => {
  it.each([
    '{}',
    '[]',
    ' { "a" : [ 1, -2.5e+3, 0, 0.0, 1E9, true, false, null, "" ] } ',
    '"just a string"',
    '-0',
    '{"esc": "\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00", "é": "ü"}',
    '[[[[]]], {"a": {"b": {}}}]',
    '\n\t{\r\n"a":1}\n',
  ])('accepts %s', (text) => {
    expect(accepts(text)).toBe(true);
    expect(checkJsonSyntax(text)).toBeNull();
  });

  it.each([
    [
      '',
      0,
      'expected a value (an object, list, string, number, true, false or null), got the end of the file',
    ],
    ['{', 1, 'expected a key in double quotes, got the end of the file'],
    ['[1,]', 3, "expected a value after ',' (JSON allows no trailing comma)"],
    ['[1 2]', 3, "expected ',' or ']', got \"2\""],
    ["{'a': 1}", 1, 'expected a key in double quotes, got "\'"'],
    ['{"a" 1}', 5, 'expected \':\' after the key, got "1"'],
    ['"a\\qb"', 2, 'invalid escape \\q in a string'],
    ['"\\u12"', 1, 'expected four hex digits after \\u'],
    ['"a\nb"', 2, 'control character in a string (write it as an escape such as \\n)'],
    ['01', 1, 'unexpected "1" after the end of the value'],
    ['+1', 0, 'expected a value (an object, list, string, number, true, false or null), got "+"'],
    ['NaN', 0, 'expected a value (an object, list, string, number, true, false or null), got "N"'],
    ['{"a": 1, "a": 2}', 9, 'duplicate key "a"'],
    ['[[[1]]]', 2, 'nested more than 2 levels deep', 2],
  ] as [string, number, string, number?][])(
    'refuses %j at %d',
    (text, offset, message, depth = 64) => {
      expect(checkJsonSyntax(text, depth)).toEqual({ offset, message });
    },
  );

  it('agrees with JSON.parse on thousands of mutated texts', () => {
    const rng = new Rng(5);
    const base =
      '{"name": "x", "hosts": [{"name": "h0", "n": [1, -2.5e3, true, null]}], "s": "a\\nb"}';
    const alphabet = '{}[]",:. -+eE0123456789abtrufnl\\\n';
    for (let n = 0; n < 5000; n++) {
      const chars = [...base];
      const edits = 1 + (rng.nextU32() % 3);
      for (let k = 0; k < edits; k++) {
        const at = rng.nextU32() % (chars.length + 1);
        const c = alphabet[rng.nextU32() % alphabet.length];
        const op = rng.nextU32() % 3;
        if (op === 0) chars.splice(at, 1);
        else if (op === 1) chars.splice(at, 0, c);
        else chars[at] = c;
      }
      const text = chars.join('');
      const ours = checkJsonSyntax(text);
      // Duplicate keys are ours alone to refuse.
      if (ours?.message.startsWith('duplicate key')) continue;
      expect(ours === null, text).toBe(accepts(text));
    }
  });
});
