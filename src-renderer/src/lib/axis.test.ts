import { describe, expect, it } from 'vitest';
import { axisWidth, rateTickLabels, timeTickLabels } from './axis';

describe('chart axes', () => {
  it('gives time ticks the decimals their spacing needs, all distinct', () => {
    expect(timeTickLabels([0.001, 0.002, 0.003])).toEqual(['0.001 s', '0.002 s', '0.003 s']);
    expect(timeTickLabels([0.5, 1, 1.5])).toEqual(['0.5 s', '1.0 s', '1.5 s']);
    expect(timeTickLabels([10, 20, 30])).toEqual(['10 s', '20 s', '30 s']);
    const fine = timeTickLabels([1.00002, 1.00004, 1.00006]);
    expect(new Set(fine).size).toBe(3);
  });

  it('shows long runs in ks, short enough not to run together', () => {
    expect(timeTickLabels([20_000, 40_000, 60_000])).toEqual(['20 ks', '40 ks', '60 ks']);
    expect(timeTickLabels([100_200, 100_400])).toEqual(['100.2 ks', '100.4 ks']);
    for (const l of timeTickLabels([20_000, 40_000, 60_000, 80_000, 100_000]))
      expect(l.length).toBeLessThanOrEqual(8);
  });

  it('leaves room for the longest rate label', () => {
    const labels = rateTickLabels([0, 5000, 10_000]);
    expect(labels).toEqual(['0 /s', '5.0 k/s', '10.0 k/s']);
    expect(axisWidth(labels)).toBeGreaterThanOrEqual(8 * 6.6 + 18);
  });
});
