import { describe, expect, it } from 'vitest';
import { nsUnits } from './format/chunk-writer';
import {
  addNs,
  diffNs,
  formatDate,
  formatExact,
  formatSpanNs,
  parseSeconds,
  parseSecondsNs,
} from './time';

describe('exact capture times', () => {
  it('adds an offset to an origin to the ns, with carries either way', () => {
    const out = { sec: 0, nsec: 0 };
    addNs({ sec: 1_700_000_000, nsec: 999_999_999 }, 1, out);
    expect(out).toEqual({ sec: 1_700_000_001, nsec: 0 });
    addNs({ sec: 1_700_000_000, nsec: 0 }, -1, out);
    expect(out).toEqual({ sec: 1_699_999_999, nsec: 999_999_999 });
    addNs({ sec: 0, nsec: 0 }, 6720.003, out);
    expect(out).toEqual({ sec: 0, nsec: 6720 });
    addNs({ sec: 5, nsec: 1 }, Number.MAX_SAFE_INTEGER, out);
    expect(out).toEqual({ sec: 5 + 9_007_199, nsec: 254_740_991 + 1 });
    expect(diffNs({ sec: 1_700_000_001, nsec: 5 }, { sec: 1_700_000_000, nsec: 10 })).toBe(
      999_999_995,
    );
  });

  it('reads seconds in filters exactly and refuses what is finer than a ns', () => {
    expect(parseSeconds('1700000000.01')).toEqual({ sec: 1_700_000_000, nsec: 10_000_000 });
    expect(parseSeconds('1700000000.009999990')).toEqual({ sec: 1_700_000_000, nsec: 9_999_990 });
    expect(parseSeconds('-0.5')).toEqual({ sec: -1, nsec: 500_000_000 });
    expect(parseSeconds('.25')).toEqual({ sec: 0, nsec: 250_000_000 });
    expect(parseSeconds('3')).toEqual({ sec: 3, nsec: 0 });
    expect(parseSeconds('0.0000000001')).toBeNull();
    expect(parseSeconds('1e9')).toBeNull();
    expect(parseSeconds('.')).toBeNull();
    expect(parseSecondsNs('0.490000010')).toBe(490_000_010);
    expect(parseSecondsNs('-2')).toBe(-2e9);
    expect(parseSecondsNs('1700000000')).toBe(1.7e18); // 54 years: the nearest double
  });

  it('prints instants and spans as tshark does', () => {
    expect(formatExact({ sec: 1_700_000_000, nsec: 9_999_990 })).toBe('1700000000.009999990');
    expect(formatExact({ sec: -1, nsec: 500_000_000 })).toBe('-0.500000000');
    expect(formatSpanNs(490_000_010)).toBe('0.490000010');
    expect(formatSpanNs(-1)).toBe('-0.000000001');
    expect(formatDate({ sec: 1_700_000_000, nsec: 9_999_990 })).toBe(
      'Nov 14, 2023 22:13:20.009999990 UTC',
    );
    expect(formatDate({ sec: 0, nsec: 3500 })).toBe('Jan  1, 1970 00:00:00.000003500 UTC');
  });

  it('splits epoch ns into pcapng’s 64-bit halves exactly', () => {
    const out = { hi: 0, lo: 0 };
    for (const [sec, nsec] of [
      [0, 0],
      [1_700_000_000, 9_999_990],
      [1_700_000_000, 999_999_999],
      [4_294_967_295, 123_456_789],
      [18_446_744_072, 999_999_999],
    ]) {
      nsUnits(sec, nsec, out);
      const want = BigInt(sec) * 1_000_000_000n + BigInt(nsec);
      expect((BigInt(out.hi) << 32n) | BigInt(out.lo)).toBe(want);
      expect(out.lo).toBeLessThan(2 ** 32);
    }
  });
});
