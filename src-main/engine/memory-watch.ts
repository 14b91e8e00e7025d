// The engine watches its own memory. A capture's frames live in ArrayBuffers outside V8's heap:
// when the machine runs out of them the process is killed outright (the worker restart does not
// cover that), and a heap near its limit ends the worker. So before either can happen, a lab
// using more than its budget is stopped with a message saying why, and the window stays usable.
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

export interface MemoryUse {
  /** The whole process's resident memory (the worker shares it with the host). */
  rss: number;
  heapUsed: number;
  heapLimit: number;
}

export function memoryNow(): MemoryUse {
  const heap = getHeapStatistics();
  return {
    rss: process.memoryUsage.rss(),
    heapUsed: heap.used_heap_size,
    heapLimit: heap.heap_size_limit,
  };
}

/** Share of the memory the machine (or its cgroup) allows that the process may use. */
const BUDGET_SHARE = 0.75;
/** Share of V8's heap limit past which the heap counts as full. */
const HEAP_SHARE = 0.9;

/** Three quarters of this machine's memory, or of the cgroup's limit when that is lower. */
export function defaultMemoryBudget(): number {
  const limit = process.constrainedMemory?.() ?? 0;
  const machine = totalmem();
  return Math.floor(BUDGET_SHARE * (limit > 0 && limit < machine ? limit : machine));
}

const mib = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;

/** Why the lab must stop now, or null while it is within its budget. */
export function overBudget(use: MemoryUse, budget: number): string | null {
  if (use.rss > budget)
    return `the app uses ${mib(use.rss)} of memory, over its budget of ${mib(budget)}`;
  if (use.heapUsed > HEAP_SHARE * use.heapLimit)
    return `the engine's heap holds ${mib(use.heapUsed)} of its ${mib(use.heapLimit)} limit`;
  return null;
}
