import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { devClose, devOpen } from '../../netdev/dev';
import { devQueueXmit } from '../../netdev/dev-xmit';
import { Cpu } from '../../sim/cpu';
import { Rng } from '../../sim/rng';
import type { SkBuff } from '../../skb/sk-buff';
import { NET_SKB_PAD } from '../../skb/truesize';
import { ETH_HLEN, EthernetView } from '../../wire/ethernet';
import { ETH_P_EXPERIMENTAL, Rig } from '../../testing/rig';
import { parseMac } from '../../wire/mac';
import { Machine } from '../machine';
import { formatReport } from './oops';
import { loadQuickJS } from './quickjs';
import { StudentNic } from './student-nic';

const NE2K = readFileSync(
  new URL('../../../../resources/drivers/ne2k.js', import.meta.url),
  'utf8',
);
const MAC = parseMac('02:00:00:00:aa:01')!;

beforeAll(async () => {
  await loadQuickJS();
});

/** A rig with a built-in host h0 and a machine whose eth0 is an NE2000 run by `source`. */
function setup(source = NE2K, file = 'ne2k.js') {
  const rig = new Rig();
  const h0 = rig.addHost('hash64');
  const machine = new Machine('s', rig.sched, new Cpu(), rig.pool, new Rng(3));
  const nic = new StudentNic(machine, {
    card: 'ne2000',
    name: 'eth0',
    mac: MAC,
    driver: { file, source },
  });
  nic.attach(rig.segment.attach(nic.card));
  const received: Uint8Array[] = [];
  nic.dev.rxHandler = (skb: SkBuff) => {
    received.push(skb.buf.slice(skb.macHeader, skb.tail));
    skb.free();
  };
  return { rig, h0, nic, received, machine };
}

function frameFrom(rig: Rig, src: Uint8Array, dest: Uint8Array, payload: number, fill: number) {
  const skb = rig.pool.alloc(NET_SKB_PAD + ETH_HLEN + payload);
  skb.reserve(NET_SKB_PAD + ETH_HLEN);
  skb.buf.fill(fill, skb.put(payload), skb.tail);
  EthernetView.write(skb.buf, skb.push(ETH_HLEN), dest, src, ETH_P_EXPERIMENTAL);
  return skb;
}

describe('StudentNic with the reference ne2k.js', () => {
  it('probes the PROM address, opens, and receives frames through the ring', () => {
    const { rig, h0, nic, received } = setup();
    expect(nic.reports).toEqual([]);
    expect([...nic.dev.devAddr]).toEqual([...MAC]);
    expect(devOpen(nic.dev)).toBe(0);
    for (let i = 0; i < 20; i++) rig.send(h0, MAC, 100 + i * 50, i);
    rig.run(50e6);
    expect(nic.reports.map(formatReport)).toEqual([]);
    expect(received.length).toBe(20);
    received.forEach((f, i) => {
      // lib8390 hands up the FCS too; IP trims it by its own length.
      expect(f.length).toBe(14 + 100 + i * 50 + 4);
      expect(f[14]).toBe(i);
    });
    expect(nic.dev.ops.getStats!(nic.dev).rx_packets).toBe(20);
  });

  it('survives a flood: the ring overflows, frames are counted missed, and it recovers', () => {
    const { rig, h0, nic, received } = setup();
    devOpen(nic.dev);
    for (let i = 0; i < 200; i++) rig.send(h0, MAC, 1400, i & 0xff);
    rig.run(200e6);
    expect(nic.reports.map(formatReport)).toEqual([]);
    expect(received.length).toBeGreaterThan(0);
    const stats = nic.dev.ops.getStats!(nic.dev);
    expect(stats.rx_packets).toBe(received.length);
    rig.send(h0, MAC, 60, 0xee);
    rig.run(10e6);
    expect(received.at(-1)![14]).toBe(0xee);
  });

  it('transmits through remote DMA: the peer gets the same bytes', () => {
    const { rig, h0, nic } = setup();
    devOpen(nic.dev);
    for (let i = 0; i < 5; i++)
      expect(devQueueXmit(frameFrom(rig, MAC, h0.nic.dev.devAddr, 30 + i * 301, i), nic.dev)).toBe(
        0,
      );
    rig.run(50e6);
    expect(nic.reports.map(formatReport)).toEqual([]);
    expect(h0.received.length).toBe(5);
    h0.received.forEach((f, i) => {
      expect(f.length).toBe(Math.max(14 + 30 + i * 301, 60));
      expect([...f.subarray(6, 12)]).toEqual([...MAC]);
      expect(f[14]).toBe(i);
    });
    expect(nic.dev.ops.getStats!(nic.dev).tx_packets).toBe(5);
  });

  it('filters multicast by the MAR bits set_multicast_list computes', () => {
    const { rig, h0, nic, received } = setup();
    devOpen(nic.dev);
    const joined = parseMac('01:00:5e:01:02:03')!;
    nic.dev.mc.add(joined, false);
    nic.dev.ops.setMulticastList!(nic.dev);
    rig.send(h0, joined, 50, 1);
    rig.send(h0, parseMac('01:00:5e:7f:00:09')!, 50, 2);
    rig.run(10e6);
    expect(received.map((f) => f[14])).toEqual([1]);
  });

  it('answers -EBUSY to a new MAC while up, as eth_mac_addr does', () => {
    const { nic } = setup();
    devOpen(nic.dev);
    expect(nic.dev.ops.setMacAddress!(nic.dev, parseMac('02:00:00:00:aa:09')!)).toBe(-16);
    devClose(nic.dev);
    expect(nic.dev.ops.setMacAddress!(nic.dev, parseMac('02:00:00:00:aa:09')!)).toBe(0);
    expect(nic.reports).toEqual([]);
  });
});
