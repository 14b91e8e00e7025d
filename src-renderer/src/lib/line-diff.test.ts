// The solution's diff against the student's driver: hunks as diff -u shows them.
import { describe, expect, it } from 'vitest';
import { diffHunks } from './line-diff';

const render = (a: string, b: string, context?: number) =>
  diffHunks(a, b, context).map((h) => [h.header, ...h.lines.map((l) => l.kind + l.text)]);

describe('diffHunks', () => {
  it('shows a line replaced and lines added, with their context and diff -u headers', () => {
    const a = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join('\n');
    const b = ['a', 'b', 'C', 'd', 'e', 'f', 'g', 'h', 'i', 'i2', 'j'].join('\n');
    expect(render(a, b, 1)).toEqual([
      ['@@ -2,3 +2,3 @@', ' b', '-c', '+C', ' d'],
      ['@@ -9,2 +9,3 @@', ' i', '+i2', ' j'],
    ]);
  });

  it('joins changes whose context overlaps, and finds none between equal texts', () => {
    expect(render('a\nb\nc\nd', 'A\nb\nc\nD', 1)).toEqual([
      ['@@ -1,4 +1,4 @@', '-a', '+A', ' b', ' c', '-d', '+D'],
    ]);
    expect(render('same\ntext', 'same\ntext')).toEqual([]);
  });

  it('agrees with diff -u on a TODO stub replaced by its body', () => {
    const a = 'function f(k) {\n  // TODO\n  return 0;\n}\n';
    const b = 'function f(k) {\n  const x = k.read();\n  return x;\n}\n';
    expect(render(a, b)).toEqual([
      [
        '@@ -1,4 +1,4 @@',
        ' function f(k) {',
        '-  // TODO',
        '-  return 0;',
        '+  const x = k.read();',
        '+  return x;',
        ' }',
      ],
    ]);
  });
});
