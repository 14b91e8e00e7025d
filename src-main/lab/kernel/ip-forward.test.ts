import { describe, expect, it } from 'vitest';
import { Lab } from '../lab';
import { ROOT } from '../netdev/cred';
import { FATE_FORWARDED, FATE_HDR_ERROR, FATE_NO_ROUTE } from '../netdev/fate';
import { MS, SECOND } from '../sim/time';
import {
  ICMP_EXC_TTL,
  ICMP_NET_UNREACH,
  ICMP_TIME_EXCEEDED,
  ICMP_DEST_UNREACH,
} from '../wire/icmp';
import { internetChecksum } from '../wire/checksum';
import { parseIpv4 } from '../wire/ipv4-addr';
import { ipDecreaseTtl } from './ip-forward';

const ip = (s: string) => parseIpv4(s)!;

/**
 * h1 (10.0.1.2) — r (10.0.1.1 | 10.0.2.1) — h2 (10.0.2.2). Until the lab has
 * several segments all four cards share one; the router answers ARP only for
 * the address of the card asked (arp_ignore 1), so each subnet's hosts talk
 * to their own card of it, as on two wires.
 */
function routed(forward = true) {
  const lab = new Lab({ seed: 3 });
  const [h1, r, h2] = ['h1', 'r', 'h2'].map((n) => lab.addHost(n));
  lab.addInterface(h1, { ip: '10.0.1.2/24' });
  lab.addInterface(r, { ip: '10.0.1.1/24' });
  lab.addInterface(r, { ip: '10.0.2.1/24' });
  lab.addInterface(h2, { ip: '10.0.2.2/24' });
  expect(r.kernel.sysctl.set('net.ipv4.conf.all.arp_ignore', 1, ROOT)).toBe(0);
  if (forward) expect(r.kernel.sysctl.set('net.ipv4.ip_forward', 1, ROOT)).toBe(0);
  expect(
    h1.kernel.routes.insert({ dst: ip('10.0.2.0'), prefixLen: 24, gateway: ip('10.0.1.1') }),
  ).toBe(0);
  expect(h2.kernel.routes.insert({ dst: 0, prefixLen: 0, gateway: ip('10.0.2.1') })).toBe(0);
  lab.run(MS);
  return { lab, h1, r, h2 };
}

function pingOnce(lab: Lab, from: ReturnType<typeof routed>['h1'], dst: string, ttl = 0) {
  const sock = from.kernel.icmp.openPing();
  sock.ttl = ttl;
  expect(from.kernel.icmp.sendEcho(sock, ip(dst), 1, 56)).toBe(0);
  lab.run(SECOND);
  return sock;
}

describe('IP forwarding', () => {
  it('is off by default, as Linux: the router drops and counts InAddrErrors', () => {
    const { lab, h1, r } = routed(false);
    expect(r.kernel.sysctl.get('net.ipv4.ip_forward')).toBe(0);
    expect(r.kernel.mib.ip.Forwarding).toBe(2);
    const sock = pingOnce(lab, h1, '10.0.2.2');
    expect(sock.replies).toHaveLength(0);
    expect(r.kernel.mib.ip).toMatchObject({ InAddrErrors: 1, ForwDatagrams: 0 });
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });

  it('routes a ping both ways with the TTL one less, counting ForwDatagrams', () => {
    const { lab, h1, r, h2 } = routed();
    expect(r.kernel.mib.ip.Forwarding).toBe(1);
    const tx = () => r.nics.map((n) => n.stats.tx_packets);
    const before = tx();
    expect(r.kernel.sysctl.get('net.ipv4.conf.eth1.forwarding')).toBe(1);
    const sock = pingOnce(lab, h1, '10.0.2.2');
    expect(sock.replies.map((x) => [x.from, x.ttl])).toEqual([[ip('10.0.2.2'), 63]]);
    // The request and the reply, each forwarded once; neither is the router's own.
    expect(r.kernel.mib.ip).toMatchObject({ ForwDatagrams: 2, OutRequests: 0, InDelivers: 0 });
    expect(r.kernel.mib.ip.OutTransmits).toBe(2);
    expect(h2.kernel.mib.icmp.InEchos).toBe(1);
    expect(r.machine.fates.totals[FATE_FORWARDED]).toBe(2);
    // Each card's own counters (`ip -s link`): out eth0 the ARP reply to h1 and the forwarded
    // echo reply; out eth1 the ARP request for h2 and the forwarded echo request.
    expect(tx().map((n, i) => n - before[i])).toEqual([2, 2]);
    // The router resolved each next hop on the card it leaves by.
    const neigh = r.kernel.neigh.entries.map((n) => `${n.dev.name} ${n.ip >>> 0}`);
    expect(neigh).toEqual(
      expect.arrayContaining([`eth0 ${ip('10.0.1.2')}`, `eth1 ${ip('10.0.2.2')}`]),
    );
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });

  it('answers TTL 1 with time exceeded from the card facing the sender', () => {
    const { lab, h1, r, h2 } = routed();
    const sock = pingOnce(lab, h1, '10.0.2.2', 1);
    expect(sock.replies).toHaveLength(0);
    expect(sock.errors).toEqual([
      { seq: 1, from: ip('10.0.1.1'), type: ICMP_TIME_EXCEEDED, code: ICMP_EXC_TTL, info: 0 },
    ]);
    expect(r.kernel.mib.ip).toMatchObject({ InHdrErrors: 1, ForwDatagrams: 0, OutRequests: 1 });
    expect(r.kernel.mib.icmp).toMatchObject({ OutMsgs: 1, OutTimeExcds: 1 });
    expect(h1.kernel.mib.icmp.InTimeExcds).toBe(1);
    expect(h2.kernel.mib.icmp.InEchos).toBe(0);
    expect(r.machine.fates.totals[FATE_HDR_ERROR]).toBe(1);
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });

  it('answers a destination without a route with net unreachable', () => {
    const { lab, h1, r } = routed();
    expect(
      h1.kernel.routes.insert({ dst: ip('10.0.3.0'), prefixLen: 24, gateway: ip('10.0.1.1') }),
    ).toBe(0);
    const sock = pingOnce(lab, h1, '10.0.3.5');
    expect(sock.errors.map((e) => [e.from, e.type, e.code])).toEqual([
      [ip('10.0.1.1'), ICMP_DEST_UNREACH, ICMP_NET_UNREACH],
    ]);
    expect(r.kernel.inNoRoutes).toBe(1);
    expect(r.kernel.mib.icmp.OutDestUnreachs).toBe(1);
    expect(r.machine.fates.totals[FATE_NO_ROUTE]).toBe(1);
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });

  it('counts OutNoRoutes when the sender itself has no route', () => {
    const { lab, h1 } = routed();
    const sock = h1.kernel.icmp.openPing();
    expect(h1.kernel.icmp.sendEcho(sock, ip('192.168.9.9'), 1, 56)).toBeLessThan(0);
    expect(h1.kernel.mib.ip.OutNoRoutes).toBe(1);
    lab.teardown();
  });

  it('sends a redirect when a datagram leaves by the card it came in on', () => {
    const { lab, h1, r } = routed();
    // A second router on h1's own link: r learns to send 10.0.9.0/24 back out eth0.
    expect(
      r.kernel.routes.insert({ dst: ip('10.0.9.0'), prefixLen: 24, gateway: ip('10.0.1.3') }),
    ).toBe(0);
    expect(
      h1.kernel.routes.insert({ dst: ip('10.0.9.0'), prefixLen: 24, gateway: ip('10.0.1.1') }),
    ).toBe(0);
    pingOnce(lab, h1, '10.0.9.1');
    expect(r.kernel.mib.icmp.OutRedirects).toBe(1);
    expect(h1.kernel.mib.icmp.InRedirects).toBe(1);
    // It was still forwarded (towards 10.0.1.3, which nobody answers).
    expect(r.kernel.mib.ip.ForwDatagrams).toBe(1);
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });
});

describe('ip_decrease_ttl', () => {
  it('patches the header checksum as a full recompute would', () => {
    for (const [ttl, hi] of [
      [64, 0x00],
      [2, 0xff],
      [200, 0xfe],
    ]) {
      const h = Uint8Array.of(
        0x45,
        0,
        0,
        84,
        hi,
        0x12,
        0x40,
        0,
        ttl,
        1,
        0,
        0,
        10,
        0,
        1,
        2,
        10,
        0,
        2,
        2,
      );
      const sum = internetChecksum(h, 0, 20);
      h[10] = sum >> 8;
      h[11] = sum & 0xff;
      ipDecreaseTtl(h, 0);
      expect(h[8]).toBe(ttl - 1);
      expect(internetChecksum(h, 0, 20)).toBe(0);
    }
  });
});
