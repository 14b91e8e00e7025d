import { describe, expect, it } from 'vitest';
import type { CaptureState } from '../../../src-main/ipc/api';
import { emptyListHint } from './capture-hint';

const state = (over: Partial<CaptureState>): CaptureState =>
  ({
    running: true,
    points: ['segment'],
    count: 0,
    first: 1,
    last: 0,
    filter: '',
    matching: 0,
    pending: 0,
    ...over,
  }) as CaptureState;

describe('the empty packet list', () => {
  it('says "press Run" only where running the lab would fill it', () => {
    expect(emptyListHint(state({}), false)).toMatch(/press Run/);
    expect(emptyListHint(state({ points: [] }), false)).toMatch(/name capture points.*Start/);
    expect(emptyListHint(state({ points: [] }), false)).not.toMatch(/Run/);
    // Several segments: Start with nothing named captures each of them.
    expect(emptyListHint(state({ points: [] }), false, ['lan1', 'lan2'])).toBe(
      'Nothing is captured: press Start to capture every segment (lan1, lan2), or name capture points (lan1, h1:eth0).',
    );
    expect(emptyListHint(state({ running: false }), false)).toMatch(/stopped: press Start/);
    expect(emptyListHint(state({}), true)).not.toMatch(/press Run/);
    expect(emptyListHint(state({ filter: 'udp' }), false)).toBe('No frame matches the filter.');
  });
});
