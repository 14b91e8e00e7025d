/**
 * Copies `len` bytes between buffers without creating views: `subarray` makes
 * an object per call, which the per-frame paths cannot afford for short frames.
 */
export function copyBytes(
  dst: Uint8Array,
  dstAt: number,
  src: Uint8Array,
  srcAt: number,
  len: number,
): void {
  if (len > 256) {
    dst.set(src.subarray(srcAt, srcAt + len), dstAt);
    return;
  }
  for (let i = 0; i < len; i++) dst[dstAt + i] = src[srcAt + i];
}
