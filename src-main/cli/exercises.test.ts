import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLabSpec } from '../lab/labfile/load';
import type { ExerciseSpec } from '../lab/labfile/schema';

const ROOT = resolve(import.meta.dirname, '../..');
const LABS = join(ROOT, 'resources/labs');
const files = readdirSync(LABS).filter((f) => f.endsWith('.yaml'));

function check(file: string, ...extra: string[]) {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'bin/netlab.mjs'), 'check', resolve(LABS, file), ...extra],
    { encoding: 'utf8' },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Each built-in lab's exercise, or undefined when the file does not load or has none. */
const exercises = new Map<string, ExerciseSpec | undefined>(
  files.map((f) => [f, parseLabSpec(readFileSync(join(LABS, f), 'utf8'), f).spec?.exercise]),
);

/** Whether the exercise asks for a prediction (a question answered before the run). */
const predicts = (e: ExerciseSpec) => e.kind === 'predict' || !!e.questions?.some((q) => q.predict);
/** Whether it asks for a diagnosis: its kind, or a question with a right answer found after running. */
const diagnoses = (e: ExerciseSpec) =>
  e.kind === 'diagnose' || !!e.questions?.some((q) => !q.predict && q.answer !== undefined);

describe('the built-in exercises', { timeout: 120_000 }, () => {
  it('are a curriculum of at least 20, in a distinct order, with 5 predictions and 5 diagnoses', () => {
    const all = [...exercises.values()].filter((e) => e !== undefined);
    expect(all.length).toBeGreaterThanOrEqual(20);
    const orders = all.map((e) => e.order);
    expect(new Set(orders).size, `orders ${orders.join(', ')}`).toBe(all.length);
    expect(all.filter(predicts).length).toBeGreaterThanOrEqual(5);
    expect(all.filter(diagnoses).length).toBeGreaterThanOrEqual(5);
  });

  for (const file of files) {
    describe(file, () => {
      it('is a valid lab whose exercise has everything a student and a teacher need', () => {
        const r = parseLabSpec(readFileSync(join(LABS, file), 'utf8'), file);
        expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
        const e = r.spec!.exercise!;
        expect(e, 'an exercise').toBeDefined();
        expect(e.summary?.trim(), 'summary').toBeTruthy();
        expect(e.level, 'level').toBeDefined();
        expect(e.order, 'order').toBeDefined();
        expect(e.kind, 'kind').toBeDefined();
        expect(e.hints?.length ?? 0, 'hints').toBeGreaterThanOrEqual(2);
        expect(e.solution, 'solution').toBeDefined();
        expect(e.explanation?.trim(), 'explanation').toBeTruthy();
        expect(e.run, 'run').toBeDefined();
        expect(e.checks.length).toBeGreaterThan(0);
        // Every question is graded by some check, and the solution answers each one.
        for (const q of e.questions ?? []) {
          expect(
            e.checks.some((c) => c.answer === q.id),
            `a check grades ${q.id}`,
          ).toBe(true);
          expect(e.solution?.answers?.[q.id], `the solution answers ${q.id}`).toBeDefined();
        }
      });

      it('fails as shipped: some check fails and the command exits 1', () => {
        const r = check(file);
        expect(r.err).toBe('');
        expect(r.out).toContain('FAIL');
        expect(r.code).toBe(1);
      });

      it('passes after its solution, steps and answers', () => {
        const r = check(file, '--solution');
        expect(r.err).toBe('');
        const n = exercises.get(file)?.checks.length ?? -1;
        expect(r.out).toContain(`${n}/${n} checks passed`);
        expect(r.out).not.toContain('FAIL');
        expect(r.code).toBe(0);
      });
    });
  }

  it("the authoring guide's worked example fails as shipped and passes with its solution, as shown", () => {
    const guide = readFileSync(join(LABS, 'README.md'), 'utf8');
    const example = /<!-- worked-example[^>]*-->\s*```yaml\n([\s\S]*?)```/.exec(guide)?.[1];
    expect(example, 'the worked example block').toBeDefined();
    const shown = /```console\n([\s\S]*?)```/.exec(guide)![1];
    const dir = mkdtempSync(join(tmpdir(), 'netlab-guide-'));
    try {
      const file = join(dir, 'card-down.yaml');
      writeFileSync(file, example!);
      const untouched = check(file);
      const solved = check(file, '--solution');
      expect(untouched.code).toBe(1);
      expect(solved.code).toBe(0);
      expect(`$ npx netlab check card-down.yaml\n${untouched.out}`).toBe(
        shown.slice(0, shown.indexOf('$ npx netlab check card-down.yaml --solution')),
      );
      expect(shown).toContain(`$ npx netlab check card-down.yaml --solution\n${solved.out}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
