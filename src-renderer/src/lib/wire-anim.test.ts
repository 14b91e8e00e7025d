import { describe, expect, it } from 'vitest';
import {
  MAX_PULSES_PER_SEC,
  MIN_VISIBLE_MS,
  PULSE_BAND,
  pulseClass,
  pulseHead,
  pulseProgress,
  pulseReached,
  pulseSpans,
  pulseTiming,
  spreadShare,
  tooDense,
  wallFrameRate,
} from './wire-anim';

const bus = { top: 0, bottom: 300 };

describe('pulse timing', () => {
  it('places a frame in the replayed interval at the current speed', () => {
    // A 100 µs interval at 0.001× lasts 100 ms of wall time; a frame 40 µs in starts 40 ms in.
    const t = pulseTiming({ startNs: 1_040_000, endNs: 1_640_000 }, 1_000_000, 5000, 0.001);
    expect(t.wallStart).toBeCloseTo(5040);
    // 600 µs on the wire at 0.001× is 600 ms on screen.
    expect(t.wallDur).toBeCloseTo(600);
  });

  it('stretches a short frame to stay visible', () => {
    // 6.7 µs at 0.001× would be 6.7 ms: too quick to see.
    const t = pulseTiming({ startNs: 0, endNs: 6_720 }, 0, 0, 0.001);
    expect(t.wallDur).toBe(MIN_VISIBLE_MS);
  });

  it('starts a frame begun before the interval at once, and an unended one at its minimum', () => {
    const t = pulseTiming({ startNs: 500, endNs: null }, 1000, 200, 0.01);
    expect(t).toEqual({ wallStart: 200, wallDur: MIN_VISIBLE_MS });
  });

  it('progress runs from 0 to 1 over the pulse', () => {
    const t = { wallStart: 100, wallDur: 400 };
    expect(pulseProgress(50, t)).toBe(0);
    expect(pulseProgress(300, t)).toBe(0.5);
    expect(pulseProgress(900, t)).toBe(1);
  });
});

describe('too many frames to draw', () => {
  const push = (begun: number, ns: number) => ({ begun, sinceNs: 0, simTimeNs: ns });

  it('counts frames per second of wall time at the speed', () => {
    // 10 frames in 100 µs of simulated time at 0.001× (100 ms of wall time): 100 a second.
    expect(wallFrameRate(push(10, 100_000), 0.001)).toBeCloseTo(100);
    expect(wallFrameRate(push(5, 0), 0.001)).toBe(0);
  });

  it('draws a 10,000 frame/s flood at 0.001×, not at 0.01×', () => {
    // 100 ms of wall time per push: 0.1 ms (1 frame) at 0.001×, 1 ms (10 frames) at 0.01×.
    expect(tooDense(push(1, 100_000), 0.001)).toBe(false);
    expect(tooDense(push(10, 1_000_000), 0.01)).toBe(true);
    expect(MAX_PULSES_PER_SEC).toBeGreaterThan(10);
  });
});

describe('the pulse on the bus', () => {
  it('runs out both ways from the sender’s tap as a band, and leaves the bus at the end', () => {
    const from = 100; // 100 px up, 200 px down: the longer run is 200
    expect(pulseSpans(0, bus, from)).toEqual([]);
    const early = pulseSpans(0.1, bus, from);
    const head = pulseHead(0.1, bus, from);
    expect(head).toBeCloseTo(0.1 * (200 + PULSE_BAND));
    expect(early).toEqual([
      { y1: from - head, y2: from },
      { y1: from, y2: from + head },
    ]);
    // Later the band has left the sender: its tail is behind its head by PULSE_BAND.
    const mid = pulseSpans(0.6, bus, from);
    const h = pulseHead(0.6, bus, from);
    expect(mid).toEqual([{ y1: from + h - PULSE_BAND, y2: from + h }]);
    expect(pulseSpans(1, bus, from)).toEqual([]);
  });

  it('lights the whole bus when told to (reduced motion, a held step)', () => {
    expect(pulseSpans(0, bus, 100, true)).toEqual([{ y1: 0, y2: 300 }]);
  });

  it('reaches nearer taps first', () => {
    const from = 100;
    expect(pulseReached(0.1, bus, from, 110)).toBe(true);
    expect(pulseReached(0.1, bus, from, 250)).toBe(false);
    expect(pulseReached(0.9, bus, from, 250)).toBe(true);
    expect(pulseReached(1, bus, from, 300)).toBe(true);
  });

  it('a frame in flight has spread by the share of the propagation delay gone by', () => {
    expect(spreadShare({ startNs: 1000, endNs: null }, 1250, 500)).toBe(0.5);
    expect(spreadShare({ startNs: 1000, endNs: null }, 9000, 500)).toBe(1);
    expect(spreadShare({ startNs: 1000, endNs: 7000 }, 1000, 500)).toBe(1);
    expect(spreadShare({ startNs: 1000, endNs: null }, 1000, 0)).toBe(1);
  });

  it('is coloured by the wire’s fate, then by protocol', () => {
    expect(pulseClass({ outcome: 'collision', protocol: 'ARP' })).toBe('collision');
    expect(pulseClass({ outcome: 'corrupted', protocol: 'NETLAB' })).toBe('damaged');
    expect(pulseClass({ outcome: 'ok', protocol: 'NETLAB' })).toBe('udp');
    expect(pulseClass({ outcome: 'ok', protocol: 'ARP' })).toBe('arp');
    expect(pulseClass({ outcome: 'ok', protocol: 'IGMPv2' })).toBe('igmp');
    expect(pulseClass({ outcome: 'in flight', protocol: '' })).toBe('other');
  });
});
