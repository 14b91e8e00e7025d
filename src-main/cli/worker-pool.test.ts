import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPool, type TaskOutcome } from './worker-pool';

/** A worker that squares numbers, slowly for small ones, and dies on the tasks that ask it to. */
const SCRIPT = `
import { parentPort } from 'node:worker_threads';
parentPort.on('message', ({ index, task }) => {
  if (task === 'exit') process.exit(3);
  if (task === 'throw') throw new Error('a bug in the worker');
  setTimeout(() => parentPort.postMessage({ index, result: task * task }), 50 - 5 * task);
});
`;

describe('the worker pool', { timeout: 30_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'netlab-pool-'));
  const script = pathToFileURL(join(dir, 'square.mjs'));
  writeFileSync(script, SCRIPT);

  async function run(tasks: unknown[], size: number) {
    const outcomes: TaskOutcome<number>[] = [];
    const order: number[] = [];
    await runPool<unknown, number>(script, tasks, size, (i, outcome) => {
      expect(outcomes[i]).toBeUndefined();
      outcomes[i] = outcome;
      order.push(i);
    });
    return { outcomes, order };
  }

  it('answers every task once, by its index, whatever order they end in', async () => {
    const tasks = [1, 2, 3, 4, 5, 6, 7, 8];
    const { outcomes, order } = await run(tasks, 3);
    expect(outcomes).toEqual(tasks.map((t) => ({ result: t * t })));
    expect([...order].sort()).toEqual(tasks.map((_, i) => i));
    expect(await run([], 3)).toEqual({ outcomes: [], order: [] });
  });

  it('a worker that dies fails only the task it held; the others are done by its replacement', async () => {
    const { outcomes } = await run([1, 'throw', 2, 'exit', 3, 4], 2);
    expect(outcomes).toEqual([
      { result: 1 },
      { died: 'a bug in the worker' },
      { result: 4 },
      { died: 'its thread exited with code 3' },
      { result: 9 },
      { result: 16 },
    ]);
  });

  it('a script that does not load fails each task, naming why', async () => {
    const missing = pathToFileURL(join(dir, 'missing.mjs'));
    const outcomes: TaskOutcome<number>[] = [];
    await runPool<number, number>(missing, [1, 2], 2, (i, o) => (outcomes[i] = o));
    expect(outcomes).toHaveLength(2);
    for (const o of outcomes)
      expect(o).toMatchObject({ died: expect.stringMatching(/missing\.mjs/) });
  });
});
