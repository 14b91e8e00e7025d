import {
  applySolutionDrivers,
  evaluateChecks,
  parseAnswer,
  runSolution,
  type Answers,
  type CheckResult,
} from '../lab/exercise';
import { SECOND } from '../lab/sim/time';
import type { ExerciseSpec } from '../lab/labfile/schema';
import { CliError, EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK } from './errors';
import { driverReportText } from './drivers';
import { durationOption, startSession } from './load-lab';
import { forTerminal } from './terminal-text';

export interface CheckOptions {
  for?: string;
  seed?: string;
  solution?: boolean;
  /** `id=value`, repeatable: the student's answers to the exercise's questions. */
  answer?: string[];
}

/**
 * `netlab check LAB`: runs an exercise's lab (after its solution, with
 * --solution), then prints PASS or FAIL for each of its checks. Exit 0 when all pass.
 */
export function checkCommand(labPath: string, opts: CheckOptions): number {
  // A driver exercise's solution is a driver: it is in place before the lab is built.
  const session = startSession(labPath, opts.seed, undefined, (spec) => {
    const drivers = opts.solution ? spec.exercise?.solution?.drivers : undefined;
    if (drivers) applySolutionDrivers(spec, drivers);
  });
  try {
    const exercise = session.built.spec.exercise;
    if (!exercise)
      throw new CliError(`${labPath}: the lab has no exercise to check`, EXIT_BAD_INPUT);
    const answers = answersFrom(exercise, opts.answer ?? []);
    // Titles and values come from the lab file: printed with their control characters escaped.
    const print = (line: string) => process.stdout.write(forTerminal(line) + '\n');
    print(`${exercise.title}`);
    if (opts.solution) {
      if (!exercise.solution)
        throw new CliError(`${labPath}: the exercise has no solution`, EXIT_BAD_INPUT);
      for (const line of runSolution(session, exercise.solution.steps ?? [])) print(`  ${line}`);
      Object.assign(answers, exercise.solution.answers);
    }
    const duration = opts.for ? durationOption('--for', opts.for) : (exercise.run ?? SECOND);
    session.run(duration);
    const results = evaluateChecks(session, exercise, answers);
    const drivers = driverReportText(session.lab);
    if (drivers) process.stderr.write(forTerminal(drivers) + '\n');
    for (const r of results) print(verdictLine(r));
    const passed = results.filter((r) => r.pass).length;
    print(`${passed}/${results.length} checks passed`);
    return passed === results.length ? EXIT_OK : EXIT_FAILURE;
  } finally {
    session.close();
  }
}

/** One check's verdict as `check` and `grade` print it. */
export function verdictLine(r: CheckResult & { pending?: boolean }): string {
  if (r.pass) return `PASS ${r.title}`;
  if (r.pending) return `PENDING ${r.title}: the exercise was not run`;
  return `FAIL ${r.title}: expected ${r.expected}, got ${r.actual}`;
}

/** `--answer id=value` options as answers, each checked against its question. */
function answersFrom(exercise: ExerciseSpec, options: readonly string[]): Answers {
  const answers: Answers = {};
  const questions = exercise.questions ?? [];
  for (const option of options) {
    const eq = option.indexOf('=');
    const id = eq < 0 ? option : option.slice(0, eq);
    const q = questions.find((x) => x.id === id);
    if (eq < 0 || !q) {
      const ids = questions.map((x) => x.id).join(', ') || 'none';
      throw new CliError(
        `--answer ${JSON.stringify(option)}: expected ID=VALUE with ID one of the questions (${ids})`,
        EXIT_BAD_INPUT,
      );
    }
    const r = parseAnswer(q, option.slice(eq + 1));
    if ('error' in r) throw new CliError(`--answer ${id}: ${r.error}`, EXIT_BAD_INPUT);
    answers[id] = r.value;
  }
  return answers;
}
