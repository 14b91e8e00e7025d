import { describe, expect, it } from 'vitest';
import { pointLabel, pointSegment, segmentPoints } from './capture-points';

const iface = (name: string, segment: string | null) => ({ name, segment });
// router-ttl's shape: h1 on lan1, r on both, h2 on lan2.
const lab = {
  segments: [{ name: 'lan1' }, { name: 'lan2' }],
  hosts: [
    { name: 'h1', interfaces: [iface('eth0', 'lan1')] },
    { name: 'r', interfaces: [iface('eth0', 'lan1'), iface('eth1', 'lan2')] },
  ],
} as unknown as Parameters<typeof pointSegment>[0];

describe('capture points on segments', () => {
  it('puts a card’s point on the segment its cable goes to', () => {
    expect(pointSegment(lab, 'lan2')).toBe('lan2');
    expect(pointSegment(lab, 'r:eth1')).toBe('lan2');
    expect(pointSegment(lab, 'r:eth9')).toBeNull();
    expect(pointLabel(lab, 'r:eth1')).toBe('r:eth1 (lan2)');
    expect(pointLabel(lab, 'lan1')).toBe('lan1');
  });

  it('says nothing more in a lab of one segment', () => {
    const one = { ...lab, segments: [{ name: 'segment' }] } as typeof lab;
    expect(pointLabel(one, 'h1:eth0')).toBe('h1:eth0');
  });

  it('lists the points that are segments, in the lab’s order', () => {
    expect(segmentPoints(lab, ['h1:eth0', 'lan2', 'lan1'])).toEqual(['lan1', 'lan2']);
  });
});
