import { describe, expect, it } from 'vitest';
import { Shell } from '../host/shell/shell';
import { Lab } from '../lab';
import { SECOND } from '../sim/time';

/**
 * h0 (10.0.1.2) — r (10.0.1.1 | 10.0.2.1) — h1 (10.0.2.2), each link a segment of its own, set
 * up with the shell as on Linux (the fidelity scenario router-unreachable-fragments records the
 * same lab against Linux 6.18).
 */
function routed() {
  const lab = new Lab({ seed: 5, segments: [{ name: 'l0' }, { name: 'l1' }] });
  const h0 = lab.addHost('h0');
  const r = lab.addHost('r');
  const h1 = lab.addHost('h1');
  lab.addInterface(h0, { segment: 'l0', ip: '10.0.1.2/24' });
  lab.addInterface(r, { segment: 'l0', ip: '10.0.1.1/24' });
  lab.addInterface(r, { segment: 'l1', ip: '10.0.2.1/24' });
  lab.addInterface(h1, { segment: 'l1', ip: '10.0.2.2/24' });
  const sh = { h0: new Shell(h0), r: new Shell(r), h1: new Shell(h1) };
  sh.r.exec('sysctl -qw net.ipv4.ip_forward=1');
  sh.h0.exec('ip route add 10.0.2.0/24 via 10.0.1.1');
  sh.h1.exec('ip route add default via 10.0.2.1');
  lab.run(SECOND);
  return { lab, h0, r, h1, sh };
}

describe('fragments and host unreachable through a router', () => {
  it('fragments a DF-clear datagram too big for the next link; the far end reassembles', () => {
    const { lab, h0, r, h1, sh } = routed();
    sh.r.exec('ip link set eth1 mtu 1000');
    sh.h1.exec('ip link set eth0 mtu 1000');
    const ping = sh.h0.exec('ping -c 1 -s 1200 -M dont 10.0.2.2');
    lab.run(2 * SECOND);
    expect(ping.output[1]).toMatch(/^1208 bytes from 10\.0\.2\.2: icmp_seq=1 ttl=63 /);
    // r: one datagram in two fragments (996 + 252 bytes); h1 put it back together and sent
    // its 1228-byte reply in two fragments too; h0 reassembled that.
    expect(r.kernel.mib.ip).toMatchObject({ FragOKs: 1, FragCreates: 2, ForwDatagrams: 3 });
    expect(h1.kernel.mib.ip).toMatchObject({ ReasmReqds: 2, ReasmOKs: 1, FragCreates: 2 });
    expect(h0.kernel.mib.ip).toMatchObject({ ReasmReqds: 2, ReasmOKs: 1, ReasmFails: 0 });
    // h1's own 1228-byte request over its MTU of 1000: fragmented by default (-M want), refused
    // with -M do (iputils' local error, no Icmp OutEchos counted).
    const want = sh.h1.exec('ping -c 1 -s 1200 10.0.1.2');
    lab.run(2 * SECOND);
    expect(want.output[1]).toMatch(/^1208 bytes from 10\.0\.1\.2: icmp_seq=1 ttl=63 /);
    const echos = h1.kernel.mib.icmp.OutEchos;
    const refused = sh.h1.exec('ping -c 1 -s 1200 -M do 10.0.1.2');
    lab.run(2 * SECOND);
    expect(refused.output.slice(1, 2)).toEqual(['ping: local error: message too long, mtu=1000']);
    expect(refused.output).toContain(
      '1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms',
    );
    expect(h1.kernel.mib.icmp.OutEchos).toBe(echos);
    // With DF: not fragmented, frag needed back with the link's MTU.
    const df = sh.h0.exec('ping -c 1 -s 1200 -M do 10.0.2.2');
    lab.run(2 * SECOND);
    expect(df.output[1]).toBe('From 10.0.1.1 icmp_seq=1 Frag needed and DF set (mtu = 1000)');
    expect(r.kernel.mib.ip.FragFails).toBe(1);
    expect(h0.kernel.mib.ip.ReasmOKs).toBe(2);
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });

  it('answers each datagram waiting on a next hop that never answers ARP: host unreachable', () => {
    const { lab, r, sh } = routed();
    const ping = sh.h0.exec('ping -c 3 -i 0.5 -W 6 10.0.2.9');
    lab.run((2900 * SECOND) / 1000);
    expect(ping.done).toBe(false);
    lab.run(SECOND);
    expect(ping.output.slice(1, 4)).toEqual(
      [1, 2, 3].map((n) => `From 10.0.1.1 icmp_seq=${n} Destination Host Unreachable`),
    );
    expect(ping.output.at(-1)).toBe('pipe 3');
    expect(sh.r.exec('ip neigh show 10.0.2.9').output).toEqual(['10.0.2.9 dev eth1 FAILED ']);
    expect(r.kernel.mib.icmp.OutDestUnreachs).toBe(3);
    // /proc/net/netstat's IpExt: r's octets in and out, the datagrams without ECN.
    const netstat = sh.r.exec('cat /proc/net/netstat').output;
    const names = netstat.find((l) => l.startsWith('IpExt: In'))!.split(' ');
    const values = netstat.filter((l) => l.startsWith('IpExt:'))[1].split(' ');
    const ipExt = Object.fromEntries(names.map((n, i) => [n, Number(values[i])]));
    expect(ipExt.InNoECTPkts).toBe(r.kernel.mib.ip.InReceives);
    expect(ipExt.InOctets).toBe(3 * 84); // the three 84-byte echo requests
    expect(netstat.map((l) => l.split(':')[0])).toEqual([
      'TcpExt',
      'TcpExt',
      'IpExt',
      'IpExt',
      'MPTcpExt',
      'MPTcpExt',
    ]);
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });
});
