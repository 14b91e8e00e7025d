import { describe, expect, it } from 'vitest';
import {
  formatBitRate,
  formatDuration,
  formatPacketRate,
  formatRate,
  parseBitRate,
  parseDuration,
  parsePacketRate,
  parseRate,
  parseSize,
  formatSize,
} from './units';

describe('durations', () => {
  it.each([
    ['500ns', 500],
    ['2us', 2000],
    ['2µs', 2000],
    ['2μs', 2000],
    ['1.5ms', 1_500_000],
    ['1.1ms', 1_100_000],
    ['2s', 2e9],
    ['0s', 0],
    ['0.25s', 250_000_000],
    ['.5us', 500],
    ['10 ms', 10_000_000],
    [' 3us ', 3000],
    ['1e3ns', 1000],
  ])('%s is %d ns', (text, ns) => {
    expect(parseDuration(text)).toEqual({ value: ns });
  });

  it.each([
    [500, 'expected a duration such as 500ns, 2us, 1ms or 2s, got 500 (a number needs a unit)'],
    ['500', 'expected a duration such as 500ns, 2us, 1ms or 2s, got "500"'],
    ['2 sec', 'expected a duration such as 500ns, 2us, 1ms or 2s, got "2 sec"'],
    ['-1s', 'expected a duration such as 500ns, 2us, 1ms or 2s, got "-1s"'],
    ['2MS', 'expected a duration such as 500ns, 2us, 1ms or 2s, got "2MS"'],
    [null, 'expected a duration such as 500ns, 2us, 1ms or 2s, got null (an empty value)'],
    [[1], 'expected a duration such as 500ns, 2us, 1ms or 2s, got a list'],
    ['1e12s', 'expected a duration such as 500ns, 2us, 1ms or 2s, got "1e12s" (too long)'],
    ['1e400s', 'expected a duration such as 500ns, 2us, 1ms or 2s, got "1e400s"'],
  ])('%j is refused', (input, message) => {
    expect(parseDuration(input)).toEqual({ error: message });
  });

  it.each([
    [0, '0s'],
    [500, '500ns'],
    [2000, '2us'],
    [1500, '1.5us'],
    [1_500_000, '1.5ms'],
    [1_100_000, '1.1ms'],
    [1e9, '1s'],
    [90e9, '90s'],
    [1234, '1.234us'],
    [1234.5, '1234.5ns'],
    [0.5, '0.5ns'],
  ])('%d ns is written %s, and reads back', (ns, text) => {
    expect(formatDuration(ns)).toBe(text);
    expect(parseDuration(text)).toEqual({ value: ns });
  });
});

describe('rates', () => {
  it.each([
    ['10000pps', { pps: 10000 }],
    ['2kpps', { pps: 2000 }],
    ['1.5Mpps', { pps: 1_500_000 }],
    ['64kbps', { bitsPerSecond: 64000 }],
    ['64Kbps', { bitsPerSecond: 64000 }],
    ['100Mbps', { bitsPerSecond: 100e6 }],
    ['1Gbps', { bitsPerSecond: 1e9 }],
    ['300bps', { bitsPerSecond: 300 }],
  ])('%s', (text, rate) => {
    expect(parseRate(text)).toEqual({ value: rate });
    expect(formatRate(rate)).toBe(
      text === '2kpps' ? '2000pps' : text === '64Kbps' ? '64kbps' : text,
    );
  });

  it('refuses bare numbers, zero and unknown units', () => {
    const msg = 'expected a rate such as 10000pps, 64kbps, 100Mbps or 1Gbps, got';
    expect(parseRate(1000)).toEqual({ error: `${msg} 1000 (a number needs a unit)` });
    expect(parseRate('0pps')).toEqual({ error: `${msg} "0pps"` });
    expect(parseRate('10 mbps')).toEqual({ error: `${msg} "10 mbps"` });
    expect(parseRate('10MB/s')).toEqual({ error: `${msg} "10MB/s"` });
  });

  it('keeps packet rates and bit rates apart where only one makes sense', () => {
    expect(parsePacketRate('1000pps')).toEqual({ value: 1000 });
    expect(parsePacketRate('1Mbps')).toEqual({
      error: 'expected a packet rate such as 1000pps, got "1Mbps" (a bit rate)',
    });
    expect(parseBitRate('10Mbps')).toEqual({ value: 10e6 });
    expect(parseBitRate('10pps')).toEqual({
      error: 'expected a bit rate such as 10Mbps, 100Mbps or 1Gbps, got "10pps" (a packet rate)',
    });
  });

  it('writes rates in the largest unit that keeps them short', () => {
    expect(formatBitRate(10e6)).toBe('10Mbps');
    expect(formatBitRate(2.5e9)).toBe('2.5Gbps');
    expect(formatBitRate(9600)).toBe('9.6kbps');
    expect(formatBitRate(1234567)).toBe('1234.567kbps');
    expect(formatBitRate(1234567.5)).toBe('1234567.5bps');
    expect(formatPacketRate(1000)).toBe('1000pps');
    expect(formatPacketRate(2_000_000)).toBe('2Mpps');
  });
});

describe('sizes', () => {
  it('reads binary and decimal units, and writes the largest binary unit that is exact', () => {
    expect(parseSize('64MiB')).toEqual({ value: 64 * 2 ** 20 });
    expect(parseSize('1.5 GiB')).toEqual({ value: 1.5 * 2 ** 30 });
    expect(parseSize('512MB')).toEqual({ value: 512e6 });
    expect(parseSize('100')).toEqual({
      error: 'expected a size such as 64MiB, 512MB or 1GiB, got "100"',
    });
    expect(parseSize(100)).toMatchObject({
      error: expect.stringContaining('a number needs a unit'),
    });
    for (const n of [2 ** 20, 3 * 2 ** 30, 1536, 1000])
      expect(parseSize(formatSize(n))).toEqual({ value: n });
    expect(formatSize(128 * 2 ** 20)).toBe('128MiB');
  });
});
