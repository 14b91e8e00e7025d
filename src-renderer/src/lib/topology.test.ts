import { describe, expect, it } from 'vitest';
import {
  HOST_GAP,
  HOST_HEADER,
  IFACE_ROW,
  ifaceBadges,
  layoutHosts,
  recentUtilisation,
} from './topology';

describe('interface badges', () => {
  it('shows UP/DOWN, the flags that are set and the filter mode', () => {
    expect(
      ifaceBadges(['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'], 'hash').map((b) => b.text),
    ).toEqual(['UP', 'hash']);
    expect(
      ifaceBadges(['BROADCAST', 'PROMISC', 'ALLMULTI'], null).map((b) => [b.text, b.kind]),
    ).toEqual([
      ['DOWN', 'down'],
      ['PROMISC', 'flag'],
      ['ALLMULTI', 'flag'],
    ]);
  });
});

describe('layoutHosts', () => {
  it('stacks hosts with a row per interface', () => {
    const { boxes, height } = layoutHosts([
      { name: 'h0', interfaces: 1 },
      { name: 'h1', interfaces: 2 },
    ]);
    expect(boxes[0].y).toBe(HOST_GAP);
    expect(boxes[1].ifaceY).toEqual([
      boxes[1].y + HOST_HEADER,
      boxes[1].y + HOST_HEADER + IFACE_ROW,
    ]);
    expect(height).toBe(boxes[1].y + boxes[1].height + HOST_GAP);
  });
});

describe('recentUtilisation', () => {
  it('turns two cumulative averages into the utilisation between them', () => {
    // Busy 0.1 s of the first 1 s, then 0.5 s of the next 1 s.
    expect(
      recentUtilisation({ utilisation: 0.3, simTimeNs: 2e9 }, { utilisation: 0.1, simTimeNs: 1e9 }),
    ).toBeCloseTo(0.5);
    expect(recentUtilisation({ utilisation: 0.3, simTimeNs: 2e9 }, null)).toBe(0.3);
  });
});
