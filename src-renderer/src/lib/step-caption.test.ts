import { describe, expect, it } from 'vitest';
import type { WireFrameView } from '../../../src-main/ipc/api';
import { stepCaption } from './step-caption';

function frame(over: Partial<WireFrameView> = {}): WireFrameView {
  return {
    seq: 7,
    sender: 'h1:eth0',
    startNs: 0,
    endNs: 6720,
    outcome: 'ok',
    protocol: 'UDP',
    summary: '10.0.1.2 → 10.0.2.2 UDP 5000',
    info: '',
    stations: [],
    ...over,
  };
}

describe('stepCaption', () => {
  it('one segment: the frame, unnamed, as before', () => {
    expect(stepCaption([{ segment: 'segment', frames: [frame()], atNs: 10 }], false)).toBe(
      'Frame 7 from h1:eth0: 10.0.1.2 → 10.0.2.2 UDP 5000 — reached every station, 6.7 µs on the wire',
    );
  });

  it('names the segment of the step’s frames, not an earlier step’s on another', () => {
    const text = stepCaption(
      [
        { segment: 'lan1', frames: [frame()], atNs: 10 },
        { segment: 'lan2', frames: [frame({ seq: 3, sender: 'r:eth1' })], atNs: 20 },
      ],
      true,
    );
    expect(text).toMatch(/^lan2: Frame 3 from r:eth1: /);
    expect(text).not.toContain('lan1');
  });

  it('frames ending together on two segments: each named', () => {
    const text = stepCaption(
      [
        { segment: 'lan1', frames: [frame()], atNs: 20 },
        { segment: 'lan2', frames: [frame({ seq: 3, sender: 'r:eth1' })], atNs: 20 },
      ],
      true,
    );
    expect(text).toMatch(/^lan1: Frame 7 from h1:eth0: .* · lan2: Frame 3 from r:eth1: /);
  });

  it('a collision’s colliders, and nothing stepped yet', () => {
    const colliders = [
      frame({ outcome: 'collision', sender: 'h1:eth0' }),
      frame({ seq: 8, outcome: 'collision', sender: 'h2:eth0' }),
    ];
    expect(stepCaption([{ segment: 'hub', frames: colliders, atNs: 5 }], true)).toBe(
      'hub: 2 frames collided: h1:eth0, h2:eth0',
    );
    expect(stepCaption([{ segment: 'hub', frames: [], atNs: 0 }], true)).toBe('');
  });
});
