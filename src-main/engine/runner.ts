// The simulated clock's driver inside the worker. The simulation runs in slices of a few
// milliseconds of wall time, each ended by a timer or `setImmediate`, so requests (which arrive
// as messages between slices) wait at most one slice however busy the lab is.
//
//   'max'        slices back to back: the lab runs as fast as the CPU allows.
//   0.001..1     real time scaled: the simulated clock follows the wall clock × speed. A lab
//                too busy to keep up runs as fast as it can, and a lag over MAX_LAG_MS is
//                forgiven rather than caught up later in a burst.
//   step         while paused: one scheduler event, or events up to the end of the next frame on
//                the wire (its last bit past every station, or its jam after a collision) and
//                whatever else falls due in that same nanosecond (the other colliders' ends).
//
// While the lab has external ports open (`setInputs`), it runs at 1× whatever the speed asked, as
// `netlab run --port` does: each datagram is stamped with the simulated time of its arrival and
// goes onto the segment when the clock gets there, and a datagram ends an idle wait.
import { performance } from 'node:perf_hooks';
import type { Lab } from '../lab/lab';
import type { RealtimeInput } from '../net/realtime';
import type { RunState, Speed } from '../ipc/views';
import { FrameEndWatch } from './frame-end-watch';

/** Wall time one slice may run before it yields to pending requests. */
export const SLICE_MS = 4;
/** Events between two looks at the wall clock: small enough to keep a slice near SLICE_MS. */
const EVENTS_PER_CHECK = 512;
/** Simulated time one `runUntil` covers at most, so an idle lab still checks the clock. */
const CHUNK_NS = 1_000_000;
/** With ports open: a datagram goes onto the segment at most this late (simulated time). */
const PORT_CHUNK_NS = 100_000;
/** While real time is caught up: how long to sleep before the next slice. */
const IDLE_TICK_MS = 10;
/**
 * Lag (in wall ms) past which a real-time run gives up catching up. A shorter stall (a long
 * request, a garbage collection, the machine busy elsewhere for a moment) is caught up at the
 * lab's full speed, so a lab that can keep up keeps its speed on average. A lab that cannot
 * keep up falls this far behind once, then runs as fast as it can.
 */
const MAX_LAG_MS = 1000;
/** A frame step gives up after this many events, or 4 slices of wall time, whichever is first. */
const MAX_STEP_EVENTS = 1_000_000;

export class Runner {
  private running = false;
  private speed: Speed = 1;
  private timer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | null = null;
  private anchorWall = 0;
  private anchorSim = 0;
  /** The lab's open external ports: while there are any, the clock runs at 1×. */
  private inputs: readonly RealtimeInput[] = [];
  /** True while the timer is an idle wait (caught up), which a datagram may cut short. */
  private idle = false;
  /** A run that ends by itself (`runTo`): where the clock stops, and who waits for it. */
  private stop: { atNs: number; speed: Speed; done: (reached: boolean) => void } | null = null;
  private readonly clock = {
    stamp: () => this.simNow(),
    wake: () => {
      if (this.running && this.idle) this.schedule(0);
    },
  };

  constructor(
    private readonly lab: () => Lab,
    /** Called after every slice: the engine flushes shell output and pushes stats when due. */
    private readonly afterSlice: () => void,
  ) {}

  state(): RunState {
    const lab = this.lab();
    return {
      running: this.running,
      speed: this.effectiveSpeed(),
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
    for (const i of this.inputs) i.bind(this.clock);
    this.schedule(0);
  }

  pause(): void {
    if (this.running) for (const i of this.inputs) i.bind(null);
    this.running = false;
    this.cancel();
    this.endStop(false);
  }

  /**
   * Runs the clock at full speed (1× with ports open) up to exactly `atNs` and pauses there, then
   * goes back to the speed it had. Resolves true when the clock got there, false when something
   * paused it first (the user, a new lab).
   */
  runTo(atNs: number): Promise<boolean> {
    this.endStop(false);
    if (this.lab().now >= atNs) {
      this.pause();
      return Promise.resolve(true);
    }
    return new Promise((done) => {
      this.stop = { atNs, speed: this.speed, done };
      this.speed = 'max';
      this.start();
    });
  }

  private endStop(reached: boolean): void {
    const stop = this.stop;
    if (stop === null) return;
    this.stop = null;
    this.speed = stop.speed;
    stop.done(reached);
  }

  /** Whether external ports hold the clock to 1×. */
  get realtimeOnly(): boolean {
    return this.inputs.length > 0;
  }

  /** The lab's open ports (none: the clock runs at the speed asked). Re-anchors a running clock. */
  setInputs(inputs: readonly RealtimeInput[]): void {
    if (this.running) {
      for (const i of this.inputs) i.bind(null);
      for (const i of inputs) i.bind(this.clock);
    }
    this.inputs = [...inputs];
    this.anchor();
  }

  setSpeed(speed: Speed): void {
    this.speed = speed;
    this.anchor();
  }

  /**
   * Pauses, then advances by one event, or to the end of the next frame on any segment's wire
   * (so every station there has had it: each card's verdict is in; a router's forwarded copy on
   * its second LAN is a frame of its own); returns the events dispatched and whether a frame
   * ended (a frame step in a lab with no traffic left ends none).
   */
  step(unit: 'event' | 'frame'): { events: number; frameEnded: boolean } {
    this.pause();
    const lab = this.lab();
    const sched = lab.sched;
    if (unit === 'event') return { events: sched.step() ? 1 : 0, frameEnded: false };
    const watches = lab.segments.map((s) => new FrameEndWatch(s));
    const deadline = performance.now() + SLICE_MS * 4;
    let n = 0;
    let ended = false;
    while (n < MAX_STEP_EVENTS && sched.step()) {
      n++;
      if ((ended = watches.some((w) => w.ended()))) break;
      // A lab with no traffic has no next frame: give up after a few slices' worth of events.
      if (n % EVENTS_PER_CHECK === 0 && performance.now() >= deadline) break;
    }
    if (!ended) return { events: n, frameEnded: false };
    // Frames that end in the same nanosecond (a collision's colliders) end in the same step.
    const at = sched.now;
    while (sched.nextTime === at && sched.step()) n++;
    return { events: n, frameEnded: true };
  }

  /** The lab was replaced: stop driving the old one (and its ports). */
  reset(): void {
    this.pause();
    this.inputs = [];
  }

  private effectiveSpeed(): Speed {
    return this.inputs.length > 0 ? 1 : this.speed;
  }

  /** The simulated time the wall clock stands for now (real-time speeds only). */
  private simNow(): number {
    return (
      this.anchorSim +
      (performance.now() - this.anchorWall) * 1e6 * (this.effectiveSpeed() as number)
    );
  }

  private anchor(): void {
    this.anchorWall = performance.now();
    this.anchorSim = this.lab().now;
  }

  private schedule(delayMs: number): void {
    this.cancel();
    this.idle = delayMs > 0;
    this.timer = delayMs > 0 ? setTimeout(this.tick, delayMs) : setImmediate(this.tick);
  }

  /**
   * How long to sleep once caught up. With ports open, until the next event is due (a frame the
   * outside waits for leaves on time), and a datagram cuts the wait short.
   */
  private idleDelay(): number {
    if (this.inputs.length === 0) return IDLE_TICK_MS;
    const lab = this.lab();
    const ms = (lab.sched.nextTime - lab.now) / 1e6;
    return Math.min(IDLE_TICK_MS, Math.max(0, Math.floor(ms)));
  }

  private cancel(): void {
    this.idle = false;
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
    if (this.running && this.timer === null) this.schedule(caughtUp ? this.idleDelay() : 0);
  };

  /** Runs one slice; true when real time is caught up (nothing to do until the wall clock moves). */
  private slice(): boolean {
    const lab = this.lab();
    const sched = lab.sched;
    const start = performance.now();
    const deadline = start + SLICE_MS;
    const speed = this.effectiveSpeed();
    const realtime = speed !== 'max';
    // Whole nanoseconds: the lab's clock is an integer count of them.
    const stopAt = this.stop?.atNs ?? Infinity;
    const target = Math.min(realtime ? Math.floor(this.simNow()) : Infinity, stopAt);
    const inputs = this.inputs;
    const chunk = inputs.length > 0 ? PORT_CHUNK_NS : CHUNK_NS;
    for (;;) {
      // Datagrams that arrived by now go on the wire before the clock moves past them.
      for (const i of inputs) i.deliver(sched.now);
      const until = Math.min(target, sched.now + chunk);
      sched.runUntil(until, EVENTS_PER_CHECK);
      if (sched.now >= stopAt) {
        for (const i of inputs) i.deliver(sched.now);
        this.running = false;
        for (const i of inputs) i.bind(null);
        this.endStop(true);
        return true;
      }
      if (realtime && sched.now >= target) {
        for (const i of inputs) i.deliver(sched.now);
        return true;
      }
      if (performance.now() >= deadline) break;
    }
    if (realtime) {
      const lagMs = (target - sched.now) / 1e6 / (speed as number);
      if (lagMs > MAX_LAG_MS) this.anchor();
    }
    return false;
  }
}
