// `netlab grade ATTEMPT...|DIR`: re-runs handed-in attempts (grade-attempt.ts replays and
// grades one), one after another in this thread or on a pool of worker threads. This module
// loads no lab code itself: with a pool, only the threads do.
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { CliError, EXIT_BAD_INPUT, EXIT_OK } from './errors';
import type { GradeLine } from './grade-attempt';
import { runPool, workerScript } from './worker-pool';

/** The attempt files a command line names: files as given, and each directory's `*.attempt.yaml`. */
export function attemptPaths(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    let dir = false;
    try {
      dir = statSync(arg).isDirectory();
    } catch {
      // Not there: readAttempt says so for this path.
    }
    if (!dir) {
      out.push(arg);
      continue;
    }
    const files = readdirSync(arg)
      .filter((f) => f.endsWith('.attempt.yaml'))
      .sort();
    if (files.length === 0)
      throw new CliError(`${arg}: no *.attempt.yaml files in this directory`, EXIT_BAD_INPUT);
    out.push(...files.map((f) => join(arg, f)));
  }
  return out;
}

export interface GradeOptions {
  /** Attempts graded at once, each on a worker thread; 1 grades them in this process. */
  jobs?: string;
}

/**
 * `--jobs`: a whole number of threads, at least one. The default is half the cores: V8's
 * compiler and collector threads already keep about half a core more busy for each grading
 * thread (48 attempts with `--jobs 1`: 2.9 s of CPU in 1.9 s), so on 2 cores a second thread
 * only adds its own warm-up (bench/README.md, "Grading a class on the cores").
 */
function parseJobs(jobs: string | undefined): number {
  if (jobs === undefined) return Math.max(1, Math.floor(availableParallelism() / 2));
  if (!/^[1-9][0-9]{0,3}$/.test(jobs))
    throw new CliError(
      `--jobs: expected a whole number from 1 to 9999, got "${jobs}"`,
      EXIT_BAD_INPUT,
    );
  return Number(jobs);
}

/**
 * Grades each attempt. One file: its checks as `netlab check` prints them, then whether they
 * agree with the window. Several (or a directory): one line each, in the order given, graded
 * on a pool of worker threads (`--jobs`, default half the cores) since each attempt replays on an
 * engine of its own; what is printed does not depend on the pool's size or which ends first.
 * Exit 0 when every attempt was graded, 2 when one could not be (its line says why).
 *
 * `mainUrl` is the command's entry (main.ts or the bundle's main.mjs): the worker's script is
 * found beside it.
 */
export async function gradeCommand(
  args: readonly string[],
  opts: GradeOptions = {},
  mainUrl?: string,
): Promise<number> {
  const print = (line: string) => process.stdout.write(line + '\n');
  const jobs = parseJobs(opts.jobs);
  const paths = attemptPaths(args);
  // One file named: its checks in full. A folder, even of one attempt: a line each.
  if (paths.length === 1 && paths[0] === args[0])
    return (await import('./grade-attempt')).gradeOne(paths[0]);
  const threads = Math.min(jobs, paths.length);
  let graded = 0;
  const show = (l: GradeLine) => {
    if (l.graded) graded++;
    print(l.line);
  };
  if (threads <= 1 || mainUrl === undefined) {
    const { gradeLine } = await import('./grade-attempt');
    for (const path of paths) show(await gradeLine(path));
  } else {
    // Lines are held until every attempt before them is printed.
    const lines: (GradeLine | undefined)[] = paths.map(() => undefined);
    let printed = 0;
    await runPool<string, GradeLine>(
      workerScript('grade-worker', mainUrl),
      paths,
      threads,
      (i, outcome) => {
        lines[i] =
          'result' in outcome
            ? outcome.result
            : {
                line: `${basename(paths[i])}  not graded: the grading thread died: ${outcome.died}`,
                graded: false,
              };
        while (printed < lines.length && lines[printed]) show(lines[printed++]!);
      },
    );
  }
  return graded === paths.length ? EXIT_OK : EXIT_BAD_INPUT;
}
