import { addNs, EPOCH, type ExactTime } from '../time';

/**
 * What the capture knows of a frame beyond its bytes: the dissector shows it
 * as the `frame` layer, and display filters read it (`frame.len`, `fate`…).
 * The methods are asked only when needed: a fate can cost a search of the
 * host's fate log, so a filter that does not name `fate` never asks for it.
 */
export interface FrameMeta {
  /** frame.number */
  readonly number: number;
  /**
   * ns since `origin` (see time.ts): the simulated time in a lab's capture. frame.time_epoch is
   * origin + timeNs, exactly.
   */
  readonly timeNs: number;
  /** The instant `timeNs` counts from: 1970 for the lab's clock, an imported file's first frame. */
  readonly origin: ExactTime;
  /** The lab captured or wrote the frame: only then is an NLAB payload a generator's. */
  readonly fromLab: boolean;
  /** frame.len: bytes on the wire (frame.cap_len is the length of the bytes given). */
  readonly wireLength: number;
  /** The frame's exact time (whole ns) into `out`: origin + timeNs, exactly, however far. */
  instant(out: { sec: number; nsec: number }): void;
  /** frame.time_relative: ns since the capture's first frame. */
  sinceFirst(): number;
  /** frame.time_delta: ns since the frame captured before it (0 for the first). */
  sincePrevious(): number;
  /** point: the capture point's name (`h1:eth0`, `segment`). */
  point(): string;
  /** direction: 'in', 'out', or '' where a point has no direction (the segment). */
  direction(): string;
  /** fate: what became of the frame, as `Capture.fateOf` says. */
  fate(): string;
}

/**
 * The frame's time in ns since 1970 as a double: exact for the lab's own captures (whose origin
 * is 1970 and whose clock runs for days, not years), which is what a generator's send time, a
 * simulated time, is compared with.
 */
export function labTimeNs(meta: FrameMeta): number {
  return meta.origin.sec * 1e9 + meta.origin.nsec + meta.timeNs;
}

/** Metadata for frames that come with none (a frame built in a test, a file without comments). */
export function plainMeta(number: number, wireLength: number, timeNs = 0): FrameMeta {
  return {
    number,
    timeNs,
    origin: EPOCH,
    fromLab: true,
    wireLength,
    instant: (out) => addNs(EPOCH, timeNs, out),
    sinceFirst: () => 0,
    sincePrevious: () => 0,
    point: () => '',
    direction: () => '',
    fate: () => '',
  };
}
