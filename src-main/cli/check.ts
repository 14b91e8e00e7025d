import { evaluateChecks, runSolution } from '../lab/spec/exercise';
import { SECOND } from '../lab/sim/time';
import { CliError, EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK } from './errors';
import { durationOption, startSession } from './load-lab';
import { forTerminal } from './terminal-text';

export interface CheckOptions {
  for?: string;
  seed?: string;
  solution?: boolean;
}

/**
 * `netlab check LAB`: runs an exercise's lab (after its solution, with
 * --solution), then prints PASS or FAIL for each of its checks. Exit 0 when all pass.
 */
export function checkCommand(labPath: string, opts: CheckOptions): number {
  const session = startSession(labPath, opts.seed);
  try {
    const exercise = session.built.spec.exercise;
    if (!exercise)
      throw new CliError(`${labPath}: the lab has no exercise to check`, EXIT_BAD_INPUT);
    // Titles and values come from the lab file: printed with their control characters escaped.
    const print = (line: string) => process.stdout.write(forTerminal(line) + '\n');
    print(`${exercise.title}`);
    if (opts.solution) {
      if (!exercise.solution)
        throw new CliError(`${labPath}: the exercise has no solution`, EXIT_BAD_INPUT);
      for (const line of runSolution(session, exercise.solution)) print(`  ${line}`);
    }
    const duration = opts.for ? durationOption('--for', opts.for) : (exercise.run ?? SECOND);
    session.run(duration);
    const results = evaluateChecks(session, exercise.checks);
    for (const r of results) {
      print(
        r.pass ? `PASS ${r.title}` : `FAIL ${r.title}: expected ${r.expected}, got ${r.actual}`,
      );
    }
    const passed = results.filter((r) => r.pass).length;
    print(`${passed}/${results.length} checks passed`);
    return passed === results.length ? EXIT_OK : EXIT_FAILURE;
  } finally {
    session.close();
  }
}
