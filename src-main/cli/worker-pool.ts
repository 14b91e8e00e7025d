// A pool of worker threads that runs independent tasks, a few at a time, and reports each
// task's result by its index. The caller decides what order to show them in: the pool's
// finishing order depends on the machine and must not leak into what a command prints.
import { parentPort, Worker } from 'node:worker_threads';

/** A task's end: what the worker answered, or why its thread died while on it. */
export type TaskOutcome<R> = { result: R } | { died: string };

/** What the pool posts to a worker: the task and its index, echoed in the answer. */
export interface PoolRequest<T> {
  index: number;
  task: T;
}
export interface PoolAnswer<R> {
  index: number;
  result: R;
}

/**
 * The script a worker runs. From the bundle (`out-cli/`) it is the compiled `NAME.mjs` beside
 * main.mjs; from the TypeScript sources (NETLAB_TSX=1, tests), `dev-NAME.mjs`, which registers
 * tsx's loader in the new thread first (a loader registered in this thread does not reach it).
 */
export function workerScript(name: string, mainUrl: string): URL {
  return new URL(mainUrl.endsWith('.ts') ? `./dev-${name}.mjs` : `./${name}.mjs`, mainUrl);
}

/**
 * Runs every task on at most `size` workers of `script`, calling `done` once for each task as it
 * ends. A worker that dies (an uncaught exception, an exit, out of memory) fails only the task
 * it held; a fresh worker takes its place while tasks remain.
 */
export function runPool<T, R>(
  script: URL,
  tasks: readonly T[],
  size: number,
  done: (index: number, outcome: TaskOutcome<R>) => void,
): Promise<void> {
  return new Promise((resolve) => {
    let next = 0;
    let ended = 0;
    if (tasks.length === 0) return resolve();
    const start = () => {
      const worker = new Worker(script);
      let held: number | null = null;
      let error: Error | null = null;
      const feed = () => {
        if (next >= tasks.length) {
          held = null;
          void worker.terminate();
          return;
        }
        held = next++;
        worker.postMessage({ index: held, task: tasks[held] } satisfies PoolRequest<T>);
      };
      const finish = (index: number, outcome: TaskOutcome<R>) => {
        done(index, outcome);
        if (++ended === tasks.length) resolve();
      };
      worker.on('message', (answer: PoolAnswer<R>) => {
        if (answer.index !== held) return;
        finish(answer.index, { result: answer.result });
        feed();
      });
      worker.on('error', (e) => (error = e));
      worker.on('exit', (code) => {
        if (held === null) return;
        const index = held;
        held = null;
        finish(index, { died: error?.message ?? `its thread exited with code ${code}` });
        if (next < tasks.length) start();
      });
      feed();
    };
    for (let i = 0; i < Math.min(size, tasks.length); i++) start();
  });
}

/** A worker's side of the pool: answers each task it is posted with `handle`'s result. */
export function servePool<T, R>(handle: (task: T) => Promise<R>): void {
  const port = parentPort;
  if (!port) throw new Error('servePool: not in a worker thread');
  port.on('message', async ({ index, task }: PoolRequest<T>) => {
    port.postMessage({ index, result: await handle(task) } satisfies PoolAnswer<R>);
  });
}
