// The simulated clock's driver inside the worker. The simulation runs in slices of a few
// milliseconds of wall time, each ended by a timer or `setImmediate`, so requests (which arrive
// as messages between slices) wait at most one slice however busy the lab is.
//
//   'max'        slices back to back: the lab runs as fast as the CPU allows.
//   0.001..1     real time scaled: the simulated clock follows the wall clock × speed. A lab
//                too busy to keep up runs as fast as it can, and the lag is forgiven rather than
//                caught up later in a burst.
//   step         while paused: one scheduler event, or events up to the next frame on the wire.
import { performance } from 'node:perf_hooks';
import type { Lab } from '../lab/lab';
import type { RunState, Speed } from '../ipc/views';

/** Wall time one slice may run before it yields to pending requests. */
export const SLICE_MS = 4;
/** Events between two looks at the wall clock: small enough to keep a slice near SLICE_MS. */
const EVENTS_PER_CHECK = 512;
/** Simulated time one `runUntil` covers at most, so an idle lab still checks the clock. */
const CHUNK_NS = 1_000_000;
/** While real time is caught up: how long to sleep before the next slice. */
const IDLE_TICK_MS = 10;
/** Lag (in wall ms) past which a real-time run gives up catching up. */
const MAX_LAG_MS = 250;
/** A frame step gives up after this many events, or 4 slices of wall time, whichever is first. */
const MAX_STEP_EVENTS = 1_000_000;

export class Runner {
  private running = false;
  private speed: Speed = 1;
  private timer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | null = null;
  private anchorWall = 0;
  private anchorSim = 0;

  constructor(
    private readonly lab: () => Lab,
    /** Called after every slice: the engine flushes shell output and pushes stats when due. */
    private readonly afterSlice: () => void,
  ) {}

  state(): RunState {
    const lab = this.lab();
    return {
      running: this.running,
      speed: this.speed,
      simTimeNs: lab.now,
      events: lab.sched.dispatched,
    };
  }

  start(speed?: Speed): void {
    if (speed !== undefined) this.speed = speed;
    if (this.running) {
      this.anchor();
      return;
    }
    this.running = true;
    this.anchor();
    this.schedule(0);
  }

  pause(): void {
    this.running = false;
    this.cancel();
  }

  setSpeed(speed: Speed): void {
    this.speed = speed;
    this.anchor();
  }

  /** Pauses, then advances by one event or one frame; returns the events dispatched. */
  step(unit: 'event' | 'frame'): number {
    this.pause();
    const lab = this.lab();
    const sched = lab.sched;
    if (unit === 'event') return sched.step() ? 1 : 0;
    const seg = lab.segment.stats;
    const mark = () => seg.frames + seg.collisions + seg.aborted + seg.lost;
    const before = mark();
    const deadline = performance.now() + SLICE_MS * 4;
    let n = 0;
    while (n < MAX_STEP_EVENTS && mark() === before && sched.step()) {
      // A lab with no traffic has no next frame: give up after a few slices' worth of events.
      if (++n % EVENTS_PER_CHECK === 0 && performance.now() >= deadline) break;
    }
    return n;
  }

  /** The lab was replaced: stop driving the old one. */
  reset(): void {
    this.pause();
  }

  private anchor(): void {
    this.anchorWall = performance.now();
    this.anchorSim = this.lab().now;
  }

  private schedule(delayMs: number): void {
    this.cancel();
    this.timer = delayMs > 0 ? setTimeout(this.tick, delayMs) : setImmediate(this.tick);
  }

  private cancel(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer as ReturnType<typeof setTimeout>);
    clearImmediate(this.timer as ReturnType<typeof setImmediate>);
    this.timer = null;
  }

  private readonly tick = (): void => {
    this.timer = null;
    if (!this.running) return;
    const caughtUp = this.slice();
    this.afterSlice();
    if (this.running && this.timer === null) this.schedule(caughtUp ? IDLE_TICK_MS : 0);
  };

  /** Runs one slice; true when real time is caught up (nothing to do until the wall clock moves). */
  private slice(): boolean {
    const lab = this.lab();
    const sched = lab.sched;
    const start = performance.now();
    const deadline = start + SLICE_MS;
    const realtime = this.speed !== 'max';
    const target = realtime
      ? // Whole nanoseconds: the lab's clock is an integer count of them.
        Math.floor(this.anchorSim + (start - this.anchorWall) * 1e6 * (this.speed as number))
      : Infinity;
    for (;;) {
      const until = Math.min(target, sched.now + CHUNK_NS);
      sched.runUntil(until, EVENTS_PER_CHECK);
      if (realtime && sched.now >= target) return true;
      if (performance.now() >= deadline) break;
    }
    if (realtime) {
      const lagMs = (target - sched.now) / 1e6 / (this.speed as number);
      if (lagMs > MAX_LAG_MS) this.anchor();
    }
    return false;
  }
}
