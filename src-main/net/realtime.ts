import { performance } from 'node:perf_hooks';
import { setImmediate as yieldNow, setTimeout as sleep } from 'node:timers/promises';
import { MS } from '../lab/sim/time';

/** What a real-time run drives: a lab, or a session around one. */
export interface Runnable {
  readonly now: number;
  run(ns: number): void;
}

export interface RealtimeOptions {
  /** Simulated time one step covers at most; outside frames wait at most about this long (default 1 ms). */
  sliceNs?: number;
  /** Lag behind the wall clock past which the run stops catching up and counts a reset (default 250 ms). */
  maxLagNs?: number;
  /** Ends the run early (Ctrl-C). */
  signal?: AbortSignal;
  /** Called after each step, with the lab paused: a place to start shell commands or read counters. */
  onSlice?: () => void;
  /** Ends the run early when it returns true (checked after each step). */
  until?: () => boolean;
}

export interface RealtimeResult {
  /** Simulated time the run covered. */
  simNs: number;
  /** Wall time it took. */
  wallNs: number;
  /** Largest lag of the simulated clock behind the wall clock. */
  maxLagNs: number;
  /** Times the lab fell more than `maxLagNs` behind and the lag was forgiven. */
  lagResets: number;
  /** Why it ended. */
  ended: 'duration' | 'signal' | 'until';
}

/**
 * Runs a lab in real time at 1×: the simulated clock follows the wall clock,
 * for up to `durationNs` of simulated time. The lab runs in steps of at most
 * `sliceNs`; between steps the event loop runs, so datagrams that arrived on
 * a UDP port go onto the segment at the next step and frames the lab sent
 * leave. A lab that cannot keep up runs as fast as it can; past `maxLagNs`
 * behind, the lag is forgiven rather than caught up in a burst.
 *
 * Not deterministic: what happens depends on when the outside sends.
 */
export async function runRealtime(
  lab: Runnable,
  durationNs: number,
  options: RealtimeOptions = {},
): Promise<RealtimeResult> {
  const slice = Math.max(1, Math.round(options.sliceNs ?? MS));
  const maxLag = options.maxLagNs ?? 250 * MS;
  const t0 = lab.now;
  const end = t0 + durationNs;
  const wall0 = performance.now();
  let anchorWall = wall0;
  let anchorSim = t0;
  let maxLagNs = 0;
  let lagResets = 0;
  let ended: RealtimeResult['ended'] = 'duration';
  for (;;) {
    if (options.signal?.aborted) {
      ended = 'signal';
      break;
    }
    if (lab.now >= end) break;
    const target = Math.min(end, anchorSim + (performance.now() - anchorWall) * MS);
    const lag = target - lab.now;
    if (lag > maxLagNs) maxLagNs = lag;
    if (lag > maxLag) {
      // Too far behind to catch up without a burst: carry on from here.
      lagResets++;
      anchorWall = performance.now();
      anchorSim = lab.now;
    }
    if (lag >= 1) {
      lab.run(Math.max(1, Math.floor(Math.min(slice, end - lab.now, lag))));
      options.onSlice?.();
      if (options.until?.()) {
        ended = 'until';
        break;
      }
      // Let the event loop deliver datagrams (and send frames) before the next step.
      await yieldNow();
    } else {
      // Ahead of the wall clock: wait for about one slice.
      await sleep(Math.max(1, Math.round(slice / MS)));
    }
  }
  return {
    simNs: lab.now - t0,
    wallNs: (performance.now() - wall0) * MS,
    maxLagNs,
    lagResets,
    ended,
  };
}
