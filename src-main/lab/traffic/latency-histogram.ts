/**
 * A log-linear histogram of latencies in ns (the HdrHistogram layout): below
 * 64 ns one bucket per ns; above, every power of two is split into 64 equal
 * buckets. A bucket is then never wider than 1/64 of its lower edge, so a
 * percentile read from it is off by less than 1.6 % (or 1 ns below 64 ns),
 * whatever the spread of the samples, in a fixed 21 KB per stream: a sink
 * measures p99 over millions of datagrams without storing them.
 *
 * Values up to 2^47 ns (39 hours) get their own buckets; larger ones share
 * the last. Min, max and mean are kept exactly, beside the buckets.
 */

const SUB_BITS = 6;
const SUB = 1 << SUB_BITS; // 64
/** Exponent of the highest power of two with its own buckets. */
const MAX_EXP = 46;
export const LATENCY_BUCKETS = SUB + (MAX_EXP - SUB_BITS + 1) * SUB;
const TWO_32 = 4294967296;

/**
 * The bucket of a latency of `ns` (negative values go to bucket 0). Every datagram a sink reads
 * goes through here: latencies under 2^31 ns (2.1 s), nearly all of them, take integer
 * operations only (the general path's `2 ** shift` and divisions cost ~6× as much).
 */
export function bucketOf(ns: number): number {
  if (ns < 2147483648) {
    if (!(ns >= SUB)) return ns >= 1 ? ns | 0 : 0;
    const v = ns | 0;
    // e = 31 − clz32(v) is the top bit; shift = e − SUB_BITS; the mantissa is v >>> shift.
    const shift = 31 - SUB_BITS - Math.clz32(v);
    return (shift << SUB_BITS) + (v >>> shift);
  }
  return bucketOfLarge(ns);
}

/** `bucketOf` for NaN and latencies of 2^31 ns and more. */
function bucketOfLarge(ns: number): number {
  const v = Math.floor(ns);
  if (!(v >= SUB)) return v > 0 ? v : 0;
  const e = v < TWO_32 ? 31 - Math.clz32(v) : 63 - Math.clz32(Math.floor(v / TWO_32));
  if (e > MAX_EXP) return LATENCY_BUCKETS - 1;
  const shift = e - SUB_BITS;
  const mantissa = Math.floor(v / 2 ** shift); // 64..127
  return SUB + shift * SUB + (mantissa - SUB);
}

/** The smallest value of bucket `i`. */
export function bucketLow(i: number): number {
  if (i < SUB) return i;
  const shift = Math.floor((i - SUB) / SUB);
  return (SUB + ((i - SUB) % SUB)) * 2 ** shift;
}

/** The first value past bucket `i`. */
export function bucketHigh(i: number): number {
  if (i < SUB) return i + 1;
  const shift = Math.floor((i - SUB) / SUB);
  return (SUB + ((i - SUB) % SUB) + 1) * 2 ** shift;
}

export class LatencyHistogram {
  readonly counts = new Float64Array(LATENCY_BUCKETS);
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  record(ns: number): void {
    this.counts[bucketOf(ns)]++;
    this.count++;
    this.sum += ns;
    if (ns < this.min) this.min = ns;
    if (ns > this.max) this.max = ns;
  }

  /** Adds another histogram's samples to this one. */
  merge(other: LatencyHistogram): void {
    for (let i = 0; i < LATENCY_BUCKETS; i++) this.counts[i] += other.counts[i];
    this.count += other.count;
    this.sum += other.sum;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }

  get mean(): number {
    return this.count > 0 ? this.sum / this.count : NaN;
  }

  /**
   * The `q`-quantile (0 < q ≤ 1) by nearest rank: the smallest latency that
   * at least q of the samples do not exceed. Reported as the upper edge of its
   * bucket, clamped to [min, max]: never below the true value, and above it by
   * less than the bucket width. NaN with no samples.
   */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < LATENCY_BUCKETS; i++) {
      seen += this.counts[i];
      if (seen < rank) continue;
      // The last bucket is open-ended: only max bounds it.
      if (i === LATENCY_BUCKETS - 1) return this.max;
      return Math.min(Math.max(bucketHigh(i), this.min), this.max);
    }
    return this.max;
  }
}
