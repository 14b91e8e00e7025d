// The follow store against a fake API: what it asks the engine, what it keeps of the answer, and
// how a jump reaches the packet list.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import type { CaptureState, FrameFollow } from '../../../src-main/ipc/api';
import { useCaptureStore } from './capture';
import { FakeApi } from './fake-api';
import { useFollowStore } from './follow';

const state = (over: Partial<CaptureState> = {}): CaptureState => ({
  running: false,
  points: ['segment', 'h1:eth0'],
  count: 100,
  first: 1,
  last: 100,
  filter: '',
  matching: 100,
  pending: 0,
  limit: 128 * 2 ** 20,
  bytes: 0,
  overwritten: 0,
  sort: { column: 'no', descending: false, pending: 0, generation: 0 },
  ...over,
});

function answer(no: number, index: number | null): FrameFollow {
  return {
    no,
    seq: 40,
    outcome: 'on the wire',
    sender: 'h0:eth0',
    destination: '01:00:5e:01:01:02',
    startNs: 1000,
    endNs: 7260,
    segment: { no, index: no - 1 },
    stations: [
      {
        host: 'h1',
        dev: 'eth0',
        fate: 'hardware filter',
        detail: 'hash bin 19 not set (bins set: 4, 31)',
        socket: null,
        stages: [{ what: 'went on the wire', timeNs: 1000 }],
        captured: { no: 12, index },
      },
    ],
  };
}

describe('follow store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('follows a frame and keeps the answer, or the error, until closed', async () => {
    let index: number | null = 11;
    const api = new FakeApi({
      'capture.follow': (a: { no: number }) => answer(a.no, index),
      'capture.row': () => ({ row: { no: 12 }, hex: '', tree: [] }),
    });
    const follow = useFollowStore();
    await follow.follow(10, 'UDP');
    expect(api.calls).toEqual([{ op: 'capture.follow', args: { no: 10 } }]);
    expect(follow.open).toBe(true);
    expect(follow.result?.stations[0].detail).toBe('hash bin 19 not set (bins set: 4, 31)');
    expect(follow.protocol).toBe('UDP');

    // A jump to a copy the list shows asks the list to scroll there.
    const capture = useCaptureStore();
    await follow.jump(follow.result!.stations[0].captured!);
    expect(capture.revealing).toMatchObject({ no: 12, index: 11 });
    // One the display filter hides is opened below, with a word on why the list lacks it.
    index = null;
    await follow.follow(10, 'UDP');
    await follow.jump(follow.result!.stations[0].captured!);
    expect(capture.selectedNo).toBe(12);
    expect(capture.message).toBe('Frame 12 is hidden by the display filter: it is opened below');

    follow.close();
    expect(follow.open).toBe(false);
    expect(follow.result).toBeNull();
  });

  it('shows why a frame cannot be followed', async () => {
    new FakeApi({
      'capture.follow': {
        error: {
          code: 'refused',
          message: 'frame 3 was read from a file: the lab has no record of it at other hosts',
        },
      },
    });
    const follow = useFollowStore();
    await follow.follow(3);
    expect(follow.open).toBe(true);
    expect(follow.result).toBeNull();
    expect(follow.error).toBe(
      'frame 3 was read from a file: the lab has no record of it at other hosts',
    );
  });

  it('asks again when the list changes under it (its rows have moved)', async () => {
    const api = new FakeApi({ 'capture.follow': (a: { no: number }) => answer(a.no, 5) });
    const capture = useCaptureStore();
    const follow = useFollowStore();
    follow.init();
    capture.update(state());
    await follow.follow(10);
    capture.update(state({ filter: 'udp', matching: 40 }));
    await nextTick();
    expect(api.opsCalled()).toEqual(['capture.follow', 'capture.follow']);
  });
});
