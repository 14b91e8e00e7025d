import { performance } from 'node:perf_hooks';
import { setImmediate as yieldNow } from 'node:timers/promises';
import { MS, US } from '../lab/sim/time';

/** What a real-time run drives: a Lab. */
export interface Runnable {
  readonly now: number;
  run(ns: number): void;
  /** When the next event is due, so an idle lab can sleep until then. */
  readonly sched?: { readonly nextTime: number };
}

/**
 * Something the outside feeds while the lab runs in real time (a UdpPort).
 * The run stamps each arrival with the simulated time matching its wall-clock
 * moment, and has it delivered once the lab's clock gets there.
 */
export interface RealtimeInput {
  /** From the run: `stamp()` is the simulated time now; `wake()` ends an idle wait. Null when it ends. */
  bind(clock: { stamp(): number; wake(): void } | null): void;
  /** Puts onto the segment what arrived up to simulated time `ns`. */
  deliver(ns: number): void;
}

export interface RealtimeOptions {
  /** Simulated time one step covers at most; outside frames go on the wire within about this (default 1 ms). */
  sliceNs?: number;
  /** Lag behind the wall clock past which the run stops catching up and counts a reset (default 250 ms). */
  maxLagNs?: number;
  /** Longest idle wait when no event is due sooner (default 10 ms): how late `until` and shell commands are seen. */
  maxIdleMs?: number;
  /** The outside's datagrams (UdpPorts), delivered at their time of arrival. */
  inputs?: RealtimeInput[];
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
 * for up to `durationNs` of simulated time (Infinity: until `signal`).
 *
 * The lab runs in steps of at most `sliceNs`, and Node's event loop runs
 * between them, so frames the lab sent leave at once. A datagram that arrives
 * is stamped with the simulated time of its arrival and goes onto the segment
 * at the step that reaches that time, so it lands within one slice of when it
 * came, even while the lab is catching up. When the lab is idle the run sleeps
 * until its next event is due, or a datagram wakes it, so an idle lab costs
 * little CPU. A lab that cannot keep up runs as fast as it can; past `maxLagNs`
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
  const maxIdleMs = options.maxIdleMs ?? 10;
  // Less behind than this, the run waits instead of spinning through tiny steps.
  const minStep = Math.min(slice, 100 * US);
  const inputs = options.inputs ?? [];
  const signal = options.signal;
  const t0 = lab.now;
  // Whole nanoseconds, so the lab's integer clock can land on it exactly.
  const end = t0 + Math.round(durationNs);
  const wall0 = performance.now();
  let anchorWall = wall0;
  let anchorSim = t0;
  const simNow = () => anchorSim + (performance.now() - anchorWall) * MS;

  let wakeUp: (() => void) | null = null;
  const wake = () => wakeUp?.();
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });
  const clock = { stamp: simNow, wake };
  for (const i of inputs) i.bind(clock);
  signal?.addEventListener('abort', wake);

  let maxLagNs = 0;
  let lagResets = 0;
  let ended: RealtimeResult['ended'] = 'duration';
  try {
    for (;;) {
      if (signal?.aborted) {
        ended = 'signal';
        break;
      }
      if (lab.now >= end) break;
      const target = Math.min(end, simNow());
      const lag = target - lab.now;
      if (lag > maxLagNs) maxLagNs = lag;
      if (lag > maxLag) {
        // Too far behind to catch up without a burst: carry on from here.
        lagResets++;
        anchorWall = performance.now();
        anchorSim = lab.now;
      }
      // What arrived by now goes on the wire before the lab moves on (when caught up, a
      // datagram that came in the last 100 µs goes at once rather than a timer tick later).
      for (const i of inputs) i.deliver(lag >= minStep ? lab.now : target);
      const next = lab.sched?.nextTime ?? Infinity;
      // At the end of the run the last bit of time is stepped however small: waiting would not
      // make it grow, since the target stops at `end`.
      if (lag >= minStep || (lag >= 1 && (next <= target || target === end))) {
        lab.run(Math.max(1, Math.floor(Math.min(slice, end - lab.now, lag))));
        options.onSlice?.();
        if (options.until?.()) {
          ended = 'until';
          break;
        }
        // Let the event loop take datagrams in (and send frames) before the next step.
        await yieldNow();
      } else if (next - target < MS) {
        // An event is due within a millisecond: a timer would wake too late for it.
        await yieldNow();
      } else {
        // Idle: sleep until the next event is due, a datagram comes, or maxIdleMs.
        await idle(Math.min(maxIdleMs, Math.ceil((next - target) / MS)));
      }
    }
  } finally {
    signal?.removeEventListener('abort', wake);
    for (const i of inputs) {
      i.deliver(lab.now);
      i.bind(null);
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
