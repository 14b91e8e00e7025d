// Long requests (exporting a million-frame capture takes a good part of a second) run in slices
// of a few milliseconds, so the worker answers other requests and runs the clock between them:
// a request waits at most one slice, however big the export.
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Wall time one slice of a long request may take before it lets others in. */
export const REQUEST_SLICE_MS = 4;

/** Runs `work` (a generator that yields where it may pause) to its end, a slice at a time. */
export async function runSliced<T>(
  work: Generator<void, T>,
  sliceMs = REQUEST_SLICE_MS,
): Promise<T> {
  for (;;) {
    const until = performance.now() + sliceMs;
    for (;;) {
      const step = work.next();
      if (step.done) return step.value;
      if (performance.now() >= until) break;
    }
    await nextTurn();
  }
}
