import { describe, expect, it } from 'vitest';
import { Shell } from '../host/shell/shell';
import { Lab } from '../lab';
import { SECOND } from '../sim/time';

/**
 * h0 (10.0.1.2) — r (10.0.1.1): r routes 10.0.9.0/24 via 10.0.1.5 back out the card it came
 * in on, so it redirects h0 there (the fidelity scenario router-redirect-accepted records the
 * same steps against Linux 6.18).
 */
function setup() {
  const lab = new Lab({ seed: 7, segments: [{ name: 'l0' }, { name: 'l1' }] });
  const h0 = lab.addHost('h0');
  const r = lab.addHost('r');
  lab.addInterface(h0, { segment: 'l0', ip: '10.0.1.2/24' });
  lab.addInterface(r, { segment: 'l0', ip: '10.0.1.1/24' });
  lab.addInterface(r, { segment: 'l1', ip: '10.0.2.1/24' });
  const sh = { h0: new Shell(h0), r: new Shell(r) };
  for (const l of [
    'sysctl -qw net.ipv4.ip_forward=1',
    'ip route add 10.0.9.0/24 via 10.0.1.5',
    'ip neigh add 10.0.1.5 lladdr 02:00:00:00:00:55 dev eth0',
  ])
    expect(sh.r.exec(l).output).toEqual([]);
  sh.h0.exec('ip route add 10.0.9.0/24 via 10.0.1.1');
  lab.run(SECOND);
  const run = (host: Shell, line: string) => {
    const job = host.exec(line);
    for (let i = 0; i < 100 && !job.done; i++) lab.run(SECOND / 10);
    return job.output;
  };
  return { lab, h0, r, sh, run };
}

describe('acting on a received ICMP redirect', () => {
  it('only once the new gateway has a link-layer address; then for 300 s', () => {
    const { lab, h0, sh, run } = setup();
    // Unknown MAC for 10.0.1.5: each redirect only starts ARP; the route stays.
    expect(
      run(sh.h0, 'ping -c 3 -i 0.3 -W 1 10.0.9.1').filter((l) => l.includes('Redirect')),
    ).toHaveLength(3);
    expect(run(sh.h0, 'ip route get 10.0.9.1')[0]).toBe(
      '10.0.9.1 via 10.0.1.1 dev eth0 src 10.0.1.2 uid 0 ',
    );
    expect(run(sh.h0, 'ip neigh show 10.0.1.5')).toEqual(['10.0.1.5 dev eth0 INCOMPLETE ']);
    run(sh.h0, 'ip neigh replace 10.0.1.5 lladdr 02:00:00:00:00:55 dev eth0');
    // Now the first redirect is taken: the next two pings go to 10.0.1.5 directly.
    expect(
      run(sh.h0, 'ping -c 3 -i 0.3 -W 1 10.0.9.1').filter((l) => l.includes('Redirect')),
    ).toEqual(['From 10.0.1.1: icmp_seq=1 Redirect Host(New nexthop: 10.0.1.5)']);
    expect(run(sh.h0, 'ip route get 10.0.9.1')).toEqual([
      '10.0.9.1 via 10.0.1.5 dev eth0 src 10.0.1.2 uid 0 ',
      '    cache <redirected> expires 298sec ',
    ]);
    expect(run(sh.h0, 'cat /proc/net/arp')).toContain(
      '10.0.1.5         0x1         0x6         02:00:00:00:00:55     *        eth0',
    );
    // Other destinations keep the route's gateway; after 300 s the exception is gone.
    expect(run(sh.h0, 'ip route get 10.0.9.2')[0]).toContain(' via 10.0.1.1 ');
    lab.run(300 * SECOND);
    expect(run(sh.h0, 'ip route get 10.0.9.1')[0]).toContain(' via 10.0.1.1 ');
    expect(run(sh.h0, 'ip route show cache')).toEqual([]);
    expect(h0.kernel.mib.icmp.InRedirects).toBe(4);
  });

  it('refuses redirects with accept_redirects off (all and the card), and to itself', () => {
    const { sh, run } = setup();
    run(sh.h0, 'ip neigh add 10.0.1.5 lladdr 02:00:00:00:00:55 dev eth0');
    run(sh.h0, 'sysctl -qw net.ipv4.conf.all.accept_redirects=0');
    // IN_DEV_ORCONF: the card's own 1 still accepts.
    run(sh.h0, 'ping -c 1 -W 1 10.0.9.1');
    expect(run(sh.h0, 'ip route get 10.0.9.1')[0]).toContain(' via 10.0.1.5 ');
    run(sh.h0, 'sysctl -qw net.ipv4.conf.eth0.accept_redirects=0');
    run(sh.h0, 'ping -c 1 -W 1 10.0.9.7');
    expect(run(sh.h0, 'ip route get 10.0.9.7')[0]).toContain(' via 10.0.1.1 ');
    expect(run(sh.h0, 'ip neigh add 10.0.1.5 lladdr 02:00:00:00:00:55 dev eth0')).toEqual([
      'RTNETLINK answers: File exists',
    ]);
    expect(run(sh.h0, 'ip neigh del 10.0.1.5 dev eth0')).toEqual([]);
    expect(run(sh.h0, 'ip neigh del 10.0.1.5 dev eth0')).toEqual([
      'RTNETLINK answers: No such file or directory',
    ]);
  });
});
