import { describe, expect, it } from 'vitest';
import {
  formatBitRate,
  formatBytes,
  formatDuration,
  formatFrameTime,
  formatRate,
  formatClock,
  formatSimTime,
  formatSpeed,
} from './format';
import { nearestSpeed, parseSpeed, shortfall, SpeedMeter } from './speeds';

describe('format', () => {
  it('shows simulated and frame times in seconds', () => {
    expect(formatSimTime(1_234_567_890)).toBe('1.234567890 s');
    expect(formatFrameTime(82_680)).toBe('0.000082680');
  });

  it('shows rates, bytes, bit rates and durations in the unit that reads best', () => {
    expect(formatRate(12_345)).toBe('12.3 k/s');
    expect(formatRate(0)).toBe('0 /s');
    expect(formatRate(2.5)).toBe('2.5 /s');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBitRate(100e6)).toBe('100 Mbit/s');
    expect(formatDuration(850)).toBe('850 ns');
    expect(formatDuration(12_500)).toBe('12.5 µs');
    expect(formatDuration(null)).toBe('—');
  });

  it('names speeds and reads them back from the speed menu', () => {
    expect(formatSpeed('max')).toBe('max');
    expect(formatSpeed(0.001)).toBe('0.001×');
    expect(parseSpeed('max')).toBe('max');
    expect(parseSpeed('0.25')).toBe(0.25);
    expect(parseSpeed('7')).toBe(1);
    expect(nearestSpeed(0.3)).toBe(0.25);
    expect(nearestSpeed(0.002)).toBe(0.001);
  });

  it('keeps the clock narrow however long the run: h:mm:ss.mmm from 1000 s on', () => {
    expect(formatClock(960)).toBe('0.000000960 s');
    expect(formatClock(999_999_999_999)).toBe('999.999999999 s');
    expect(formatClock(100_235_493_000_000)).toBe('27:50:35.493');
    expect(formatClock(1e12)).toBe('0:16:40.000');
    expect(formatClock(100_235_493_000_000).length).toBeLessThanOrEqual(15);
  });

  it('measures the speed achieved and shows it when it falls short of the chosen one', () => {
    const meter = new SpeedMeter(2000);
    meter.sample(0, 0);
    expect(meter.speed).toBeNull();
    // 0.35 simulated seconds per wall second, sampled every 100 ms for 3 s.
    for (let t = 100; t <= 3000; t += 100) meter.sample(t * 0.35e6, t);
    expect(meter.speed).toBeCloseTo(0.35, 5);
    expect(shortfall(1, meter.speed)).toBe('0.35×');
    expect(shortfall(0.25, meter.speed)).toBe('');
    expect(shortfall('max', meter.speed)).toBe('');
    expect(shortfall(0.01, 0.0042)).toBe('0.0042×');
    meter.reset();
    expect(meter.speed).toBeNull();
  });
});
