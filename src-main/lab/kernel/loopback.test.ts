import { describe, expect, it } from 'vitest';
import { Lab } from '../lab';
import { ROOT } from '../netdev/cred';
import { devClose, devGetStats, devOpen } from '../netdev/dev';
import { IFF_LOOPBACK, IFF_UP } from '../netdev/flags';
import { MS } from '../sim/time';
import { parseIpv4 } from '../wire/ipv4-addr';

const ip = (s: string) => parseIpv4(s)!;

function host() {
  const lab = new Lab({ seed: 4 });
  const h = lab.addHost('h');
  lab.addInterface(h, { model: 'hash64', ip: '10.0.0.2/24' });
  lab.run(MS);
  return { lab, h, k: h.kernel };
}

describe('lo', () => {
  it('is registered first, up, with 127.0.0.1/8 and no route in the main table', () => {
    const { k, h } = host();
    expect(k.devices.map((d) => [d.ifindex, d.name])).toEqual([
      [1, 'lo'],
      [2, 'eth0'],
    ]);
    expect(k.lo.flags & (IFF_UP | IFF_LOOPBACK)).toBe(IFF_UP | IFF_LOOPBACK);
    expect(k.lo.mtu).toBe(65536);
    expect(k.inDev(k.lo).addrs).toMatchObject([{ local: ip('127.0.0.1'), prefixLen: 8, brd: 0 }]);
    expect(k.routes.routes.map((r) => r.dev.name)).toEqual(['eth0']);
    // The whole of 127/8 is this host's; the card is still the applications' default.
    expect(k.isLocalAddr(ip('127.9.9.9'))).toBe(true);
    expect(k.firstCard()).toBe(h.nics[0].dev);
  });

  it('carries datagrams to 127.0.0.1 and to an own address, counted as Linux counts them', () => {
    const { lab, h, k } = host();
    const r = k.udp.socket();
    expect(k.udp.bind(r, 0, 5000, ROOT)).toBe(0);
    const s = k.udp.socket();
    expect(k.udp.sendto(s, null, 10, ip('127.0.0.1'), 5000)).toBe(10);
    expect(k.udp.sendto(s, null, 100, ip('10.0.0.2'), 5000)).toBe(100);
    lab.run(MS);
    let n = 0;
    while (k.udp.recv(r) >= 0) n++;
    expect(n).toBe(2);
    // loopback_xmit: each buffer once sent and once received, by its length past the Ethernet
    // header: 10 + 8 + 20 and 100 + 8 + 20 bytes. Nothing reached the card or the wire.
    const lo = devGetStats(k.lo)!;
    expect([lo.tx_packets, lo.tx_bytes, lo.rx_packets, lo.rx_bytes]).toEqual([2, 166, 2, 166]);
    expect(h.nics[0].stats.tx_packets).toBe(0);
    expect(lab.segment.stats.frames).toBe(0);
    // A port nobody has: the port unreachable comes back through lo, quoting the datagram.
    expect(k.udp.sendto(s, null, 1, ip('127.0.0.1'), 5001)).toBe(1);
    lab.run(MS);
    expect(k.mib.icmp.OutDestUnreachs).toBe(1);
    expect(lo.rx_bytes).toBe(166 + 29 + (20 + 8 + 29));
  });

  it('down keeps its local routes: a send succeeds and lo counts the drop', () => {
    const { lab, k } = host();
    devClose(k.lo);
    const s = k.udp.socket();
    expect(k.udp.sendto(s, null, 1, ip('127.0.0.1'), 5000)).toBe(1);
    lab.run(MS);
    const lo = devGetStats(k.lo)!;
    expect([lo.tx_packets, lo.tx_dropped]).toEqual([0, 1]);
    // Up again, it keeps its address (no second 127.0.0.1).
    expect(devOpen(k.lo)).toBe(0);
    expect(k.inDev(k.lo).addrs).toHaveLength(1);
  });
});
