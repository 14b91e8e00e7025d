/**
 * One host's CPU as the network stack sees it: it does one thing at a time,
 * and each frame it handles costs `perFrame` nanoseconds. Work that arrives
 * while it is busy waits, which is how a flood of unwanted multicast turns into
 * full rings and missed frames.
 */
export class Cpu {
  /** Nanoseconds charged for each frame a driver hands to the stack. */
  perFrame: number;
  /** Time until which the CPU is busy. */
  busyUntil = 0;
  /** Total nanoseconds charged, by purpose. */
  busyNs = 0;
  /** Nanoseconds spent on frames the host did not want (dropped after the filter). */
  wastedNs = 0;

  constructor(perFrame = 500) {
    this.perFrame = perFrame;
  }

  /**
   * Nanoseconds the CPU has actually spent by `now`: `busyNs` less the work charged but still
   * ahead (the queue runs back to back up to `busyUntil`). A rate over an interval taken from
   * `busyNs` counts work not yet done and can pass 100 %; taken from this, it cannot.
   */
  busyBy(now: number): number {
    return this.busyNs - Math.max(0, this.busyUntil - now);
  }

  /** Charges `frames` frames of work starting no earlier than `now`; returns when it ends. */
  charge(now: number, frames: number): number {
    const start = this.busyUntil > now ? this.busyUntil : now;
    const cost = frames * this.perFrame;
    this.busyUntil = start + cost;
    this.busyNs += cost;
    return this.busyUntil;
  }
}
