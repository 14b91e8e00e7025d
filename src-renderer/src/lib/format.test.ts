import { describe, expect, it } from 'vitest';
import {
  formatBitRate,
  formatBytes,
  formatDuration,
  formatFrameTime,
  formatRate,
  formatSimTime,
  formatSpeed,
} from './format';
import { nearestSpeed, parseSpeed } from './speeds';

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
});
