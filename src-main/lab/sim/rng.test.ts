import { describe, expect, it } from 'vitest';
import { Rng } from './rng';

describe('Rng', () => {
  it('gives the same stream for the same seed and another for another seed', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const sa = Array.from({ length: 100 }, () => a.nextU32());
    const sb = Array.from({ length: 100 }, () => b.nextU32());
    const sc = Array.from({ length: 100 }, () => c.nextU32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('is roughly uniform', () => {
    const r = new Rng(1);
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 100000; i++) bins[r.int(10)]++;
    for (const n of bins) expect(Math.abs(n - 10000)).toBeLessThan(500);
    let sum = 0;
    for (let i = 0; i < 100000; i++) sum += r.exponential(3);
    expect(sum / 100000).toBeCloseTo(3, 1);
  });
});
