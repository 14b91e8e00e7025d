import type { RingLimits } from './frame-store';

/**
 * A capture's memory budget. Every live capture is a ring: once it holds its
 * limit in frame bytes, its oldest frames are overwritten (and counted in
 * `FrameStore.overwritten`), so a capture left running for an hour at line
 * rate holds the same memory as one of a minute.
 *
 * The limit counts the bytes each record exports (a frame seen at three
 * points counts three times, though it is stored once), so it bounds the
 * frame data from above. Each record also costs about 40 bytes of index (its
 * record and its copy's place): the frame count is capped at one frame per
 * RECORD_SHARE bytes of the limit, which keeps the index under a third of it.
 */
export const DEFAULT_CAPTURE_LIMIT = 128 * 2 ** 20;
export const MIN_CAPTURE_LIMIT = 2 ** 20;
export const MAX_CAPTURE_LIMIT = 4 * 2 ** 30;
const RECORD_SHARE = 128;

/** The ring limits of a capture of `limit` bytes. */
export function captureRing(limit: number = DEFAULT_CAPTURE_LIMIT): RingLimits {
  return { maxBytes: limit, maxFrames: Math.floor(limit / RECORD_SHARE) };
}

/** Null for a limit in range, else the reason. */
export function captureLimitError(limit: number): string | null {
  if (Number.isSafeInteger(limit) && limit >= MIN_CAPTURE_LIMIT && limit <= MAX_CAPTURE_LIMIT)
    return null;
  return `a capture limit must be from 1MiB to 4GiB, not ${limit} bytes`;
}
