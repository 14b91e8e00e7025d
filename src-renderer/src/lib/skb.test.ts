import { describe, expect, it } from 'vitest';
import { dissect } from '../../../src-main/lab/capture/dissect/dissect';
import { arpFrame, udpFrame } from '../../../src-main/lab/capture/testing/samples';
import * as lab from '../../../src-main/lab/skb/truesize';
import type { FieldView } from '../../../src-main/ipc/api';
import { skbDataSize, skbLayout, skbScale, skbTruesize } from './skb';

describe('skbLayout', () => {
  it('sizes buffers as the lab does', () => {
    for (const n of [64, 124, 200, 1582, 1600, 9100])
      expect([skbDataSize(n), skbTruesize(skbDataSize(n))]).toEqual([
        lab.skbDataSize(n),
        lab.skbTruesize(lab.skbDataSize(n)),
      ]);
  });

  it('follows a small UDP datagram from the driver to the socket', () => {
    const frame = udpFrame();
    const s = skbLayout(dissect(frame) as FieldView[], frame.length, 'delivered (socket 1)')!;
    expect(s.copied).toBe(true);
    expect(s.allocated).toBe(64 + 60);
    expect(s.end).toBe(lab.skbDataSize(124));
    expect(s.truesize).toBe(lab.skbTruesize(s.end));
    expect(s.stages.map((t) => [t.layer, t.data, t.tail])).toEqual([
      ['driver', 64, 124],
      ['eth_type_trans', 78, 124],
      ['ip_rcv', 98, 124],
      ['udp_rcv', 106, 124],
    ]);
    expect(s.regions.map((r) => r.name)).toEqual(['Ethernet', 'IPv4', 'UDP', 'payload']);
  });

  it('trims padding and stops where the fate says', () => {
    const frame = udpFrame({ size: 2, netlab: false });
    const s = skbLayout(dissect(frame) as FieldView[], frame.length, 'group not joined')!;
    expect(s.stages.at(-1)).toMatchObject({ layer: 'ip_rcv', tail: 64 + 14 + 30, last: true });
    expect(s.stages.at(-1)!.action).toMatch(/pskb_trim\(30\) drops 16 bytes/);
  });

  it('uses the ring buffer past copybreak', () => {
    const frame = udpFrame({ size: 1000 });
    const s = skbLayout(dissect(frame) as FieldView[], frame.length, 'delivered', {
      mtu: 1500,
      copybreak: 256,
    })!;
    expect(s.copied).toBe(false);
    expect(s.allocated).toBe(64 + 1518);
  });

  it('handles a frame without IP', () => {
    const frame = arpFrame();
    const s = skbLayout(dissect(frame) as FieldView[], frame.length, 'consumed by kernel')!;
    expect(s.stages.map((t) => t.layer)).toEqual(['driver', 'eth_type_trans']);
  });
});

describe('skbScale', () => {
  it('draws a small buffer to scale and zooms the headers of a big one', () => {
    const small = skbScale({ end: 192, regions: [{ name: 'UDP', start: 98, end: 106 }] }, 760);
    expect(small.breakAt).toBeNull();
    expect(small.x(96)).toBe(380);
    const big = skbScale({ end: 1728, regions: [{ name: 'UDP', start: 98, end: 106 }] }, 760);
    expect(big.breakAt).toBe(122);
    expect(big.x(122)).toBe(380);
    expect(big.x(1728)).toBe(760);
    expect(big.x(61)).toBe(190);
  });
});
