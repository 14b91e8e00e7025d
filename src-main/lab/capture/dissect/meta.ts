/**
 * What the capture knows of a frame beyond its bytes: the dissector shows it
 * as the `frame` layer, and display filters read it (`frame.len`, `fate`…).
 * The methods are asked only when needed: a fate can cost a search of the
 * host's fate log, so a filter that does not name `fate` never asks for it.
 */
export interface FrameMeta {
  /** frame.number */
  readonly number: number;
  /** frame.time: simulated ns. */
  readonly timeNs: number;
  /** frame.len: bytes on the wire (frame.cap_len is the length of the bytes given). */
  readonly wireLength: number;
  /** point: the capture point's name (`h1:eth0`, `segment`). */
  point(): string;
  /** direction: 'in', 'out', or '' where a point has no direction (the segment). */
  direction(): string;
  /** fate: what became of the frame, as `Capture.fateOf` says. */
  fate(): string;
}

/** Metadata for frames that come with none (a frame built in a test, a file without comments). */
export function plainMeta(number: number, wireLength: number, timeNs = 0): FrameMeta {
  return {
    number,
    timeNs,
    wireLength,
    point: () => '',
    direction: () => '',
    fate: () => '',
  };
}
