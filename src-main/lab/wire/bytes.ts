/**
 * Copies `len` bytes between buffers. A JavaScript byte loop costs about 1.5 ns
 * a byte here, `set` over a `subarray` view about 40 ns whatever the length
 * (the view is an object per call): the loop for a few bytes, `set` from the
 * crossover (measured on Node 20: 60 bytes, the shortest frame, 89 ns by loop
 * and 41 ns by `set`).
 */
const LOOP_MAX = 28;

export function copyBytes(
  dst: Uint8Array,
  dstAt: number,
  src: Uint8Array,
  srcAt: number,
  len: number,
): void {
  if (len > LOOP_MAX) {
    dst.set(src.subarray(srcAt, srcAt + len), dstAt);
    return;
  }
  for (let i = 0; i < len; i++) dst[dstAt + i] = src[srcAt + i];
}

/** An empty buffer for views that are created now and pointed at packets later. */
export const EMPTY_BYTES = new Uint8Array(0);

/** The big-endian (network order) 16-bit word at `at`. */
export function getU16(bytes: Uint8Array, at: number): number {
  return (bytes[at] << 8) | bytes[at + 1];
}

/** The big-endian 32-bit word at `at`, unsigned. */
export function getU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

export function setU16(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 8;
  bytes[at + 1] = value;
}

export function setU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = value >>> 16;
  bytes[at + 2] = value >>> 8;
  bytes[at + 3] = value;
}
