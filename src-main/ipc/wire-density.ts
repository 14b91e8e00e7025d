// When a real-time run's frames are too many to draw one by one: the window then lets the bus
// glow with its load instead of drawing pulses, and the engine spares itself listing them (each
// listed frame costs it every station's verdict). One rule, read by both sides.

/** Frames begun per wall second above which pulses are not drawn: the bus glows with its load. */
export const MAX_PULSES_PER_SEC = 20;

/** An interval of a `wire` push: frames begun in (sinceNs, simTimeNs]. */
export interface WireInterval {
  begun: number;
  sinceNs: number;
  simTimeNs: number;
}

/** Frames begun per second of wall time over an interval, at `speed`. */
export function wallFrameRate(push: WireInterval, speed: number): number {
  const wallSeconds = (push.simTimeNs - push.sinceNs) / 1e9 / speed;
  return wallSeconds > 0 ? push.begun / wallSeconds : 0;
}

/** Whether an interval holds more frames than can be drawn one by one at `speed`. */
export function tooDense(push: WireInterval, speed: number): boolean {
  return wallFrameRate(push, speed) > MAX_PULSES_PER_SEC;
}
