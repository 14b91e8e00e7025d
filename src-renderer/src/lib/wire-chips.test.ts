import { describe, expect, it } from 'vitest';
import type { WireFrameView, WireStationView } from '../../../src-main/ipc/api';
import { fitChip, verdictChip } from './wire-chips';

function frame(over: Partial<WireFrameView> = {}): WireFrameView {
  return {
    seq: 38,
    sender: 'h0:eth0',
    startNs: 0,
    endNs: 6260,
    outcome: 'ok',
    protocol: 'NETLAB',
    summary: 'NETLAB 239.1.1.24',
    info: '',
    stations: [],
    ...over,
  };
}

const st = (verdict: WireStationView['verdict'], fate: string): WireStationView => ({
  station: 'h1:eth0',
  verdict,
  fate,
  detail: 'why',
});

describe('verdict chips', () => {
  it('the sender shows the frame’s label; a collision says so', () => {
    expect(verdictChip(frame(), st('sent', 'sent'))).toMatchObject({
      text: 'NETLAB 239.1.1.24',
      tone: 'sender',
    });
    expect(verdictChip(frame({ outcome: 'collision' }), st('sent', 'sent'))).toMatchObject({
      text: '✗ collided: NETLAB 239.1.1.24',
      tone: 'missed',
    });
  });

  it('a receiver shows its verdict, with the kernel’s reason for a drop', () => {
    expect(verdictChip(frame(), st('filtered', 'hardware filter'))).toMatchObject({
      text: 'filtered',
      tone: 'filtered',
    });
    expect(verdictChip(frame(), st('dropped', 'group not joined'))).toMatchObject({
      text: 'dropped: not joined',
      tone: 'drop',
    });
    expect(verdictChip(frame(), st('delivered', 'delivered')).tone).toBe('ok');
    expect(verdictChip(frame(), st('delivered', 'consumed by kernel')).text).toBe('kernel took it');
    expect(verdictChip(frame(), st('taken', 'queued')).text).toBe('taken in');
    expect(verdictChip(frame({ outcome: 'collision' }), st('missed', 'collision')).text).toBe(
      'collision',
    );
  });

  it('says in full on hover what became of the frame there, and why', () => {
    expect(verdictChip(frame(), st('dropped', 'group not joined')).title).toBe(
      'frame 38 (NETLAB 239.1.1.24): group not joined: why',
    );
  });

  it('a bridge port shows what its bridge did with the frame', () => {
    const port = (detail: string) => ({ ...st('dropped', 'group not joined'), detail });
    expect(verdictChip(frame(), port('br0: flooded to eth1, eth2'))).toMatchObject({
      text: 'br0: flooded',
      tone: 'ok',
    });
    expect(
      verdictChip(frame(), port('br0: fdb: its destination is behind eth2, forwarded there')).text,
    ).toBe('br0: forwarded');
    expect(
      verdictChip(frame(), port('br0: mdb: 239.1.1.1 sent to eth1 (members or multicast routers)'))
        .text,
    ).toBe('br0: to members');
    // Not a bridge's words: the kernel's verdict as before.
    expect(verdictChip(frame(), port('IP dropped it')).text).toMatch(/^dropped: /);
  });

  it('cuts a chip too long for its room', () => {
    expect(fitChip('filtered', 200)).toEqual({ text: 'filtered', width: 59 });
    const cut = fitChip('NETLAB 239.1.1.24 and more', 80);
    expect(cut.width).toBeLessThanOrEqual(80);
    expect(cut.text.endsWith('…')).toBe(true);
  });
});
