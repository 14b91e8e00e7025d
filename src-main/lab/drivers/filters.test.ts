import { describe, expect, it } from 'vitest';
import { ROOT, USER } from '../netdev/cred';
import { devChangeFlags, devClose } from '../netdev/dev';
import { devMcAdd, devMcDel } from '../netdev/dev-addr';
import { devIoctl } from '../netdev/dev-ioctl';
import { IFF_ALLMULTI, IFF_PROMISC } from '../netdev/flags';
import { Rig, type RigHost } from '../testing/rig';
import { parseMac } from '../wire/mac';
import { NETLAB_GET_FILTER, type FilterInfo } from './private-ioctl';
import type { NicModelName } from './nic-model';

const mac = (s: string) => parseMac(s)!;
const G1 = mac('01:00:5e:01:01:01'); // 239.1.1.1
const G24 = mac('01:00:5e:01:01:18'); // 239.1.1.24: same hash bin as G1
const G2 = mac('01:00:5e:01:01:02'); // 239.1.1.2: another bin
const BCAST = mac('ff:ff:ff:ff:ff:ff');
const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** Sends one frame to each of `dests` from a sender and returns which ones `rx` took. */
function probe(model: NicModelName, setup: (h: RigHost) => void, dests: Uint8Array[]) {
  const rig = new Rig();
  const tx = rig.addHost('nofilter');
  const rx = rig.addHost(model);
  setup(rx);
  dests.forEach((d, i) => rig.send(tx, d, 46, i));
  rig.run(1_000_000);
  return { got: rx.received.map((f) => f[14]), rx, rig };
}

function filterInfo(h: RigHost): FilterInfo {
  const ifr: { data?: unknown } = {};
  expect(devIoctl(h.nic.dev, NETLAB_GET_FILTER, ifr, USER)).toBe(0);
  return ifr.data as FilterInfo;
}

describe('receive filters, frame by frame', () => {
  const dests = [G1, G24, G2, BCAST, mac('02:00:00:00:00:02'), mac('02:00:00:00:00:77')];
  // payload fill = index into dests: 0 G1, 1 G24, 2 G2, 3 broadcast, 4 own unicast, 5 other unicast

  it('nofilter: nothing multicast until a group is joined, then every group', () => {
    expect(probe('nofilter', () => {}, dests).got).toEqual([3, 4]);
    const { got, rx } = probe('nofilter', (h) => devMcAdd(h.nic.dev, G1), dests);
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expect(filterInfo(rx).mode).toBe('allmulti');
    expect(rx.nic.stats.multicast).toBe(3);
  });

  it('hash64: the joined group and its bin-mates get in, the rest is filtered in hardware', () => {
    const { got, rx } = probe('hash64', (h) => devMcAdd(h.nic.dev, G1), dests);
    expect(got).toEqual([0, 1, 3, 4]);
    const info = filterInfo(rx);
    expect(info).toMatchObject({ mode: 'hash', bins: [4], rejected: 2 });
    expect(info.accepted['hash match']).toBe(2);
  });

  it('perfect: only exact entries while the list fits', () => {
    const { got, rx } = probe('perfect', (h) => devMcAdd(h.nic.dev, G1), dests);
    expect(got).toEqual([0, 3, 4]);
    expect(filterInfo(rx)).toMatchObject({
      mode: 'perfect',
      perfect: ['01:00:5e:01:01:01'],
      perfectCapacity: 14,
    });
  });

  it('perfect (a 21x4x): 14 groups perfectly, the 15th turns on the 512-bin hash', () => {
    const G1MATE = mac('01:00:5e:01:38:02'); // 239.1.56.2: G1's bin (136) in tulip's hash
    const dests512 = [G1, G1MATE, G2, BCAST];
    const join = (n: number) => (h: RigHost) => {
      devMcAdd(h.nic.dev, G1);
      for (let i = 1; i < n; i++) devMcAdd(h.nic.dev, mac(`01:00:5e:00:10:${hex2(i)}`));
    };
    const fourteen = probe('perfect', join(14), dests512);
    expect(filterInfo(fourteen.rx)).toMatchObject({ mode: 'perfect', bins: [] });
    expect(filterInfo(fourteen.rx).perfect).toHaveLength(14);
    expect(fourteen.got).toEqual([0, 3]);

    const fifteen = probe('perfect', join(15), dests512);
    const info = filterInfo(fifteen.rx);
    expect(info).toMatchObject({ mode: 'hash', perfect: [], hashBins: 512 });
    // Broadcast's bin (255, `__set_bit_le(255, ...)`), G1's 136 and the 14 others'.
    expect(info.bins).toContain(255);
    expect(info.bins).toContain(136);
    expect(info.bins.length).toBeLessThanOrEqual(16);
    expect(fifteen.got).toEqual([0, 1, 3]); // G1's bin-mate gets in, G2 does not
    expect(info.accepted['hash match']).toBe(2);
  });

  it('perfect: past 1000 groups, or with ALLMULTI, all multicast (set_rx_mode)', () => {
    const many = (n: number) => (h: RigHost) => {
      for (let i = 0; i < n; i++)
        devMcAdd(h.nic.dev, mac(`01:00:5e:02:${hex2(i >> 8)}:${hex2(i & 255)}`));
    };
    expect(filterInfo(probe('perfect', many(1000), []).rx).mode).toBe('hash');
    const past = probe('perfect', many(1001), [G1, G2, BCAST]);
    expect(filterInfo(past.rx).mode).toBe('allmulti');
    expect(past.got).toEqual([0, 1, 2]);
  });

  it('perfect: past N entries falls back to the hash filter, or to all-multicast by option', () => {
    const join9 = (h: RigHost) => {
      for (let i = 0; i < 9; i++) devMcAdd(h.nic.dev, mac(`01:00:5e:00:10:0${i}`));
      devMcAdd(h.nic.dev, G1);
    };
    const sixteen = probe('perfect', join9, dests);
    expect(filterInfo(sixteen.rx).mode).toBe('perfect'); // 10 groups fit in 14 entries
    expect(sixteen.got).toEqual([0, 3, 4]);

    const rig = new Rig();
    const tx = rig.addHost('nofilter');
    const eight = rig.addHost('perfect', { entries: 8 });
    const eightAll = rig.addHost('perfect', { entries: 8, fallback: 'allmulti' });
    for (const h of [eight, eightAll]) join9(h);
    dests.forEach((d, i) => rig.send(tx, d, 46, i));
    rig.run(1_000_000);
    // A setup frame of 8: broadcast and own take two, 6 groups fit.
    expect(filterInfo(eight)).toMatchObject({ mode: 'hash', perfect: [], perfectCapacity: 6 });
    expect(eight.received.map((f) => f[14])).toEqual([0, 3, 4]); // G24 and G2: other bins of 512
    expect(filterInfo(eightAll).mode).toBe('allmulti');
    expect(eightAll.received.map((f) => f[14])).toEqual([0, 1, 2, 3]);
    // Leaving groups goes back to exact filtering.
    for (let i = 0; i < 4; i++) devMcDel(eight.nic.dev, mac(`01:00:5e:00:10:0${i}`));
    expect(filterInfo(eight)).toMatchObject({ mode: 'perfect', bins: [] });
    expect(filterInfo(eight).perfect).toHaveLength(6);
  });

  it('promisc-only: a group turns the card promiscuous and the driver sets IFF_PROMISC itself', () => {
    const { got, rx } = probe('promisc-only', (h) => devMcAdd(h.nic.dev, G1), dests);
    expect(got).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rx.nic.dev.flags & IFF_PROMISC).toBe(IFF_PROMISC);
    expect(rx.nic.dev.promiscuity).toBe(0);
    devMcDel(rx.nic.dev, G1);
    expect(rx.nic.dev.flags & IFF_PROMISC).toBe(0);
    expect(filterInfo(rx).mode).toBe('none');
  });

  it('PROMISC takes everything on every model; ALLMULTI every multicast', () => {
    for (const model of ['nofilter', 'hash64', 'perfect', 'promisc-only'] as const) {
      const p = probe(
        model,
        (h) => devChangeFlags(h.nic.dev, h.nic.dev.flags | IFF_PROMISC),
        dests,
      );
      expect(p.got, model).toEqual([0, 1, 2, 3, 4, 5]);
      const a = probe(
        model,
        (h) => devChangeFlags(h.nic.dev, h.nic.dev.flags | IFF_ALLMULTI),
        dests,
      );
      expect(a.got, model).toEqual(model === 'promisc-only' ? [0, 1, 2, 3, 4, 5] : [0, 1, 2, 3, 4]);
    }
  });

  it('programs the filter on open from a list built while the device was down', () => {
    const rig = new Rig();
    const tx = rig.addHost('nofilter');
    const rx = rig.addHost('hash64', {}, false);
    devMcAdd(rx.nic.dev, G2);
    expect(filterInfo(rx).mode).toBe('none'); // no filter to program while down
    expect(devChangeFlags(rx.nic.dev, rx.nic.dev.flags | 1)).toBe(0);
    expect(filterInfo(rx).bins).toHaveLength(1);
    rig.send(tx, G2);
    rig.run(1_000_000);
    expect(rx.received).toHaveLength(1);
    devClose(rx.nic.dev);
    expect(devIoctl(rx.nic.dev, NETLAB_GET_FILTER, {}, ROOT)).toBe(0);
  });
});
