// One handed-in attempt, read, replayed and graded (see grade.ts for the command). Each attempt
// file holds the lab as the student loaded it, the journal of what they did (with the
// simulated time and event count of each step) and the verdicts the window showed. The lab is
// deterministic, so replaying the journal through the engine's own operation handlers,
// headless, rebuilds the lab they handed in; its checks then give the grade, compared with the
// verdicts they saw. `netlab grade`'s worker threads run this module, each on its own engine.
import { basename } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { Engine } from '../engine/engine';
import { ATTEMPT_VERSION } from '../engine/exercise-ops';
import { CliError, EXIT_BAD_INPUT, EXIT_OK } from './errors';
import { readFileBounded } from '../files/bounded-read';
import { verdictLine } from './check';
import { MAX_DRIVER_TEXT } from './drivers';
import { loadQuickJS } from '../lab/drivers/student/quickjs';

/** An attempt file is a lab plus a journal: larger than this is not one a student handed in. */
const MAX_ATTEMPT_BYTES = 16 * 1024 * 1024;

const attemptSchema = z.object({
  netlabAttempt: z.literal(ATTEMPT_VERSION, {
    error: `expected netlabAttempt: ${ATTEMPT_VERSION}`,
  }),
  student: z.string(),
  exercise: z.string(),
  file: z.string().min(1).max(255),
  seed: z.number().int().min(0).max(0xffffffff),
  end: z.object({ at: z.number().min(0), events: z.number().int().min(0) }),
  lab: z.record(z.string(), z.unknown()),
  /** The drivers the lab's register-level cards started with, by the engine's lookup key. */
  drivers: z.record(z.string().max(300), z.string().max(MAX_DRIVER_TEXT)).optional(),
  journal: z.array(
    z.object({
      at: z.number().min(0),
      events: z.number().int().min(0),
      op: z.string(),
      host: z.string().optional(),
      line: z.string().optional(),
      args: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  verdicts: z.array(
    z.object({ title: z.string(), pass: z.boolean(), pending: z.boolean().optional() }),
  ),
  hints: z.number().int().min(0),
  solutionShown: z.boolean(),
});

export type AttemptFile = z.infer<typeof attemptSchema>;

/** One attempt's grade: its checks now, and whether the window showed the same. */
export interface Grade {
  student: string;
  exercise: string;
  results: { title: string; pass: boolean; pending?: boolean; actual: string; expected: string }[];
  passed: number;
  /** Every verdict the same as the window's at hand-in (same checks, same pass or fail). */
  agrees: boolean;
  hints: number;
  solutionShown: boolean;
}

/** Reads and checks an attempt file; a bad one is a CliError naming the file and the field. */
export function readAttempt(path: string): AttemptFile {
  let text: string;
  try {
    // Sized before it is read, as lab files are.
    text = readFileBounded(path, MAX_ATTEMPT_BYTES, 'attempt file').toString('utf8');
  } catch (e) {
    throw new CliError((e as Error).message, EXIT_BAD_INPUT);
  }
  let data: unknown;
  try {
    data = parse(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new CliError(`${path}: not YAML: ${(e as Error).message}`, EXIT_BAD_INPUT);
  }
  const r = attemptSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    throw new CliError(`${path}: ${where}${issue.message}`, EXIT_BAD_INPUT);
  }
  return r.data;
}

/** Replays an attempt on a fresh engine and grades it. Throws a message naming what went wrong. */
export async function gradeAttempt(attempt: AttemptFile, path: string): Promise<Grade> {
  const ports = attempt.lab.ports;
  if (Array.isArray(ports) && ports.length > 0)
    throw new CliError(
      `${path}: the lab has external ports: its runs depend on what came from outside, so the attempt cannot be replayed`,
      EXIT_BAD_INPUT,
    );
  // Its cards run drivers (the attempt carries them): the sandbox is compiled before the build.
  if (attempt.drivers && Object.keys(attempt.drivers).length > 0) await loadQuickJS();
  const engine = new Engine(() => {});
  try {
    const text = JSON.stringify({ ...attempt.lab, seed: attempt.seed });
    try {
      engine.handle('lab.load', { text, fileName: attempt.file, drivers: attempt.drivers });
    } catch (e) {
      throw new CliError(`${path}: lab: ${(e as Error).message}`, EXIT_BAD_INPUT);
    }
    for (const [i, entry] of attempt.journal.entries()) {
      await engine.replay(entry, `${path}: journal[${i}]`);
    }
    engine.advanceTo(attempt.end.at, attempt.end.events, `${path}: end`);
    const check = engine.handle('exercise.check', {});
    const agrees =
      check.results.length === attempt.verdicts.length &&
      check.results.every(
        (r, i) =>
          r.title === attempt.verdicts[i].title &&
          r.pass === attempt.verdicts[i].pass &&
          (r.pending ?? false) === (attempt.verdicts[i].pending ?? false),
      );
    return {
      student: attempt.student,
      exercise: check.title,
      results: check.results,
      passed: check.passed,
      agrees,
      hints: attempt.hints,
      solutionShown: attempt.solutionShown,
    };
  } finally {
    engine.close();
  }
}

/** An attempt's line in a class's list: its grade, or why it could not be graded. */
export interface GradeLine {
  line: string;
  graded: boolean;
}

/** What an attempt's grade adds about the help the student had, e.g. `, 2 hints`. */
function helpNote(grade: Grade): string {
  return (
    (grade.hints > 0 ? `, ${grade.hints} hint${grade.hints === 1 ? '' : 's'}` : '') +
    (grade.solutionShown ? ', solution shown' : '')
  );
}

/** Grades one attempt of several: never throws, a failure is its line. */
export async function gradeLine(path: string): Promise<GradeLine> {
  const name = basename(path);
  try {
    const grade = await gradeAttempt(readAttempt(path), path);
    const agreement = grade.agrees ? 'agrees' : 'DIFFERS from the window';
    const n = grade.results.length;
    return { line: `${name}  ${grade.passed}/${n}  ${agreement}${helpNote(grade)}`, graded: true };
  } catch (e) {
    return { line: `${name}  not graded: ${(e as Error).message}`, graded: false };
  }
}

/** One attempt in full: each check, the total and the agreement with the window. */
export async function gradeOne(path: string): Promise<number> {
  const print = (line: string) => process.stdout.write(line + '\n');
  let grade: Grade;
  try {
    grade = await gradeAttempt(readAttempt(path), path);
  } catch (e) {
    throw e instanceof CliError ? e : new CliError((e as Error).message, EXIT_BAD_INPUT);
  }
  print(`${grade.exercise} (${grade.student})`);
  for (const r of grade.results) print(verdictLine(r));
  print(`${grade.passed}/${grade.results.length} checks passed${helpNote(grade)}`);
  print(
    grade.agrees
      ? 'agrees with the verdicts the window showed'
      : 'DIFFERS from the verdicts the window showed',
  );
  return EXIT_OK;
}
