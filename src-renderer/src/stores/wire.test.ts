// The wire store's decisions, from pushed `wire` events: what is drawn when paused (a step's
// frames, held), in a slow run (each frame at its time), and when there are too many.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { WireFrameView, WireFramesView } from '../../../src-main/ipc/api';
import { MIN_VISIBLE_MS, VERDICT_HOLD_MS } from '../lib/wire-anim';
import { FakeApi } from './fake-api';
import { useWireStore } from './wire';

function frame(seq: number, over: Partial<WireFrameView> = {}): WireFrameView {
  return {
    seq,
    sender: 'h0:eth0',
    startNs: seq * 100_000,
    endNs: seq * 100_000 + 6260,
    outcome: 'ok',
    protocol: 'NETLAB',
    summary: 'NETLAB 239.1.1.24',
    info: '',
    stations: [{ station: 'h0:eth0', verdict: 'sent', fate: 'sent', detail: '' }],
    ...over,
  };
}

function push(frames: WireFrameView[], over: Partial<WireFramesView> = {}): WireFramesView {
  return {
    sinceNs: 0,
    simTimeNs: 1e6,
    frames,
    begun: frames.length,
    skipped: 0,
    utilisation: 0.06,
    collisions: 0,
    ...over,
  };
}

describe('wire store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    new FakeApi();
  });

  it('paused: a step’s frames stay drawn until a later step brings new ones', () => {
    const w = useWireStore();
    w.receive(push([frame(1)]), 1000, false, 1);
    expect(w.mode).toBe('step');
    expect(w.stepped.map((f) => f.seq)).toEqual([1]);
    expect(w.shown[0]).toMatchObject({ wallStart: 1000, wallDur: MIN_VISIBLE_MS, held: true });
    // A push with nothing new (an interface brought up while paused) keeps it.
    w.receive(push([]), 2000, false, 1);
    w.expire(60_000);
    expect(w.stepped.map((f) => f.seq)).toEqual([1]);
    // The next step replaces it.
    w.receive(push([frame(2)]), 3000, false, 1);
    expect(w.stepped.map((f) => f.seq)).toEqual([2]);
  });

  it('paused: a frame in flight is updated in place when it ends', () => {
    const w = useWireStore();
    w.receive(push([frame(5, { outcome: 'in flight', endNs: null })]), 0, false, 1);
    w.receive(push([frame(5)]), 100, false, 1);
    expect(w.shown).toHaveLength(1);
    expect(w.stepped[0].outcome).toBe('ok');
  });

  it('a slow run: each frame is drawn at its time in the interval, then forgotten', () => {
    const w = useWireStore();
    // 0.001×: the interval 0..1 ms plays over one wall second from the push.
    w.receive(push([frame(1), frame(2)]), 10_000, true, 0.001);
    expect(w.mode).toBe('pulses');
    expect(w.shown.map((s) => [s.frame.seq, s.wallStart, s.held])).toEqual([
      [1, 10_100, false],
      [2, 10_200, false],
    ]);
    expect(w.shown[0].wallDur).toBeCloseTo(MIN_VISIBLE_MS);
    w.expire(10_200 + MIN_VISIBLE_MS + VERDICT_HOLD_MS + 1);
    expect(w.shown).toEqual([]);
  });

  it('a slow run: a frame listed in flight waits for its end before it is drawn', () => {
    const w = useWireStore();
    w.receive(push([frame(3, { outcome: 'in flight', endNs: null })]), 0, true, 0.001);
    expect(w.shown[0].wallStart).toBe(Infinity);
    w.receive(push([frame(3)], { sinceNs: 1e6, simTimeNs: 2e6, begun: 0 }), 1000, true, 0.001);
    expect(w.shown[0].wallStart).toBe(1000);
  });

  it('too many frames: none drawn, counted as not drawn, the mode says the bus glows', () => {
    const w = useWireStore();
    const frames = Array.from({ length: 64 }, (_, i) => frame(i + 1));
    w.receive(push(frames, { begun: 1000, skipped: 936, utilisation: 0.58 }), 0, true, 1);
    expect(w.mode).toBe('dense');
    expect(w.shown).toEqual([]);
    expect(w.skipped).toBe(1000);
    expect(w.utilisation).toBe(0.58);
    expect(w.rate).toBeCloseTo(1e6);
  });

  it('at max: nothing listed, the load only; running releases a held step', () => {
    const w = useWireStore();
    w.receive(push([frame(1)]), 0, false, 'max');
    w.receive(push([], { begun: 5000, skipped: 5000, utilisation: 0.9 }), 100, true, 'max');
    expect(w.mode).toBe('max');
    expect(w.shown[0].held).toBe(false);
    w.expire(100_000);
    expect(w.shown).toEqual([]);
  });
});
