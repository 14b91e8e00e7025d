import { describe, expect, it } from 'vitest';
import { LANE_GAP, LANE_X, laneCount, layoutLanes, segmentHue } from './segment-lanes';

describe('segment lanes', () => {
  it('gives overlapping segments lanes of their own, left to right by where they begin', () => {
    // router-ttl: lan1 runs from h1 to r's eth0, lan2 from r's eth1 to h2.
    const lanes = layoutLanes(
      [
        { name: 'lan1', taps: [50, 110] },
        { name: 'lan2', taps: [150, 230] },
      ],
      4,
    );
    expect(lanes.map((l) => [l.name, l.lane])).toEqual([
      ['lan1', 0],
      ['lan2', 0],
    ]);
    expect(lanes[0]).toMatchObject({ x: LANE_X, y1: 44, y2: 116 });
    expect(laneCount(lanes)).toBe(1);
  });

  it('puts a segment that overlaps another in the next lane', () => {
    // A switch at the top with three cables to hosts below it.
    const lanes = layoutLanes(
      [
        { name: 'c1', taps: [40, 200] },
        { name: 'c2', taps: [80, 260] },
        { name: 'c3', taps: [120, 320] },
        { name: 'late', taps: [400, 500] },
      ],
      4,
    );
    expect(lanes.map((l) => l.lane)).toEqual([0, 1, 2, 0]);
    expect(lanes[2].x).toBe(LANE_X + 2 * LANE_GAP);
    expect(laneCount(lanes)).toBe(3);
  });

  it('draws a segment with no station as a stub at the top', () => {
    const [lane] = layoutLanes([{ name: 'empty', taps: [] }], 10);
    expect(lane.y2 - lane.y1).toBeGreaterThan(0);
  });

  it('colours segments with distinct hues', () => {
    const hues = new Set(Array.from({ length: 9 }, (_, i) => segmentHue(i)));
    expect(hues.size).toBe(9);
  });
});
