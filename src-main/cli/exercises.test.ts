import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLabSpec } from '../lab/spec/load';

const ROOT = resolve(import.meta.dirname, '../..');
const LABS = join(ROOT, 'resources/labs');
const files = readdirSync(LABS).filter((f) => f.endsWith('.yaml'));

function check(file: string, ...extra: string[]) {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'bin/netlab.mjs'), 'check', join(LABS, file), ...extra],
    {
      encoding: 'utf8',
    },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the built-in exercises', { timeout: 120_000 }, () => {
  it('are at least eight, each a valid lab with an exercise', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) {
      const r = parseLabSpec(readFileSync(join(LABS, f), 'utf8'), f);
      expect(r.errors, f).toBeUndefined();
      expect(r.spec!.exercise?.checks.length, f).toBeGreaterThan(0);
    }
  });

  for (const file of files) {
    const spec = parseLabSpec(readFileSync(join(LABS, file), 'utf8'), file).spec!;
    const hasSolution = spec.exercise?.solution !== undefined;
    it(`${file}: every check passes ${hasSolution ? 'after the solution' : 'as the lab runs'}`, () => {
      const r = hasSolution ? check(file, '--solution') : check(file);
      expect(r.err).toBe('');
      const n = spec.exercise!.checks.length;
      expect(r.out).toContain(`${n}/${n} checks passed`);
      expect(r.out).not.toContain('FAIL');
      expect(r.code).toBe(0);
    });
    if (hasSolution) {
      it(`${file}: without the solution some check fails, and the command says so`, () => {
        const r = check(file);
        expect(r.out).toContain('FAIL');
        expect(r.code).toBe(1);
      });
    }
  }
});
