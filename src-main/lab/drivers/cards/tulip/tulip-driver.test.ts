// The reference driver resources/drivers/tulip.js on the Tulip card, run as a student driver:
// probe, open, receive through the descriptor ring (copybreak and not), transmit, the setup
// frame's perfect entries and hash, promiscuous mode, stop with nothing left behind.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { devChangeFlags, devClose, devOpen } from '../../../netdev/dev';
import { devQueueXmit } from '../../../netdev/dev-xmit';
import { ROOT, USER } from '../../../netdev/cred';
import { EBUSY, EINVAL, EPERM } from '../../../netdev/errno';
import { IFF_PROMISC, IFF_UP } from '../../../netdev/flags';
import { SIOCDEVPRIVATE } from '../../../netdev/ioctl';
import { Cpu } from '../../../sim/cpu';
import { Rng } from '../../../sim/rng';
import type { SkBuff } from '../../../skb/sk-buff';
import { NET_SKB_PAD } from '../../../skb/truesize';
import { ETH_P_EXPERIMENTAL, Rig } from '../../../testing/rig';
import { ETH_HLEN, EthernetView } from '../../../wire/ethernet';
import { parseMac } from '../../../wire/mac';
import { Machine } from '../../machine';
import { formatReport } from '../../student/oops';
import { loadQuickJS } from '../../student/quickjs';
import { StudentNic } from '../../student/student-nic';
import { CSR6, CSR6_HP } from './csr';
import type { TulipCard } from './tulip-card';

const TULIP = readFileSync(
  new URL('../../../../../resources/drivers/tulip.js', import.meta.url),
  'utf8',
);
const MAC = parseMac('00:00:f8:00:aa:01')!;
const mac = (s: string) => parseMac(s)!;
const hex2 = (n: number) => n.toString(16).padStart(2, '0');

beforeAll(async () => {
  await loadQuickJS();
});

function setup(source = TULIP) {
  const rig = new Rig();
  const h0 = rig.addHost('nofilter');
  const machine = new Machine('s', rig.sched, new Cpu(), rig.pool, new Rng(3));
  const nic = new StudentNic(machine, {
    card: 'tulip',
    name: 'eth0',
    mac: MAC,
    driver: { file: 'tulip.js', source },
  });
  nic.attach(rig.segment.attach(nic.card));
  const received: Uint8Array[] = [];
  nic.dev.rxHandler = (skb: SkBuff) => {
    received.push(skb.buf.slice(skb.macHeader, skb.tail));
    skb.free();
  };
  return { rig, h0, nic, received, card: nic.card as TulipCard };
}

function frameFrom(rig: Rig, src: Uint8Array, dest: Uint8Array, payload: number, fill: number) {
  const skb = rig.pool.alloc(NET_SKB_PAD + ETH_HLEN + payload);
  skb.reserve(NET_SKB_PAD + ETH_HLEN);
  skb.buf.fill(fill, skb.put(payload), skb.tail);
  EthernetView.write(skb.buf, skb.push(ETH_HLEN), dest, src, ETH_P_EXPERIMENTAL);
  return skb;
}

function join(nic: StudentNic, groups: Uint8Array[]): void {
  for (const g of groups) nic.dev.mc.add(g, false);
  nic.dev.ops.setMulticastList!(nic.dev);
}

describe('tulip.js on the Tulip card', () => {
  it('probes the ROM address, opens, and receives small and big frames through the ring', () => {
    const { rig, h0, nic, received } = setup();
    expect(nic.reports.map(formatReport)).toEqual([]);
    expect([...nic.dev.devAddr]).toEqual([...MAC]);
    expect(devOpen(nic.dev)).toBe(0);
    for (let i = 0; i < 40; i++) rig.send(h0, MAC, 60 + i * 35, i);
    rig.run(50e6);
    expect(nic.reports.map(formatReport)).toEqual([]);
    expect(received.length).toBe(40);
    received.forEach((f, i) => {
      expect(f.length).toBe(14 + 60 + i * 35);
      expect(f[14]).toBe(i);
      expect(f.at(-1)).toBe(i);
    });
    expect(nic.dev.ops.getStats!(nic.dev).rx_packets).toBe(40);
  });

  it('survives a flood bigger than its ring, and recovers', () => {
    const { rig, h0, nic, received } = setup();
    devOpen(nic.dev);
    for (let i = 0; i < 300; i++) rig.send(h0, MAC, 1400, i & 0xff);
    rig.run(300e6);
    expect(nic.reports.map(formatReport)).toEqual([]);
    expect(received.length).toBe(300);
    rig.send(h0, MAC, 60, 0xee);
    rig.run(10e6);
    expect(received.at(-1)![14]).toBe(0xee);
  });

  it('transmits from the descriptor ring: the peer gets the same bytes, padded', () => {
    const { rig, h0, nic } = setup();
    devOpen(nic.dev);
    for (let i = 0; i < 40; i++)
      expect(devQueueXmit(frameFrom(rig, MAC, h0.nic.dev.devAddr, 30 + i * 37, i), nic.dev)).toBe(
        0,
      );
    rig.run(100e6);
    expect(nic.reports.map(formatReport)).toEqual([]);
    expect(h0.received.length).toBe(40);
    h0.received.forEach((f, i) => {
      expect(f.length).toBe(Math.max(14 + 30 + i * 37, 60));
      expect(f[14]).toBe(i);
    });
    expect(nic.dev.ops.getStats!(nic.dev).tx_packets).toBe(40);
  });

  it('filters multicast with perfect entries up to 14 groups, then the hash', () => {
    const { rig, h0, nic, received, card } = setup();
    devOpen(nic.dev);
    join(nic, [mac('01:00:5e:01:02:03')]);
    rig.send(h0, mac('01:00:5e:01:02:03'), 50, 1);
    rig.send(h0, mac('01:00:5e:7f:00:09'), 50, 2);
    rig.run(10e6);
    expect(received.map((f) => f[14])).toEqual([1]);
    expect(card.read(4, CSR6) & CSR6_HP).toBe(0);
    join(
      nic,
      Array.from({ length: 20 }, (_, i) => mac(`01:00:5e:00:02:${hex2(i)}`)),
    );
    expect(card.read(4, CSR6) & CSR6_HP).toBe(CSR6_HP);
    rig.send(h0, mac('01:00:5e:00:02:11'), 50, 3);
    rig.send(h0, mac('01:00:5e:01:02:03'), 50, 4);
    rig.run(10e6);
    expect(received.map((f) => f[14])).toEqual([1, 3, 4]);
    expect(nic.reports.map(formatReport)).toEqual([]);
  });

  it('goes promiscuous with IFF_PROMISC and back', () => {
    const { rig, h0, nic, received } = setup();
    devOpen(nic.dev);
    devChangeFlags(nic.dev, nic.dev.flags | IFF_PROMISC);
    rig.send(h0, mac('02:00:00:00:77:77'), 50, 5);
    rig.run(10e6);
    devChangeFlags(nic.dev, nic.dev.flags & ~IFF_PROMISC);
    rig.send(h0, mac('02:00:00:00:77:77'), 50, 6);
    rig.run(10e6);
    expect(received.map((f) => f[14])).toEqual([5]);
  });

  it('stops with no buffer, line or DMA left, and opens again', () => {
    const { rig, h0, nic, received } = setup();
    devOpen(nic.dev);
    rig.send(h0, MAC, 50, 1);
    rig.run(10e6);
    devClose(nic.dev);
    expect(nic.dev.flags & IFF_UP).toBe(0);
    expect(nic.reports.map(formatReport)).toEqual([]);
    for (let round = 0; round < 3; round++) {
      expect(devOpen(nic.dev)).toBe(0);
      rig.send(h0, MAC, 50, 2 + round);
      rig.run(10e6);
      devClose(nic.dev);
    }
    expect(nic.reports.map(formatReport)).toEqual([]);
    expect(received.map((f) => f[14])).toEqual([1, 2, 3, 4]);
  });
});

describe('tulip.js private ioctls', () => {
  it('shows its rings to anyone, resizes them for root only and only while down', () => {
    const { nic } = setup();
    const dev = nic.dev;
    const get = (): Record<string, number> => {
      const ifr: { data?: unknown } = {};
      expect(dev.ops.doIoctl!(dev, ifr, SIOCDEVPRIVATE + 1, USER)).toBe(0);
      return ifr.data as Record<string, number>;
    };
    expect(get()).toMatchObject({ rxRing: 16, txRing: 16, copybreak: 200 });
    const set = { data: { rxRing: 32 } };
    expect(dev.ops.doIoctl!(dev, set, SIOCDEVPRIVATE + 2, USER)).toBe(-EPERM);
    devOpen(dev);
    expect(dev.ops.doIoctl!(dev, set, SIOCDEVPRIVATE + 2, ROOT)).toBe(-EBUSY);
    devClose(dev);
    expect(dev.ops.doIoctl!(dev, { data: { rxRing: 3 } }, SIOCDEVPRIVATE + 2, ROOT)).toBe(-EINVAL);
    expect(dev.ops.doIoctl!(dev, set, SIOCDEVPRIVATE + 2, ROOT)).toBe(0);
    expect(devOpen(dev)).toBe(0);
    expect(get()).toMatchObject({ rxRing: 32, rxPending: 0 });
    expect(nic.reports.map(formatReport)).toEqual([]);
  });
});

describe('reloading a driver into a running device', () => {
  it('swaps a driver that receives nothing for one that works, the device staying up', () => {
    // The driver-tulip-rx exercise's starter: the reference with a tulipRx that takes nothing.
    const starter = TULIP.replace(
      /\/\/ exercise: tulip-rx\n[\s\S]*?\/\/ exercise end: tulip-rx/,
      'function tulipRx() {\n  return 0;\n}',
    );
    expect(starter).not.toBe(TULIP);
    const { rig, h0, nic, received } = setup(starter);
    expect(devOpen(nic.dev)).toBe(0);
    rig.send(h0, MAC, 50, 1);
    rig.run(10e6);
    expect(received).toHaveLength(0); // the starter's tulipRx takes nothing off the ring
    expect(nic.reload({ file: 'tulip.js', source: TULIP })).toBeNull();
    expect(nic.dev.flags & IFF_UP).toBe(IFF_UP);
    rig.send(h0, MAC, 50, 2);
    rig.run(10e6);
    expect(received.map((f) => f[14])).toEqual([2]);
    expect(nic.reports.map(formatReport)).toEqual([]);
  });

  it('answers the oops of a driver that does not load, with its line', () => {
    const { nic } = setup();
    devOpen(nic.dev);
    const oops = nic.reload({
      file: 'mine.js',
      source: 'export default {\n  open(k, dev) {{\n};\n',
    });
    expect(oops?.title).toBe('syntax error');
    expect(oops?.line).toBeGreaterThan(0);
    expect(nic.reload({ file: 'tulip.js', source: TULIP })).toBeNull();
    expect(devOpen(nic.dev)).toBe(0);
  });
});
