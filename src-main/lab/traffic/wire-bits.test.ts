import { describe, expect, it } from 'vitest';
import { udpLineRate, udpWireBits } from './wire-bits';

describe('bits on the wire per UDP datagram', () => {
  it('counts preamble, the padded frame with FCS, and the inter-frame gap', () => {
    // 18 bytes: 14 + 20 + 8 + 18 = 60, + FCS = 64, + 8 preamble + 12 gap = 84 bytes.
    expect(udpWireBits(18)).toBe(672);
    // Shorter payloads are padded to the same minimum frame.
    expect(udpWireBits(0)).toBe(672);
    expect(udpWireBits(19)).toBe(680);
    // A full 1500-byte packet: 1472 + 28 + 14 + 4 + 20 = 1538 bytes.
    expect(udpWireBits(1472)).toBe(1538 * 8);
  });

  it('gives the classic line rates', () => {
    expect(udpLineRate(100e6, 18)).toBeCloseTo(148_809.52, 2);
    expect(udpLineRate(1e9, 18)).toBeCloseTo(1_488_095.2, 1);
    expect(udpLineRate(10e6, 1472)).toBeCloseTo(812.74, 2);
  });
});
