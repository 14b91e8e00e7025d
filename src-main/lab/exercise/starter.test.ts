// A driver exercise's starter made from the card's reference driver: the regions it names are
// replaced by their stubs, the others kept, every marker dropped; a region that is not there,
// or markers that do not pair, are errors naming the file and line. Every shipped driver
// exercise's starter differs from its reference only where its regions are.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_DRIVERS } from '../drivers/cards';
import { parseLabSpec } from '../labfile/load';
import { isRegisterCard } from '../labfile/schema/hosts';
import { deriveStarter, markedRegions, withStarter } from './starter';

const REFERENCE = [
  'const A = 1;',
  'function f(k, dev) {',
  '  // exercise: body',
  '  return A + 1;',
  '  // exercise end: body',
  '}',
  '// exercise: g',
  'function g() {}',
  '// exercise end: g',
  '',
].join('\n');

describe('deriveStarter', () => {
  it('replaces the regions named, keeps the others, and drops every marker', () => {
    const text = deriveStarter(
      { file: 'ref.js', source: REFERENCE },
      {
        file: 'mine.js',
        header: 'Exercise: f.\n\nWrite it.\n',
        replace: { body: '// TODO\nreturn 0;\n' },
      },
    );
    expect(text).toBe(
      [
        '// Exercise: f.',
        '//',
        '// Write it.',
        '//',
        'const A = 1;',
        'function f(k, dev) {',
        '  // TODO',
        '  return 0;',
        '}',
        'function g() {}',
        '',
      ].join('\n'),
    );
  });

  it('names a region the reference does not mark, and markers that do not pair', () => {
    expect(() =>
      deriveStarter(
        { file: 'ref.js', source: REFERENCE },
        { file: 'm.js', replace: { nope: 'x' } },
      ),
    ).toThrow('ref.js marks no region "nope" (it marks: body, g)');
    expect(() => markedRegions('// exercise: a\n// exercise: b\n', 'r.js')).toThrow(
      'r.js:2: region "b" opens inside "a" (line 1): regions do not nest',
    );
    expect(() => markedRegions('// exercise: a\n', 'r.js')).toThrow(
      'r.js:1: region "a" is never closed',
    );
    expect(() => markedRegions('// exercise: a\n// exercise end: b\n', 'r.js')).toThrow(
      'r.js:2: "exercise end: b" closes "a"',
    );
  });

  it('reads the student’s own file when the lab’s folder holds one', () => {
    const spec = parseLabSpec(
      readFileSync(join(LABS, 'driver-tulip-stats.yaml'), 'utf8'),
      'driver-tulip-stats.yaml',
    ).spec!;
    const read = withStarter(
      spec,
      (file, card) => ({
        file: file ?? REFERENCE_DRIVERS[card],
        source: file === null ? readFileSync(join(DRIVERS, 'tulip.js'), 'utf8') : 'mine',
      }),
      (file) => file === 'saved.js',
    );
    expect(read('driver-tulip-stats.js', 'tulip').source).toContain('// Exercise: getStats.');
    expect(read('driver-tulip-stats.js', 'tulip').source).toContain('TODO');
    spec.exercise!.starter!.file = 'saved.js';
    expect(read('saved.js', 'tulip').source).toBe('mine');
  });
});

const RESOURCES = join(import.meta.dirname, '..', '..', '..', 'resources');
const LABS = join(RESOURCES, 'labs');
const DRIVERS = join(RESOURCES, 'drivers');

describe('the shipped driver exercises', () => {
  const labs = readdirSync(LABS).filter((f) => f.endsWith('.yaml'));
  const starters = labs.flatMap((f) => {
    const spec = parseLabSpec(readFileSync(join(LABS, f), 'utf8'), f).spec!;
    const starter = spec.exercise?.starter;
    if (!starter) return [];
    const nic = spec.hosts
      .flatMap((h) => h.interfaces ?? [])
      .find((i) => i.driver?.file === starter.file)?.nic;
    return [{ f, starter, nic }];
  });

  it('has at least six, each made from the reference of the card that runs it', () => {
    expect(starters.length).toBeGreaterThanOrEqual(6);
    for (const { f, starter, nic } of starters) {
      expect(nic !== undefined && isRegisterCard(nic), f).toBe(true);
      if (nic === undefined || !isRegisterCard(nic)) continue;
      const file = REFERENCE_DRIVERS[nic];
      const source = readFileSync(join(DRIVERS, file), 'utf8');
      const text = deriveStarter({ file, source }, starter);
      // Differs from the reference, carries a TODO, and leaves no marker for the student.
      expect(text, f).not.toBe(source);
      expect(text, f).toContain('TODO');
      expect(text, f).not.toMatch(/\/\/ exercise( end)?:/);
    }
  });
});
