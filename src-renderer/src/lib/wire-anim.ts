// The maths of frames travelling the wire on the topology: when each pushed frame is drawn (its
// place in the engine's interval at the current speed, stretched to stay visible), where its pulse
// is along the bus, which stations it has reached, and when there are too many frames to draw.
// Pure: the store and the SVG layer only apply what this computes.
import type { WireFrameView } from '../../../src-main/ipc/api';
import { protocolClass } from './fate';

// When frames are too many to draw: the engine lists none then, by the same rule.
export { MAX_PULSES_PER_SEC, tooDense, wallFrameRate } from '../../../src-main/ipc/wire-density';

/** A frame stays on screen at least this long, however short it is (6.7 µs at 0.001× is 7 ms). */
export const MIN_VISIBLE_MS = 400;
/** After its pulse has passed, a station's verdict stays lit this long (in a real-time run). */
export const VERDICT_HOLD_MS = 700;
/** The travelling band's length, in px of the bus. */
export const PULSE_BAND = 36;

/** When a frame's pulse runs, in wall ms (`performance.now()`). */
export interface PulseTiming {
  wallStart: number;
  wallDur: number;
}

/**
 * Where a frame's pulse falls in wall time: the pushed interval (sinceNs..simTimeNs) is played
 * back from `receivedAt` at `speed` (so a pulse trails the clock by one push, about 100 ms), and a
 * frame lasts as long on screen as it did on the wire at that speed, but at least MIN_VISIBLE_MS.
 */
export function pulseTiming(
  frame: Pick<WireFrameView, 'startNs' | 'endNs'>,
  sinceNs: number,
  receivedAt: number,
  speed: number,
): PulseTiming {
  const msPerNs = 1 / (speed * 1e6);
  const end = frame.endNs ?? frame.startNs;
  return {
    wallStart: receivedAt + Math.max(0, frame.startNs - sinceNs) * msPerNs,
    wallDur: Math.max(MIN_VISIBLE_MS, (end - frame.startNs) * msPerNs),
  };
}

/** How far through its pulse a frame is at wall time `now`: 0 before, 1 once it has run. */
export function pulseProgress(now: number, t: PulseTiming): number {
  if (now <= t.wallStart) return 0;
  return Math.min(1, (now - t.wallStart) / t.wallDur);
}

/** The bus: a vertical line from `top` to `bottom`; the sender's tap at `from`. */
export interface Bus {
  top: number;
  bottom: number;
}

/** A station's tap on the bus, and where its verdict goes (null: no room, an external port). */
export interface WireTap {
  /** `host:dev`, or an external port's name. */
  station: string;
  y: number;
  chip: { y: number; left: number; right: number } | null;
}

export interface BusSpan {
  y1: number;
  y2: number;
}

/** The longest run from the sender's tap to an end of the bus. */
function longestRun(bus: Bus, from: number): number {
  return Math.max(from - bus.top, bus.bottom - from, 1);
}

/**
 * How far the pulse's head has run from the sender's tap at progress `p`: a band PULSE_BAND long
 * runs out both ways and has left the far end at p = 1.
 */
export function pulseHead(p: number, bus: Bus, from: number): number {
  return p * (longestRun(bus, from) + PULSE_BAND);
}

/**
 * The lit stretches of the bus at progress `p`: the band, going up and down from the sender's
 * tap, clipped to the bus. With `whole` (reduced motion, or a frame held after a step) the bus is
 * lit from end to end instead.
 */
export function pulseSpans(p: number, bus: Bus, from: number, whole = false): BusSpan[] {
  if (whole) return [{ y1: bus.top, y2: bus.bottom }];
  const head = pulseHead(p, bus, from);
  const tail = Math.max(0, head - PULSE_BAND);
  const spans: BusSpan[] = [];
  const up = from - bus.top;
  const down = bus.bottom - from;
  if (head > 0 && tail < up) spans.push({ y1: from - Math.min(head, up), y2: from - tail });
  if (head > 0 && tail < down) spans.push({ y1: from + tail, y2: from + Math.min(head, down) });
  return spans;
}

/** Whether the pulse has reached the tap at `y` by progress `p`. */
export function pulseReached(p: number, bus: Bus, from: number, y: number): boolean {
  return p >= 1 || pulseHead(p, bus, from) >= Math.abs(y - from);
}

/**
 * How far a frame's head has spread in simulated time by `simNowNs` (0..1): every station hears
 * it one propagation delay after it began. A frame that has ended has reached them all.
 */
export function spreadShare(
  frame: Pick<WireFrameView, 'startNs' | 'endNs'>,
  simNowNs: number,
  delayNs: number,
): number {
  if (frame.endNs !== null || delayNs <= 0) return 1;
  return Math.min(1, Math.max(0, (simNowNs - frame.startNs) / delayNs));
}

/** The pulse's colour: the wire's own fate first (collision, corruption, loss), else the protocol. */
export function pulseClass(frame: Pick<WireFrameView, 'outcome' | 'protocol'>): string {
  if (frame.outcome === 'collision') return 'collision';
  if (frame.outcome === 'corrupted' || frame.outcome === 'lost') return 'damaged';
  return frame.protocol ? protocolClass(frame.protocol) : 'other';
}
