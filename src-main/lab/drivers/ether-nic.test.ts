import { describe, expect, it } from 'vitest';
import { ROOT, USER } from '../netdev/cred';
import { devClose, devGetStats, devOpen, devChangeFlags } from '../netdev/dev';
import { devMcAdd } from '../netdev/dev-addr';
import { devIoctl } from '../netdev/dev-ioctl';
import { EBUSY, EINVAL, EOPNOTSUPP, EPERM } from '../netdev/errno';
import { FATE_BACKLOG, FATE_DEV_DROP, FATE_HW_FILTER, FATE_RING_FULL } from '../netdev/fate';
import { IFF_PROMISC, IFF_UP } from '../netdev/flags';
import { SIOCDEVPRIVATE, SIOCGIFMAP, SIOCSIFHWADDR, SIOCSIFMAP, SIOCSIFMTU } from '../netdev/ioctl';
import type { Ifmap } from '../netdev/ifmap';
import { NET_DEVICE_STAT_NAMES } from '../netdev/stats';
import { PACKET_HOST, PACKET_MULTICAST, PACKET_OTHERHOST, type SkBuff } from '../skb/sk-buff';
import { Rig } from '../testing/rig';
import { parseMac } from '../wire/mac';
import { createNic } from './create-nic';
import { NETLAB_GET_FILTER, NETLAB_GET_RING, NETLAB_SET_RING } from './private-ioctl';

const mac = (s: string) => parseMac(s)!;
const GROUP = mac('01:00:5e:01:01:01');

function getMap(rig: Rig, i: number): Ifmap {
  const ifr: { map?: Ifmap } = {};
  expect(devIoctl(rig.hosts[i].nic.dev, SIOCGIFMAP, ifr, USER)).toBe(0);
  return ifr.map!;
}

describe('ifmap and interrupt lines', () => {
  it('reports where the card sits and moves it only to lines and bases it has, while down', () => {
    const rig = new Rig();
    rig.addHost('hash64', {}, false);
    const dev = rig.hosts[0].nic.dev;
    const map = getMap(rig, 0);
    expect(map).toEqual({
      memStart: 0, // I/O-mapped: no shared memory
      memEnd: 0,
      baseAddr: 0x300,
      irq: 3,
      dma: 0,
      port: 2,
    });
    expect(devIoctl(dev, SIOCSIFMAP, { map: { ...map, irq: 6 } }, ROOT)).toBe(-EINVAL);
    expect(devIoctl(dev, SIOCSIFMAP, { map: { ...map, baseAddr: 0x310 } }, ROOT)).toBe(-EINVAL);
    expect(devIoctl(dev, SIOCSIFMAP, { map: { ...map, irq: -1 } }, ROOT)).toBe(-EINVAL);
    expect(devIoctl(dev, SIOCSIFMAP, { map: { ...map, irq: 10, baseAddr: 0x340 } }, ROOT)).toBe(0);
    expect(getMap(rig, 0)).toMatchObject({ irq: 10, baseAddr: 0x340, memEnd: 0 });
    expect(devOpen(dev)).toBe(0);
    expect(devIoctl(dev, SIOCSIFMAP, { map: { ...getMap(rig, 0), irq: 11 } }, ROOT)).toBe(-EBUSY);
    // Changing only the media port is allowed while up.
    expect(devIoctl(dev, SIOCSIFMAP, { map: { ...getMap(rig, 0), port: 1 } }, ROOT)).toBe(0);
  });

  it('a second card of one machine on the same line cannot open: EBUSY', () => {
    const rig = new Rig();
    const h = rig.addHost('hash64');
    const second = createNic(h.machine, {
      model: 'nofilter',
      name: 'eth1',
      mac: mac('02:00:00:00:01:01'),
      irq: 3,
    });
    expect(h.nic.dev.irq).toBe(3);
    expect(devOpen(second.dev)).toBe(-EBUSY);
    expect(second.dev.flags & IFF_UP).toBe(0);
    expect(h.machine.irqOwner(3)).toBe('eth0');
    // Cards created without an explicit line get distinct defaults.
    const third = createNic(h.machine, {
      model: 'nofilter',
      name: 'eth2',
      mac: mac('02:00:00:00:01:02'),
    });
    expect(third.dev.irq).toBe(5);
    expect(devOpen(third.dev)).toBe(0);
    devClose(h.nic.dev);
    expect(devOpen(second.dev)).toBe(0);
  });
});

describe('MAC address policies', () => {
  it('nofilter changes its MAC at any time, and the filter follows', () => {
    const rig = new Rig();
    const tx = rig.addHost('nofilter');
    const rx = rig.addHost('nofilter');
    expect(devIoctl(rx.nic.dev, SIOCSIFHWADDR, { hwaddr: mac('02:00:00:00:00:aa') }, ROOT)).toBe(0);
    rig.send(tx, mac('02:00:00:00:00:02'));
    rig.send(tx, mac('02:00:00:00:00:aa'));
    rig.run(1_000_000);
    expect(rx.received).toHaveLength(1);
    expect(rx.received[0].subarray(0, 6)).toEqual(mac('02:00:00:00:00:aa'));
  });

  it('hash64 changes it only while down (EBUSY), promisc-only never (EOPNOTSUPP)', () => {
    const rig = new Rig();
    const ne = rig.addHost('hash64');
    const po = rig.addHost('promisc-only');
    const addr = { hwaddr: mac('02:00:00:00:00:bb') };
    expect(devIoctl(ne.nic.dev, SIOCSIFHWADDR, addr, ROOT)).toBe(-EBUSY);
    devClose(ne.nic.dev);
    expect(devIoctl(ne.nic.dev, SIOCSIFHWADDR, addr, ROOT)).toBe(0);
    expect(ne.nic.dev.macText).toBe('02:00:00:00:00:bb');
    expect(devIoctl(po.nic.dev, SIOCSIFHWADDR, addr, ROOT)).toBe(-EOPNOTSUPP);
    devClose(po.nic.dev);
    expect(devIoctl(po.nic.dev, SIOCSIFHWADDR, addr, ROOT)).toBe(-EOPNOTSUPP);
  });
});

describe('private ioctls', () => {
  it('anyone reads the ring; only root resizes it, only while down, only to a power of two', () => {
    const rig = new Rig();
    const h = rig.addHost('perfect');
    const dev = h.nic.dev;
    const ifr: { data?: unknown } = {};
    expect(devIoctl(dev, NETLAB_GET_RING, ifr, USER)).toBe(0);
    expect(ifr.data).toMatchObject({ rxRing: 256, txRing: 64, rxPending: 0, napiWeight: 64 });
    expect(devIoctl(dev, NETLAB_SET_RING, { data: { rxRing: 32 } }, USER)).toBe(-EPERM);
    expect(devIoctl(dev, NETLAB_SET_RING, { data: { rxRing: 32 } }, ROOT)).toBe(-EBUSY);
    devClose(dev);
    expect(devIoctl(dev, NETLAB_SET_RING, { data: { rxRing: 33 } }, ROOT)).toBe(-EINVAL);
    expect(devIoctl(dev, NETLAB_SET_RING, { data: { rxRing: 8192 } }, ROOT)).toBe(-EINVAL);
    expect(devIoctl(dev, NETLAB_SET_RING, { data: { rxRing: 32, txRing: 8 } }, ROOT)).toBe(0);
    expect(devOpen(dev)).toBe(0);
    expect(h.nic.rx!.size).toBe(32);
    expect(devIoctl(dev, SIOCDEVPRIVATE + 9, {}, ROOT)).toBe(-EOPNOTSUPP);
  });
});

describe('receive path: ring, interrupts, NAPI and the host CPU', () => {
  it('a slow CPU fills the ring and the NIC misses frames; every frame is accounted for', () => {
    const rig = new Rig();
    const tx = rig.addHost('nofilter', { txRing: 256 });
    const rx = rig.addHost('perfect', { rxRing: 32 });
    rx.machine.cpu.perFrame = 20_000; // 20 us per frame: a third of line rate
    devMcAdd(rx.nic.dev, GROUP);
    rig.record = false;
    const n = 2000;
    for (let i = 0; i < n; i++) rig.send(tx, GROUP, 46);
    rig.run(100_000_000);
    const s = rx.nic.stats;
    expect(tx.nic.stats.tx_packets + tx.nic.dev.qdiscDrops).toBe(n);
    const sent = tx.nic.stats.tx_packets;
    expect(s.rx_missed_errors).toBeGreaterThan(sent / 2);
    expect(s.rx_packets + s.rx_missed_errors).toBe(sent);
    expect(s.multicast).toBe(s.rx_packets);
    // Each missed frame has its fate recorded, findable by its number on the wire.
    expect(rx.machine.fates.total(FATE_RING_FULL)).toBe(s.rx_missed_errors);
    expect(rx.machine.fates.total(FATE_DEV_DROP)).toBe(0);
    expect(rx.machine.cpu.busyNs).toBe(s.rx_packets * 20_000);
    // Interrupt moderation and NAPI: far fewer interrupts than frames, at most 64 frames per poll.
    expect(rx.nic.hw.rxInterrupts).toBeLessThan(s.rx_packets / 4);
    expect(rx.nic.hw.polls).toBeGreaterThanOrEqual(s.rx_packets / 64);
    rig.teardown();
    expect(rig.pool.outstanding).toBe(0);
  });

  it('a card without NAPI interrupts once per frame and loses a flood in the backlog, not the ring', () => {
    const rig = new Rig();
    const tx = rig.addHost('nofilter', { txRing: 256 });
    const rx = rig.addHost('hash64', { rxRing: 32 });
    rx.machine.cpu.perFrame = 20_000;
    rx.machine.softnet.maxBacklog = 100;
    devMcAdd(rx.nic.dev, GROUP);
    rig.record = false;
    for (let i = 0; i < 1000; i++) rig.send(tx, GROUP, 46);
    rig.run(100_000_000);
    const s = rx.nic.stats;
    const sd = rx.machine.softnet;
    expect(s.rx_missed_errors).toBe(0); // the interrupt handler always empties the ring
    expect(rx.nic.hw.rxInterrupts).toBe(s.rx_packets); // one interrupt per frame
    expect(sd.dropped).toBeGreaterThan(500);
    expect(sd.processed + sd.dropped).toBe(s.rx_packets);
    expect(s.rx_dropped).toBe(sd.dropped);
    expect(rx.machine.fates.total(FATE_BACKLOG)).toBe(sd.dropped);
    expect(rx.machine.cpu.busyNs).toBe(sd.processed * 20_000);
    rig.teardown();
    expect(rig.pool.outstanding).toBe(0);
  });

  it('a fast CPU keeps up with line rate: nothing missed', () => {
    const rig = new Rig();
    const tx = rig.addHost('nofilter', { txRing: 256 });
    const rx = rig.addHost('perfect');
    devMcAdd(rx.nic.dev, GROUP);
    rig.record = false;
    for (let i = 0; i < 1000; i++) rig.send(tx, GROUP, 46);
    rig.run(20_000_000);
    expect(rx.nic.stats.rx_packets).toBe(tx.nic.stats.tx_packets);
    expect(rx.nic.stats.rx_missed_errors).toBe(0);
  });

  it('hands the stack buffers with the MAC header pulled, typed, and charged their truesize', () => {
    const rig = new Rig();
    const tx = rig.addHost('nofilter');
    const rx = rig.addHost('nofilter');
    const got: {
      pktType: number;
      pulled: number;
      truesize: number;
      len: number;
      owner: unknown;
    }[] = [];
    rx.nic.dev.rxHandler = (skb: SkBuff) => {
      got.push({
        pktType: skb.pktType,
        pulled: skb.data - skb.macHeader,
        truesize: skb.truesize,
        len: skb.len,
        owner: skb.owner,
      });
      skb.free();
    };
    devChangeFlags(rx.nic.dev, rx.nic.dev.flags | IFF_PROMISC);
    rig.send(tx, mac('02:00:00:00:00:02'), 46); // to rx: copied into a small buffer (copybreak)
    rig.send(tx, mac('02:00:00:00:00:99'), 1000); // another host's: handed up in the ring buffer
    rig.send(tx, GROUP, 46);
    rig.run(1_000_000);
    expect(got).toEqual([
      { pktType: PACKET_HOST, pulled: 14, truesize: 832, len: 46, owner: null },
      { pktType: PACKET_OTHERHOST, pulled: 14, truesize: 2304, len: 1000, owner: null },
      { pktType: PACKET_MULTICAST, pulled: 14, truesize: 832, len: 46, owner: null },
    ]);
    const ring = rx.nic.rx!;
    const slots = Array.from({ length: ring.size }, (_, i) => ring.slot(i));
    expect(slots.every((skb) => !skb.freed && skb.owner === ring)).toBe(true);
  });

  it('a device with no stack above drops and counts what it receives', () => {
    const rig = new Rig();
    const tx = rig.addHost('nofilter');
    const rx = rig.addHost('nofilter');
    rx.nic.dev.rxHandler = null;
    rig.send(tx, mac('02:00:00:00:00:02'));
    rig.run(1_000_000);
    expect(devGetStats(rx.nic.dev)).toMatchObject({ rx_packets: 1, rx_dropped: 1 });
    expect(rx.machine.fates.find(1)).toMatchObject({ stage: 'device drop', socket: -1 });
    // The sender's own frame never reaches it; a frame to a third MAC is the hardware filter's.
    rig.send(tx, mac('02:00:00:00:00:99'));
    rig.run(1_000_000);
    expect(rx.machine.fates.total(FATE_HW_FILTER)).toBe(1);
    expect(rx.machine.fates.find(2)).toBeNull(); // counted, not recorded: see FateLog.count
  });
});

describe('the address filter on a shared segment', () => {
  it('counts each reject at the card and the host, and follows joins, leaves and a stop', () => {
    const rig = new Rig();
    const tx = rig.addHost('nofilter');
    const rx = rig.addHost('hash64');
    const stats = () => {
      const ifr: { data?: unknown } = {};
      expect(devIoctl(rx.nic.dev, NETLAB_GET_FILTER, ifr, USER)).toBe(0);
      return {
        rejected: (ifr.data as { rejected: number }).rejected,
        fates: rx.machine.fates.total(FATE_HW_FILTER),
        packets: devGetStats(rx.nic.dev)!.rx_packets,
      };
    };
    for (let i = 0; i < 3; i++) rig.send(tx, GROUP);
    rig.run(1_000_000);
    expect(stats()).toMatchObject({ rejected: 3, fates: 3, packets: 0 });
    devMcAdd(rx.nic.dev, GROUP); // programs the filter: the next frames get in
    for (let i = 0; i < 2; i++) rig.send(tx, GROUP);
    rig.run(1_000_000);
    expect(stats()).toMatchObject({ rejected: 3, fates: 3, packets: 2 });
    devClose(rx.nic.dev); // receiver off: frames pass without a trace
    rig.send(tx, GROUP);
    rig.run(1_000_000);
    expect(stats()).toMatchObject({ rejected: 3, fates: 3, packets: 2 });
  });

  it('a join made while a frame is being delivered lets that frame into the later cards', () => {
    const rig = new Rig();
    const tx = rig.addHost('nofilter');
    const first = rig.addHost('perfect'); // NAPI: the frame reaches its host as the DMA ends
    const later = rig.addHost('hash64');
    devMcAdd(first.nic.dev, GROUP);
    // The first card's host joins the later card to the group as soon as it gets a frame.
    first.nic.dev.rxHandler = (skb: SkBuff) => {
      devMcAdd(later.nic.dev, GROUP);
      skb.free();
    };
    rig.send(tx, GROUP);
    rig.run(1_000_000);
    expect(devGetStats(first.nic.dev)!.rx_packets).toBe(1);
    expect(devGetStats(later.nic.dev)!.rx_packets).toBe(1);
    expect(later.nic.hw.rejected).toBe(0);
  });
});

describe('MTU and giants', () => {
  it('perfect takes jumbo frames at MTU 9000; hash64 refuses the MTU and counts the giant', () => {
    const rig = new Rig();
    const tx = rig.addHost('perfect');
    const jumbo = rig.addHost('perfect');
    const small = rig.addHost('hash64');
    expect(devIoctl(tx.nic.dev, SIOCSIFMTU, { mtu: 9000 }, ROOT)).toBe(0);
    expect(devIoctl(jumbo.nic.dev, SIOCSIFMTU, { mtu: 9000 }, ROOT)).toBe(0);
    expect(devIoctl(small.nic.dev, SIOCSIFMTU, { mtu: 9000 }, ROOT)).toBe(-EINVAL);
    rig.send(tx, mac('ff:ff:ff:ff:ff:ff'), 8000);
    rig.run(2_000_000);
    expect(jumbo.received).toHaveLength(1);
    expect(jumbo.received[0]).toHaveLength(8014);
    expect(small.received).toHaveLength(0);
    expect(small.nic.stats).toMatchObject({ rx_length_errors: 1, rx_errors: 1, rx_packets: 0 });
    // Frames over the MTU never leave a sender.
    rig.send(small, mac('ff:ff:ff:ff:ff:ff'), 1600);
    expect(small.nic.stats.tx_dropped).toBe(1);
  });
});

describe('transmit path: ring, queue stop and wake', () => {
  it('the driver stops the queue when its ring fills; the qdisc holds txqueuelen more', () => {
    const rig = new Rig();
    const tx = rig.addHost('nofilter', { txRing: 8 });
    const rx = rig.addHost('nofilter');
    tx.nic.dev.txQueueLen = 10;
    const rets = Array.from({ length: 30 }, () => rig.send(tx, mac('02:00:00:00:00:02')));
    expect(rets.filter((r) => r !== 0)).toHaveLength(12);
    expect(tx.nic.dev.txQueueStopped).toBe(true);
    expect(tx.nic.dev.qdiscDrops).toBe(12);
    rig.run(10_000_000);
    expect(tx.nic.dev.txQueueStopped).toBe(false);
    expect(tx.nic.stats).toMatchObject({ tx_packets: 18, tx_bytes: 18 * 60 });
    expect(rx.received).toHaveLength(18);
  });

  it('closing a device with frames everywhere frees them all, and it works again after', () => {
    const rig = new Rig();
    const tx = rig.addHost('hash64');
    const rx = rig.addHost('hash64');
    for (let i = 0; i < 100; i++) rig.send(tx, mac('02:00:00:00:00:02'));
    rig.run(3_000); // mid-frame: one on the wire, the ring full, the qdisc holding the rest
    devClose(tx.nic.dev);
    devClose(rx.nic.dev);
    expect(rig.pool.outstanding).toBe(0);
    rig.run(1_000_000); // the frame that was on the wire completes into a closed device
    expect(rig.pool.outstanding).toBe(0);
    expect(devOpen(tx.nic.dev)).toBe(0);
    expect(devOpen(rx.nic.dev)).toBe(0);
    rig.send(tx, mac('02:00:00:00:00:02'));
    rig.run(1_000_000);
    expect(rx.received.length).toBeGreaterThanOrEqual(1);
    rig.teardown();
    expect(rig.pool.outstanding).toBe(0);
  });
});

describe('statistics', () => {
  it('expose every net_device_stats field by its kernel name', () => {
    const rig = new Rig();
    const stats = devGetStats(rig.addHost('perfect').nic.dev)!;
    expect(Object.keys(stats)).toEqual(NET_DEVICE_STAT_NAMES);
    expect(NET_DEVICE_STAT_NAMES).toHaveLength(21);
  });
});

describe('determinism', () => {
  it('one seed, one scenario: identical counters, bit for bit', () => {
    const run = (seed: number) => {
      const rig = new Rig({}, seed);
      const hosts = ['nofilter', 'hash64', 'perfect', 'promisc-only'].map((m) =>
        rig.addHost(m as 'nofilter'),
      );
      for (const h of hosts) devMcAdd(h.nic.dev, GROUP);
      hosts[3].machine.cpu.perFrame = 30_000;
      for (let i = 0; i < 300; i++) for (const h of hosts) rig.send(h, GROUP, 46 + (i % 50));
      rig.run(50_000_000);
      return JSON.stringify(hosts.map((h) => [h.nic.stats, h.received.length]));
    };
    expect(run(3)).toBe(run(3));
    expect(run(3)).not.toBe(run(4));
  });
});
