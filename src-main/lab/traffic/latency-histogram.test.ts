import { describe, expect, it } from 'vitest';
import { Rng } from '../sim/rng';
import {
  bucketHigh,
  bucketLow,
  bucketOf,
  LATENCY_BUCKETS,
  LatencyHistogram,
} from './latency-histogram';

describe('latency histogram', () => {
  it('has contiguous buckets, each at most 1/64 of its lower edge wide (1 ns below 64)', () => {
    expect(bucketLow(0)).toBe(0);
    for (let i = 0; i < LATENCY_BUCKETS - 1; i++) {
      expect(bucketHigh(i)).toBe(bucketLow(i + 1));
      const width = bucketHigh(i) - bucketLow(i);
      expect(width).toBeLessThanOrEqual(Math.max(1, bucketLow(i) / 64));
    }
    for (const v of [
      0,
      1,
      63,
      64,
      127,
      128,
      6260,
      6260.9,
      2 ** 32 - 1,
      2 ** 32,
      3e12,
      2 ** 47 - 1,
    ]) {
      const b = bucketOf(v);
      expect(bucketLow(b)).toBeLessThanOrEqual(v);
      expect(bucketHigh(b)).toBeGreaterThan(v);
    }
    expect(bucketOf(-5)).toBe(0);
    expect(bucketOf(2 ** 60)).toBe(LATENCY_BUCKETS - 1);
  });

  it('puts every latency in the bucket that holds it, on both sides of the 2^31 ns fast path', () => {
    const rng = new Rng(20);
    const values = [0.5, 63.99, 2 ** 31 - 1, 2 ** 31 - 0.5, 2 ** 31, 2 ** 31 + 0.5, NaN];
    for (let i = 0; i < 20_000; i++) values.push(rng.next() * 2 ** (rng.next() * 40));
    for (const v of values) {
      const b = bucketOf(v);
      if (Number.isNaN(v)) {
        expect(b).toBe(0);
        continue;
      }
      expect(bucketLow(b)).toBeLessThanOrEqual(Math.floor(v));
      expect(bucketHigh(b)).toBeGreaterThan(Math.floor(v));
    }
  });

  it('is exact for a constant latency and keeps min, mean and max exactly', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 1000; i++) h.record(6260);
    expect([h.min, h.mean, h.max, h.quantile(0.99)]).toEqual([6260, 6260, 6260, 6260]);
    expect(new LatencyHistogram().quantile(0.99)).toBeNaN();
  });

  it('reads p99 by nearest rank, never below the true value and within 1.6 % above it', () => {
    const rng = new Rng(11);
    for (const spread of [100, 1e4, 1e7, 1e10]) {
      const h = new LatencyHistogram();
      const samples: number[] = [];
      for (let i = 0; i < 20_000; i++) {
        const v = 50 + rng.exponential(spread);
        samples.push(v);
        h.record(v);
      }
      samples.sort((a, b) => a - b);
      for (const q of [0.5, 0.9, 0.99, 0.999, 1]) {
        const exact = samples[Math.ceil(q * samples.length) - 1];
        const got = h.quantile(q);
        expect(got).toBeGreaterThanOrEqual(exact);
        expect(got - exact).toBeLessThanOrEqual(Math.max(1, exact / 64));
      }
    }
  });

  it('merges', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    for (let i = 1; i <= 99; i++) a.record(1000);
    b.record(5000);
    a.merge(b);
    expect(a.count).toBe(100);
    expect(a.min).toBe(1000);
    expect(a.max).toBe(5000);
    expect(a.mean).toBe(1040);
    // The 99th of 100 samples is a 1000: read as its bucket's upper edge, [1000, 1008).
    expect(a.quantile(0.99)).toBe(1008);
    expect(a.quantile(1)).toBe(5000);
  });
});
