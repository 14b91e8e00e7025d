import { describe, expect, it } from 'vitest';
import { Lab } from '../../lab';
import { USER } from '../../netdev/cred';
import { MS, SECOND } from '../../sim/time';
import { parseIpv4 } from '../../wire/ipv4-addr';
import { Shell } from './shell';

const out = (sh: Shell, line: string) => {
  const job = sh.exec(line);
  expect(job.done).toBe(true);
  return job.output;
};

/** A switch host with three cards, each cabled to one host: built with the shell, as on Linux. */
function setup() {
  const lab = new Lab({
    seed: 4,
    segments: ['c1', 'c2', 'c3'].map((name) => ({ name, duplex: 'full' as const })),
  });
  const sw = lab.addHost('sw');
  lab.addInterface(sw, { model: 'perfect', segment: 'c1', mac: mac(0x10) });
  lab.addInterface(sw, { model: 'perfect', segment: 'c2', irq: 10, mac: mac(0x11) });
  lab.addInterface(sw, { model: 'perfect', segment: 'c3', irq: 11, mac: mac(0x12) });
  const hosts = [1, 2, 3].map((n) => {
    const h = lab.addHost(`h${n}`);
    lab.addInterface(h, { model: 'perfect', segment: `c${n}`, ip: `10.0.0.${n}/24`, mac: mac(n) });
    return h;
  });
  return { lab, sw, hosts, sh: new Shell(sw) };
}

function mac(n: number): Uint8Array {
  return Uint8Array.of(0x02, 0, 0, 0, 0, n);
}

describe('bridge and ip link for the Linux bridge', () => {
  it('builds br0 with ip link, and shows its ports, fdb and mdb as iproute2 6.1 does', () => {
    const { lab, sh, hosts } = setup();
    for (const line of [
      'ip link add br0 type bridge',
      'ip link set eth0 master br0',
      'ip link set eth1 master br0',
      'ip link set eth2 master br0',
      'ip link set br0 up',
    ])
      expect(out(sh, line)).toEqual([]);
    // h2 joins a group (its IGMPv3 report crosses the bridge) and h1 pings h2.
    const k2 = hosts[1].kernel;
    const sock = k2.udp.socket();
    k2.udp.bind(sock, 0, 5000, USER);
    expect(k2.udp.addMembership(sock, parseIpv4('239.1.1.1')!, k2.firstCard()!)).toBe(0);
    lab.run(5 * MS);
    const ping = new Shell(hosts[0]).exec('ping -c 1 10.0.0.2');
    lab.run(SECOND);
    expect(ping.output.join('\n')).toContain('1 packets transmitted, 1 received');

    expect(out(sh, 'bridge link show')).toEqual([
      '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 19 ',
      '3: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 19 ',
      '4: eth2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 19 ',
    ]);
    // h3 has sent nothing (no gratuitous ARP without arp_notify): its MAC is not learned.
    const fdb = out(sh, 'bridge fdb show');
    expect(fdb).toEqual([
      '02:00:00:00:00:01 dev eth0 master br0 ',
      '02:00:00:00:00:10 dev eth0 master br0 permanent',
      '01:00:5e:00:00:01 dev eth0 self permanent',
      '02:00:00:00:00:02 dev eth1 master br0 ',
      '02:00:00:00:00:11 dev eth1 master br0 permanent',
      '01:00:5e:00:00:01 dev eth1 self permanent',
      // h3 spoke too (its gratuitous ARP and IGMP reports): learned behind eth2.
      '02:00:00:00:00:12 dev eth2 master br0 permanent',
      '01:00:5e:00:00:01 dev eth2 self permanent',
      '01:00:5e:00:00:6a dev br0 self permanent',
      '01:00:5e:00:00:01 dev br0 self permanent',
    ]);
    expect(out(sh, 'bridge mdb show')).toEqual(['dev br0 port eth1 grp 239.1.1.1 temp']);
    expect(out(sh, 'bridge -d mdb show')).toEqual([
      'dev br0 port eth1 grp 239.1.1.1 temp proto kernel ',
    ]);
    // A port: master br0, promiscuous by the bridge's reference (not shown as PROMISC).
    expect(out(sh, 'ip link show eth1')[0]).toBe(
      '3: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast master br0 state UP mode DEFAULT group default qlen 1000',
    );
    expect(out(sh, 'ip -d link show eth1')[1]).toContain(' promiscuity 1 ');
    const br0 = out(sh, 'ip -d link show br0');
    expect(br0[0]).toBe(
      '5: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
    );
    // br0 takes the lowest of its ports' MACs.
    expect(br0[1]).toBe(
      '    link/ether 02:00:00:00:00:10 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ',
    );
    expect(br0[2]).toMatch(
      /^ {4}bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 bridge_id 8000\.2:0:0:0:0:10 .* gc_timer +\d+\.\d\d .*mcast_snooping 1 .*mcast_querier 0 .*mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 .*mcast_igmp_version 2 /,
    );
  });

  it('turns snooping and the querier on and off with ip link set … type bridge', () => {
    const { sh, sw } = setup();
    out(sh, 'ip link add br0 type bridge mcast_snooping 0');
    const br = sw.kernel.bridges[0];
    expect(br.mcast.snooping).toBe(false);
    expect(out(sh, 'ip link set br0 type bridge mcast_snooping 1 mcast_querier 1')).toEqual([]);
    expect(br.mcast.snooping).toBe(true);
    expect(br.mcast.querier).toBe(true);
    expect(out(sh, 'ip link set br0 type bridge mcast_querier 2')).toEqual([
      'Error: argument "2" is wrong: Invalid mcast_querier',
    ]);
  });

  it('answers mistakes as iproute2 does, and refuses a loop', () => {
    const { sh, lab, sw } = setup();
    expect(out(sh, 'ip link set eth0 master br9')).toEqual([
      'Error: argument "br9" is wrong: Device does not exist',
      '',
    ]);
    out(sh, 'ip link add br0 type bridge');
    expect(out(sh, 'ip link add br0 type bridge')).toEqual(['RTNETLINK answers: File exists']);
    // A fourth card on c1, where eth0 already is: two ports on one segment.
    lab.addInterface(sw, { model: 'perfect', segment: 'c1', irq: 12, mac: mac(0x13) });
    out(sh, 'ip link set eth0 master br0');
    expect(out(sh, 'ip link set eth3 master br0')).toEqual([
      'Error: eth3 is on the same segment as eth0 of br0: a loop, and STP is not modelled (netlab refuses it).',
    ]);
    sh.exec('su user');
    expect(out(sh, 'ip link add br1 type bridge')).toEqual([
      'RTNETLINK answers: Operation not permitted',
    ]);
    sh.exec('exit');
    expect(out(sh, 'ip link set eth0 nomaster')).toEqual([]);
    expect(sw.nic('eth0')!.dev.promiscuity).toBe(0);
    expect(out(sh, 'ip link del br0')).toEqual([]);
    expect(out(sh, 'bridge link show')).toEqual([]);
  });

  it('adds and deletes fdb entries as iproute2 and Linux 6.18 do, and forwards by them', () => {
    const { sh, lab, hosts } = setup();
    for (const l of ['ip link add br0 type bridge', 'ip link set eth0 master br0']) out(sh, l);
    out(sh, 'ip link set eth1 master br0');
    // Ports are down until br0 is: a dynamic entry needs a port that learns.
    expect(out(sh, 'bridge fdb add 02:00:00:00:00:99 dev eth0 master dynamic')).toEqual([
      'RTNETLINK answers: Operation not permitted',
    ]);
    out(sh, 'ip link set br0 up');
    expect(out(sh, 'bridge fdb add 02:00:00:00:00:02 dev eth0 master static')).toEqual([]);
    expect(out(sh, 'bridge fdb add 02:00:00:00:00:02 dev eth0 master static')).toEqual([
      'RTNETLINK answers: File exists',
    ]);
    expect(out(sh, 'bridge fdb add 02:00:00:00:00:97 dev eth1')).toEqual([]);
    expect(out(sh, 'bridge fdb add 02:00:00:00:00:95 dev br0 master')).toEqual([
      'RTNETLINK answers: Operation not supported',
    ]);
    expect(out(sh, 'bridge fdb show dev eth1')).toEqual([
      '02:00:00:00:00:11 master br0 permanent',
      '02:00:00:00:00:97 self permanent',
      '01:00:5e:00:00:01 self permanent',
    ]);
    // A static entry never ages, and h2's MAC pinned behind eth0 sends h1's ping to h2 astray
    // until h2 itself speaks and the entry moves (Linux moves a non-sticky static entry).
    lab.run(400 * SECOND);
    expect(out(sh, 'bridge fdb show dev eth0')[0]).toBe('02:00:00:00:00:02 master br0 static');
    const ping = new Shell(hosts[0]).exec('ping -c 1 10.0.0.2');
    lab.run(2 * SECOND);
    expect(ping.output.join('\n')).toContain('1 received');
    expect(out(sh, 'bridge fdb show dev eth1')[0]).toBe('02:00:00:00:00:02 master br0 static');
    expect(out(sh, 'bridge fdb del 02:00:00:00:00:02 dev eth0 master')).toEqual([
      'RTNETLINK answers: No such file or directory',
    ]);
    expect(out(sh, 'bridge fdb del 02:00:00:00:00:02 dev eth1 master')).toEqual([]);
    expect(out(sh, 'bridge fdb del 02:00:00:00:00:97 dev eth1 self')).toEqual([]);
    expect(out(sh, 'bridge fdb add 02:00:00:00:00:93')).toEqual([
      'Device and address are required arguments.',
    ]);
  });

  it('prunes a leaving member after a group-specific query, or at once with fast leave', () => {
    const { sh, lab, hosts, sw } = setup();
    for (const l of [
      'ip link add br0 type bridge mcast_querier 1',
      'ip link set eth0 master br0',
      'ip link set eth1 master br0',
      'ip link set eth2 master br0',
      'ip link set br0 up',
    ])
      out(sh, l);
    const join = (n: number) => {
      const k = hosts[n].kernel;
      const sock = k.udp.socket();
      k.udp.bind(sock, 0, 5000, USER);
      expect(k.udp.addMembership(sock, parseIpv4('239.1.1.1')!, k.firstCard()!)).toBe(0);
      return () => k.udp.close(sock);
    };
    const leave2 = join(1);
    lab.run(11 * SECOND);
    const eth1 = sw.nic('eth1')!.stats;
    const before = eth1.tx_packets;
    leave2();
    lab.run(MS);
    // The group-specific query out eth1 only, 224.0.0.1, 1 s to answer.
    expect(eth1.tx_packets - before).toBe(1);
    lab.run(1400 * MS);
    expect(out(sh, 'bridge mdb show')).toEqual(['dev br0 port eth1 grp 239.1.1.1 temp']);
    lab.run(700 * MS);
    // 2 s (last member count 2 × interval 1 s) on: gone, and eth1's general query sent.
    expect(out(sh, 'bridge mdb show')).toEqual([]);
    expect(eth1.tx_packets - before).toBe(2);

    expect(out(sh, 'ip link set eth2 type bridge_slave fastleave on')).toEqual([]);
    expect(out(sh, 'ip -d link show eth2')[2]).toContain(' fastleave on ');
    const leave3 = join(2);
    lab.run(3 * SECOND);
    expect(out(sh, 'bridge mdb show')).toEqual(['dev br0 port eth2 grp 239.1.1.1 temp']);
    leave3();
    lab.run(MS);
    expect(out(sh, 'bridge mdb show')).toEqual([]);
  });

  it('adds and deletes mdb entries and makes a port a permanent router port', () => {
    const { sh } = setup();
    for (const l of [
      'ip link add br0 type bridge',
      'ip link set eth0 master br0',
      'ip link set br0 up',
    ])
      out(sh, l);
    expect(out(sh, 'bridge mdb add dev br0 port eth0 grp 239.1.1.5 permanent')).toEqual([]);
    expect(out(sh, 'bridge mdb add dev br0 port eth0 grp 239.1.1.5')).toEqual([
      'Error: bridge: (*, G) group is already joined by port.',
    ]);
    expect(out(sh, 'bridge mdb add dev br0 port eth0 grp 224.0.0.5')).toEqual([
      'Error: IPv4 entry group address is local multicast.',
    ]);
    expect(out(sh, 'bridge link set dev eth0 mcast_router 2')).toEqual([]);
    expect(out(sh, 'bridge -d mdb show')).toEqual([
      'dev br0 port eth0 grp 239.1.1.5 permanent proto static ',
      'router ports on br0: eth0 ',
    ]);
    expect(out(sh, 'bridge mdb del dev br0 port eth0 grp 239.1.1.5')).toEqual([]);
    expect(out(sh, 'bridge mdb del dev br0 port eth0 grp 239.1.1.5')).toEqual([
      'RTNETLINK answers: Invalid argument',
    ]);
    expect(out(sh, 'bridge link set dev eth0 mcast_router 3')).toEqual([
      'RTNETLINK answers: Invalid argument',
    ]);
  });
});
