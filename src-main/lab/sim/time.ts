/** Simulated time is a number of nanoseconds; these keep conversions readable. */
export const NS = 1;
export const US = 1_000;
export const MS = 1_000_000;
export const SECOND = 1_000_000_000;

/** Nanoseconds a transfer of `bits` takes at `bitsPerSecond`. */
export function bitTime(bits: number, bitsPerSecond: number): number {
  return (bits * SECOND) / bitsPerSecond;
}
