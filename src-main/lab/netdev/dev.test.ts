import { describe, expect, it } from 'vitest';
import { SkbPool } from '../skb/skb-pool';
import { parseMac } from '../wire/mac';
import { ROOT, USER } from './cred';
import {
  devChangeFlags,
  devClose,
  devGetFlags,
  devGetStats,
  devOpen,
  devSetPromiscuity,
} from './dev';
import { devMcAdd, devMcDel, ethMacAddr } from './dev-addr';
import { devIoctl } from './dev-ioctl';
import {
  devQueueXmit,
  netifCarrierOn,
  netifStartQueue,
  netifStopQueue,
  netifWakeQueue,
} from './dev-xmit';
import {
  EBUSY,
  EINVAL,
  ENOENT,
  ENOTTY,
  EOPNOTSUPP,
  EPERM,
  EADDRNOTAVAIL,
  ENOBUFS,
  ENETDOWN,
} from './errno';
import { IFF_ALLMULTI, IFF_PROMISC, IFF_RUNNING, IFF_UP, flagNames } from './flags';
import * as io from './ioctl';
import { NetDevice } from './net-device';
import { NETDEV_TX_BUSY, NETDEV_TX_OK, type NetDeviceOps } from './ops';
import { NetDeviceStats } from './stats';
import type { SkBuff } from '../skb/sk-buff';

const mac = (s: string) => parseMac(s)!;

/** A driver double: records what the kernel asked of it. */
function fakeDevice(extra: Partial<NetDeviceOps> = {}) {
  const calls: string[] = [];
  const stats = new NetDeviceStats();
  const ops: NetDeviceOps = {
    open: (dev) => {
      calls.push('open');
      netifStartQueue(dev);
      netifCarrierOn(dev);
      return 0;
    },
    stop: () => void calls.push('stop'),
    getStats: () => stats,
    setMulticastList: (dev) =>
      void calls.push(
        `rx_mode ${dev.mc.count} ${flagNames(dev.flags & (IFF_PROMISC | IFF_ALLMULTI))}`,
      ),
    ...extra,
  };
  const dev = new NetDevice('eth0', ops);
  dev.devAddr.set(mac('02:00:00:00:00:01'));
  return { dev, calls, stats };
}

describe('devOpen / devClose', () => {
  it('brings a device up, programs its filter, and reports RUNNING with carrier', () => {
    const { dev, calls } = fakeDevice();
    expect(devOpen(dev)).toBe(0);
    expect(calls).toEqual(['open', 'rx_mode 0 ']);
    expect(flagNames(devGetFlags(dev))).toEqual(['UP', 'BROADCAST', 'RUNNING', 'MULTICAST']);
    dev.carrier = false;
    expect(devGetFlags(dev) & IFF_RUNNING).toBe(0);
  });

  it('leaves the device down and returns the error when open fails', () => {
    const { dev, calls } = fakeDevice({ open: () => -EBUSY });
    expect(devOpen(dev)).toBe(-EBUSY);
    expect(dev.flags & IFF_UP).toBe(0);
    expect(calls).toEqual([]);
    expect(devIoctl(dev, io.SIOCSIFFLAGS, { flags: dev.flags | IFF_UP }, ROOT)).toBe(-EBUSY);
    expect(dev.flags & IFF_UP).toBe(0);
  });

  it('close frees every buffer queued for the device', () => {
    const pool = new SkbPool();
    const { dev, calls } = fakeDevice({ hardStartXmit: () => NETDEV_TX_BUSY });
    devOpen(dev);
    for (let i = 0; i < 5; i++) devQueueXmit(pool.alloc(64), dev);
    expect(dev.qdisc.qlen).toBe(5);
    devClose(dev);
    expect(calls).toContain('stop');
    expect(dev.qdisc.qlen).toBe(0);
    expect(pool.outstanding).toBe(0);
    expect(devQueueXmit(pool.alloc(64), dev)).toBe(-ENETDOWN);
    expect(pool.outstanding).toBe(0);
  });
});

describe('statistics', () => {
  it('come from get_stats; a device without it has none', () => {
    const { dev, stats } = fakeDevice();
    stats.rx_packets = 3;
    expect(devGetStats(dev)?.rx_packets).toBe(3);
    const bare = new NetDevice('dummy0', {});
    expect(devGetStats(bare)).toBeNull();
  });
});

describe('the multicast list', () => {
  it('is reference counted and reprograms the filter on every change', () => {
    const { dev, calls } = fakeDevice();
    devOpen(dev);
    calls.length = 0;
    const group = mac('01:00:5e:01:01:01');
    expect(devMcAdd(dev, group)).toBe(0);
    expect(devMcAdd(dev, group)).toBe(0);
    expect(dev.mc.count).toBe(1);
    expect(devMcDel(dev, group)).toBe(0);
    expect(dev.mc.count).toBe(1); // one reference left
    expect(devMcDel(dev, group)).toBe(0);
    expect(dev.mc.count).toBe(0);
    expect(devMcDel(dev, group)).toBe(-ENOENT);
    expect(calls).toEqual(['rx_mode 1 ', 'rx_mode 1 ', 'rx_mode 1 ', 'rx_mode 0 ']);
    expect(devMcAdd(dev, mac('02:00:00:00:00:09'))).toBe(-EINVAL);
  });

  it('SIOCADDMULTI holds one reference for the user however often it is repeated', () => {
    const { dev } = fakeDevice();
    const group = mac('01:00:5e:01:01:01');
    devMcAdd(dev, group); // a socket joined
    expect(devIoctl(dev, io.SIOCADDMULTI, { hwaddr: group }, ROOT)).toBe(0);
    expect(devIoctl(dev, io.SIOCADDMULTI, { hwaddr: group }, ROOT)).toBe(0);
    expect(dev.mc.find(0x01005e010101)?.refcount).toBe(2);
    expect(devIoctl(dev, io.SIOCDELMULTI, { hwaddr: group }, ROOT)).toBe(0);
    expect(devIoctl(dev, io.SIOCDELMULTI, { hwaddr: group }, ROOT)).toBe(-ENOENT);
    expect(dev.mc.toStrings()).toEqual(['01:00:5e:01:01:01']); // the socket's reference stays
  });

  it('multicast ioctls are refused on a device that cannot filter', () => {
    const dev = new NetDevice('tun0', {});
    expect(devIoctl(dev, io.SIOCADDMULTI, { hwaddr: mac('01:00:5e:00:00:01') }, ROOT)).toBe(
      -EINVAL,
    );
  });
});

describe('PROMISC and ALLMULTI', () => {
  it('are counted: the user and a capture each hold a reference', () => {
    const { dev, calls } = fakeDevice();
    devOpen(dev);
    calls.length = 0;
    expect(devChangeFlags(dev, dev.flags | IFF_PROMISC)).toBe(0);
    expect(dev.promiscuity).toBe(1);
    devSetPromiscuity(dev, 1); // tcpdump starts
    expect(devChangeFlags(dev, dev.flags & ~IFF_PROMISC)).toBe(0); // user turns it off
    expect(dev.flags & IFF_PROMISC).toBe(IFF_PROMISC); // tcpdump still wants it
    devSetPromiscuity(dev, -1);
    expect(dev.flags & IFF_PROMISC).toBe(0);
    expect(devChangeFlags(dev, dev.flags | IFF_ALLMULTI)).toBe(0);
    expect(calls).toEqual(['rx_mode 0 PROMISC', 'rx_mode 0 ', 'rx_mode 0 ALLMULTI']);
  });

  it('asking twice for PROMISC through SIOCSIFFLAGS takes one reference', () => {
    const { dev } = fakeDevice();
    devChangeFlags(dev, dev.flags | IFF_PROMISC);
    devChangeFlags(dev, dev.flags | IFF_PROMISC);
    expect(dev.promiscuity).toBe(1);
  });
});

describe('devIoctl', () => {
  it('refuses every change to an unprivileged user with EPERM and changes nothing', () => {
    const { dev } = fakeDevice({
      setMacAddress: (d, a) => ethMacAddr(d, a, true),
      setConfig: () => 0,
    });
    const before = JSON.stringify({
      f: dev.flags,
      m: dev.macText,
      mtu: dev.mtu,
      q: dev.txQueueLen,
    });
    const attempts: [number, object][] = [
      [io.SIOCSIFFLAGS, { flags: dev.flags | IFF_UP }],
      [io.SIOCSIFMTU, { mtu: 1400 }],
      [io.SIOCSIFHWADDR, { hwaddr: mac('02:00:00:00:00:99') }],
      [
        io.SIOCSIFMAP,
        { map: { memStart: 0, memEnd: 0, baseAddr: 0x300, irq: 5, dma: 0, port: 0 } },
      ],
      [io.SIOCADDMULTI, { hwaddr: mac('01:00:5e:00:00:01') }],
      [io.SIOCDELMULTI, { hwaddr: mac('01:00:5e:00:00:01') }],
      [io.SIOCSIFTXQLEN, { qlen: 10 }],
    ];
    for (const [cmd, ifr] of attempts)
      expect(devIoctl(dev, cmd, ifr, USER), io.ioctlName(cmd)).toBe(-EPERM);
    expect(JSON.stringify({ f: dev.flags, m: dev.macText, mtu: dev.mtu, q: dev.txQueueLen })).toBe(
      before,
    );
    expect(dev.mc.count).toBe(0);
  });

  it('lets anyone read', () => {
    const { dev } = fakeDevice();
    const ifr: Record<string, unknown> = {};
    expect(devIoctl(dev, io.SIOCGIFFLAGS, ifr, USER)).toBe(0);
    expect(devIoctl(dev, io.SIOCGIFHWADDR, ifr, USER)).toBe(0);
    expect(devIoctl(dev, io.SIOCGIFMAP, ifr, USER)).toBe(0);
    expect(devIoctl(dev, io.SIOCGIFMTU, ifr, USER)).toBe(0);
    expect(ifr).toMatchObject({ mtu: 1500, map: { irq: 0 } });
    expect(ifr.hwaddr).toEqual(mac('02:00:00:00:00:01'));
  });

  it('answers a missing op with EOPNOTSUPP and an unknown command with ENOTTY', () => {
    const { dev } = fakeDevice();
    expect(devIoctl(dev, io.SIOCSIFHWADDR, { hwaddr: mac('02:00:00:00:00:02') }, ROOT)).toBe(
      -EOPNOTSUPP,
    );
    expect(
      devIoctl(
        dev,
        io.SIOCSIFMAP,
        { map: { memStart: 0, memEnd: 0, baseAddr: 0, irq: 0, dma: 0, port: 0 } },
        ROOT,
      ),
    ).toBe(-EOPNOTSUPP);
    expect(devIoctl(dev, io.SIOCDEVPRIVATE, {}, USER)).toBe(-EOPNOTSUPP);
    expect(devIoctl(dev, 0x1234, {}, ROOT)).toBe(-ENOTTY);
  });

  it('passes private ioctls to the driver for any caller, which checks for root itself', () => {
    const { dev } = fakeDevice({
      doIoctl: (_d, _ifr, _cmd, cred) => (cred.uid === 0 ? 0 : -EPERM),
    });
    expect(devIoctl(dev, io.SIOCDEVPRIVATE + 3, {}, USER)).toBe(-EPERM);
    expect(devIoctl(dev, io.SIOCDEVPRIVATE + 3, {}, ROOT)).toBe(0);
    expect(devIoctl(dev, io.SIOCDEVPRIVATE + 16, {}, ROOT)).toBe(-ENOTTY);
  });

  it('validates MAC and MTU changes', () => {
    const { dev } = fakeDevice({ setMacAddress: (d, a) => ethMacAddr(d, a, false) });
    expect(devIoctl(dev, io.SIOCSIFHWADDR, { hwaddr: mac('01:00:5e:00:00:01') }, ROOT)).toBe(
      -EADDRNOTAVAIL,
    );
    expect(devIoctl(dev, io.SIOCSIFHWADDR, { hwaddr: mac('02:00:00:00:00:42') }, ROOT)).toBe(0);
    expect(dev.macText).toBe('02:00:00:00:00:42');
    devOpen(dev);
    expect(devIoctl(dev, io.SIOCSIFHWADDR, { hwaddr: mac('02:00:00:00:00:43') }, ROOT)).toBe(
      -EBUSY,
    );
    expect(devIoctl(dev, io.SIOCSIFMTU, { mtu: 67 }, ROOT)).toBe(-EINVAL);
    expect(devIoctl(dev, io.SIOCSIFMTU, { mtu: 1501 }, ROOT)).toBe(-EINVAL);
    expect(devIoctl(dev, io.SIOCSIFMTU, { mtu: 576 }, ROOT)).toBe(0);
    expect(dev.mtu).toBe(576);
    expect(devIoctl(dev, io.SIOCSIFFLAGS, { flags: -1 }, ROOT)).toBe(-EINVAL);
  });
});

describe('the transmit queue', () => {
  it('holds buffers while the driver has stopped the queue and drops past txqueuelen', () => {
    const pool = new SkbPool();
    const sent: SkBuff[] = [];
    const { dev } = fakeDevice({
      hardStartXmit: (skb, d) => {
        sent.push(skb);
        if (sent.length % 2 === 0) netifStopQueue(d);
        return NETDEV_TX_OK;
      },
    });
    dev.txQueueLen = 3;
    devOpen(dev);
    for (let i = 0; i < 6; i++) devQueueXmit(pool.alloc(64), dev);
    // Two went to the driver, three wait in the qdisc, one was dropped.
    expect(sent).toHaveLength(2);
    expect(dev.qdisc.qlen).toBe(3);
    expect(dev.qdiscDrops).toBe(1);
    expect(devQueueXmit(pool.alloc(64), dev)).toBe(-ENOBUFS);
    netifWakeQueue(dev);
    expect(sent).toHaveLength(4);
    for (const skb of sent) skb.free();
    devClose(dev);
    expect(pool.outstanding).toBe(0);
  });
});
