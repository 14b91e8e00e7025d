import { describe, expect, it } from 'vitest';
import { Lab } from '../../lab';
import { MS, SECOND } from '../../sim/time';
import { Shell } from './shell';

/**
 * h1 (10.0.1.2) — r (10.0.1.1 | 10.0.2.1) — h2 (10.0.2.2), all set up through
 * the shell as a user would. The four cards share one segment; the router
 * answers ARP only on the card asked (arp_ignore 1). Expected lines are those
 * of iproute2 6.1 and iputils 20221126 on Linux 6.18, from network namespaces.
 */
function routed() {
  const lab = new Lab({ seed: 3 });
  const [h1, r, h2] = ['h1', 'r', 'h2'].map((n) => lab.addHost(n));
  lab.addInterface(h1, { ip: '10.0.1.2/24' });
  lab.addInterface(r, { ip: '10.0.1.1/24' });
  lab.addInterface(r, { ip: '10.0.2.1/24' });
  lab.addInterface(h2, { ip: '10.0.2.2/24' });
  lab.run(MS);
  const [s1, sr, s2] = [h1, r, h2].map((h) => new Shell(h));
  expect(sr.exec('sysctl -w net.ipv4.conf.all.arp_ignore=1').exitCode).toBe(0);
  return { lab, h1, r, h2, s1, sr, s2 };
}

function run(sh: Shell, line: string): [number | null, string[]] {
  const job = sh.exec(line);
  return [job.exitCode, job.output];
}

describe('ip route', () => {
  it('adds, lists, looks up and deletes routes as iproute2 prints them', () => {
    const { lab, s1 } = routed();
    expect(run(s1, 'ip route add 10.0.2.0/24 via 10.0.1.1')).toEqual([0, []]);
    expect(run(s1, 'ip route add 10.0.5.0/24 via 10.0.1.1 metric 100')).toEqual([0, []]);
    expect(run(s1, 'ip route add 10.0.5.0/24 via 10.0.1.3 metric 50')).toEqual([0, []]);
    expect(run(s1, 'ip route add 10.0.0.0/8 via 10.0.1.1 proto static')).toEqual([0, []]);
    expect(run(s1, 'ip route add 10.0.7.0/24 dev eth0 scope global metric 5')).toEqual([0, []]);
    expect(run(s1, 'ip route add 10.0.8.0/24 dev eth0 scope link src 10.0.1.2')).toEqual([0, []]);
    expect(run(s1, 'ip route add 10.0.9.9 via 10.0.1.1')).toEqual([0, []]);
    expect(run(s1, 'ip route add default via 10.0.1.1')).toEqual([0, []]);
    expect(run(s1, 'ip route')).toEqual([
      0,
      [
        'default via 10.0.1.1 dev eth0 ',
        '10.0.0.0/8 via 10.0.1.1 dev eth0 proto static ',
        '10.0.1.0/24 dev eth0 proto kernel scope link src 10.0.1.2 ',
        '10.0.2.0/24 via 10.0.1.1 dev eth0 ',
        '10.0.5.0/24 via 10.0.1.3 dev eth0 metric 50 ',
        '10.0.5.0/24 via 10.0.1.1 dev eth0 metric 100 ',
        '10.0.7.0/24 dev eth0 metric 5 ',
        '10.0.8.0/24 dev eth0 scope link src 10.0.1.2 ',
        '10.0.9.9 via 10.0.1.1 dev eth0 ',
      ],
    ]);
    expect(run(s1, 'ip route show dev eth0')[1][1]).toBe('10.0.0.0/8 via 10.0.1.1 proto static ');
    expect(run(s1, 'ip r s 10.0.0.0/8')).toEqual([
      0,
      ['10.0.0.0/8 via 10.0.1.1 dev eth0 proto static '],
    ]);
    // The lowest metric of the longest prefix.
    expect(run(s1, 'ip route get 10.0.5.7')).toEqual([
      0,
      ['10.0.5.7 via 10.0.1.3 dev eth0 src 10.0.1.2 uid 0 ', '    cache '],
    ]);
    expect(run(s1, 'ip route get 10.0.1.9')[1][0]).toBe('10.0.1.9 dev eth0 src 10.0.1.2 uid 0 ');
    expect(run(s1, 'ip route get 10.0.1.2')).toEqual([
      0,
      ['local 10.0.1.2 dev lo src 10.0.1.2 uid 0 ', '    cache <local> '],
    ]);
    expect(run(s1, 'ip route get 10.0.1.255')[1]).toEqual([
      'broadcast 10.0.1.255 dev eth0 src 10.0.1.2 uid 0 ',
      '    cache <local,brd> ',
    ]);
    // Without a metric, del takes the first (lowest) of the prefix's routes.
    expect(run(s1, 'ip route del 10.0.5.0/24')).toEqual([0, []]);
    expect(run(s1, 'ip route show 10.0.5.0/24')[1]).toEqual([
      '10.0.5.0/24 via 10.0.1.1 dev eth0 metric 100 ',
    ]);
    expect(run(s1, 'ip route del default')).toEqual([0, []]);
    expect(run(s1, 'ip route get 192.168.9.9')).toEqual([
      2,
      ['RTNETLINK answers: Network is unreachable'],
    ]);
    expect(run(s1, 'ip route flush dev eth0')).toEqual([0, []]);
    expect(run(s1, 'ip route')).toEqual([0, []]);
    lab.teardown();
  });

  it('refuses what the kernel and iproute2 refuse, in their words', () => {
    const { lab, s1 } = routed();
    const cases: [string, number, string[]][] = [
      [
        'ip route add 10.0.1.0/24 dev eth0 proto kernel scope link src 10.0.1.2',
        2,
        ['RTNETLINK answers: File exists'],
      ],
      ['ip route add 10.0.5.0/24 via 10.0.9.1', 2, ['Error: Nexthop has invalid gateway.']],
      ['ip route add 10.0.5.0/24 via 10.0.1.1 dev eth1', 1, ['Cannot find device "eth1"']],
      ['ip route del 10.0.7.0/24', 2, ['RTNETLINK answers: No such process']],
      [
        'ip route add 10.0.5.1/16 via 10.0.1.1',
        2,
        ['Error: Invalid prefix for given prefix length.'],
      ],
      [
        'ip route add 10.0.9.0/24 via 10.0.1.1 scope link',
        2,
        ['Error: Nexthop has invalid gateway.'],
      ],
      [
        'ip route add 10.0.5.0/24 via 10.0.1.1 scope host',
        2,
        ['Error: Route with host scope can not have a gateway.'],
      ],
      [
        'ip route add 10.0.11.0/24 via 10.0.1.1 src 10.0.1.99',
        2,
        ['Error: Invalid prefsrc address.'],
      ],
      [
        'ip route add 10.0.5.0/33 dev eth0',
        1,
        ['Error: any valid prefix is expected rather than "10.0.5.0/33".'],
      ],
      ['ip route add 10.0.5.0/24', 2, ['RTNETLINK answers: No such device']],
      ['ip route add 10.0.5.0/24 via', 255, ['Command line is not complete. Try option "help"']],
      [
        'ip route add 10.0.5.0/24 via 10.0.1.1 metric x',
        255,
        ['Error: argument "x" is wrong: "metric" value is invalid', ''],
      ],
      [
        'ip route add 10.0.5.0/24 via 10.0.1.1 metric 4294967296',
        255,
        ['Error: argument "4294967296" is wrong: "metric" value is invalid', ''],
      ],
      [
        'ip route add 10.0.13.0/24 via 10.0.1.1 proto foo',
        255,
        ['Error: argument "foo" is wrong: "protocol" value is invalid', ''],
      ],
      [
        'ip route add 10.0.5.0/24 via 10.0.1.1 scope bogus',
        255,
        ['Error: argument "bogus" is wrong: invalid "scope" value', ''],
      ],
      [
        'ip route add 10.0.13.0/24 via 10.0.1.1 blah',
        255,
        ['Error: either "to" is duplicate, or "blah" is a garbage.'],
      ],
      ['ip ro get', 1, ['need at least a destination address']],
      ['ip route get bogus', 1, ['Error: any valid prefix is expected rather than "bogus".']],
      ['ip route get 10.0.2.2 blah', 1, ['Error: inet prefix is expected rather than "blah".']],
      ['ip route show blah', 1, ['Error: any valid prefix is expected rather than "blah".']],
      ['ip route flush', 1, ['"ip route flush" requires arguments.']],
    ];
    for (const [line, status, out] of cases) expect(run(s1, line), line).toEqual([status, out]);
    const usage = run(s1, 'ip route add');
    expect(usage[0]).toBe(255);
    expect(usage[1][0]).toBe('Usage: ip route { list | flush } SELECTOR');
    // A user may look routes up, not change them.
    expect(run(s1, 'su user')[0]).toBe(0);
    expect(run(s1, 'ip route add 10.0.8.0/24 via 10.0.1.1')).toEqual([
      2,
      ['RTNETLINK answers: Operation not permitted'],
    ]);
    expect(run(s1, 'ip route get 10.0.1.9')[1][0]).toBe('10.0.1.9 dev eth0 src 10.0.1.2 uid 1000 ');
    lab.teardown();
  });

  it('a link going down takes its routes, static ones too', () => {
    const { lab, s1 } = routed();
    run(s1, 'ip route add 10.0.2.0/24 via 10.0.1.1');
    run(s1, 'ip link set eth0 down');
    run(s1, 'ip link set eth0 up');
    expect(run(s1, 'ip route')[1]).toEqual([
      '10.0.1.0/24 dev eth0 proto kernel scope link src 10.0.1.2 ',
    ]);
    lab.teardown();
  });
});

describe('ping through a router', () => {
  it('needs the route, ip_forward and a way back; the TTL is one less', () => {
    const { lab, s1, sr, s2 } = routed();
    expect(run(s1, 'ping -c 1 10.0.2.2')).toEqual([2, ['ping: connect: Network is unreachable']]);
    run(s1, 'ip route add 10.0.2.0/24 via 10.0.1.1');
    // The router does not forward yet: the request dies there, unanswered.
    let job = s1.exec('ping -c 1 10.0.2.2');
    lab.run(12 * SECOND);
    expect(job.exitCode).toBe(1);
    expect(run(sr, 'sysctl net.ipv4.ip_forward net.ipv4.conf.eth1.forwarding')[1]).toEqual([
      'net.ipv4.ip_forward = 0',
      'net.ipv4.conf.eth1.forwarding = 0',
    ]);
    expect(run(sr, 'sysctl -w net.ipv4.ip_forward=1')).toEqual([0, ['net.ipv4.ip_forward = 1']]);
    expect(run(sr, 'sysctl net.ipv4.conf.all.forwarding net.ipv4.conf.eth0.forwarding')[1]).toEqual(
      ['net.ipv4.conf.all.forwarding = 1', 'net.ipv4.conf.eth0.forwarding = 1'],
    );
    run(s2, 'ip route add default via 10.0.2.1');
    job = s1.exec('ping -c 2 10.0.2.2');
    lab.run(3 * SECOND);
    expect(job.exitCode).toBe(0);
    expect(job.output[1]).toMatch(/^64 bytes from 10\.0\.2\.2: icmp_seq=1 ttl=63 time=/);
    expect(job.output[2]).toMatch(/^64 bytes from 10\.0\.2\.2: icmp_seq=2 ttl=63 time=/);

    job = s1.exec('ping -c 2 -t 1 10.0.2.2');
    lab.run(3 * SECOND);
    expect(job.output.slice(0, 6)).toEqual([
      'PING 10.0.2.2 (10.0.2.2) 56(84) bytes of data.',
      'From 10.0.1.1 icmp_seq=1 Time to live exceeded',
      'From 10.0.1.1 icmp_seq=2 Time to live exceeded',
      '',
      '--- 10.0.2.2 ping statistics ---',
      '2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1000ms',
    ]);
    expect(job.exitCode).toBe(1);

    run(s1, 'ip route add 10.0.3.0/24 via 10.0.1.1');
    job = s1.exec('ping -c 2 10.0.3.5');
    lab.run(3 * SECOND);
    expect(job.output.slice(1, 3)).toEqual([
      'From 10.0.1.1 icmp_seq=1 Destination Net Unreachable',
      'From 10.0.1.1 icmp_seq=2 Destination Net Unreachable',
    ]);
    const snmp = run(sr, 'cat /proc/net/snmp')[1];
    const fields = snmp[0].split(' ');
    const values = snmp[1].split(' ');
    const ipMib = Object.fromEntries(fields.map((f, i) => [f, values[i]]));
    expect(ipMib).toMatchObject({
      'Ip:': 'Ip:',
      Forwarding: '1',
      InHdrErrors: '2',
      InAddrErrors: '1',
      ForwDatagrams: '4',
      OutRequests: '4',
      OutTransmits: '8',
    });
    lab.teardown();
  });

  it('refuses TTLs iputils refuses', () => {
    const { lab, s1 } = routed();
    expect(run(s1, 'ping -c1 -t 0 10.0.1.1')).toEqual([
      2,
      ['ping: cannot set unicast time-to-live: Invalid argument'],
    ]);
    expect(run(s1, 'ping -c1 -t 256 10.0.1.1')).toEqual([
      1,
      ["ping: invalid argument: '256': out of range: 0 <= value <= 255"],
    ]);
    expect(run(s1, 'ping -c1 -t x 10.0.1.1')).toEqual([1, ["ping: invalid argument: 'x'"]]);
    lab.teardown();
  });
});
