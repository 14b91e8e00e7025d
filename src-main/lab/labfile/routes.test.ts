import { describe, expect, it } from 'vitest';
import { Shell } from '../host/shell/shell';
import { SECOND } from '../sim/time';
import { buildLab } from './build';
import { parseLabSpec } from './load';
import { saveLabSpec } from './save';
import type { LabSpec } from './schema';

function load(text: string): LabSpec {
  const r = parseLabSpec(text, 'lab.yaml');
  if (r.errors) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r.spec;
}

function errors(text: string): string[] {
  const r = parseLabSpec(text, 'lab.yaml');
  return r.errors ? r.errors.map((e) => `${e.line}:${e.column}: ${e.path}: ${e.message}`) : [];
}

/** Two LANs, a router between them; each host's route is in the file. */
const ROUTED = `name: routed
seed: 2
segments:
  - { name: lan1 }
  - { name: lan2 }
hosts:
  - name: h1
    interfaces: [ { name: eth0, nic: perfect, ip: 10.0.1.2/24, segment: lan1 } ]
    routes: [ { to: 10.0.2.0/24, via: 10.0.1.1 } ]
  - name: r
    sysctl: { net.ipv4.ip_forward: 1 }
    interfaces:
      - { name: eth0, nic: perfect, ip: 10.0.1.1/24, segment: lan1 }
      - { name: eth1, nic: perfect, ip: 10.0.2.1/24, segment: lan2 }
  - name: h2
    interfaces: [ { name: eth0, nic: perfect, ip: 10.0.2.2/24, segment: lan2 } ]
    routes: [ { to: default, via: 10.0.2.1, dev: eth0, metric: 10 } ]
`;

function hostsWith(routes: string, extra = ''): string {
  return `name: bad
hosts:
  - name: h1
    interfaces:
      - { name: eth0, nic: perfect, ip: 10.0.1.2/24 }
      - { name: eth1, nic: perfect, ip: 10.0.3.2/24, up: false }${extra}
    routes: ${routes}
`;
}

describe('routes: in a lab file', () => {
  it('builds the routes and ip_forward, so a ping crosses the router', () => {
    const { lab } = buildLab(load(ROUTED));
    const [h1, r, h2] = lab.hosts;
    expect(r.kernel.sysctl.get('net.ipv4.ip_forward')).toBe(1);
    // Set before the cards came: each card took it from conf.default, as on Linux.
    expect(r.kernel.sysctl.get('net.ipv4.conf.eth1.forwarding')).toBe(1);
    expect(new Shell(h1).exec('ip route').output).toEqual([
      '10.0.1.0/24 dev eth0 proto kernel scope link src 10.0.1.2 ',
      '10.0.2.0/24 via 10.0.1.1 dev eth0 ',
    ]);
    expect(new Shell(h2).exec('ip route').output[0]).toBe(
      'default via 10.0.2.1 dev eth0 metric 10 ',
    );
    const job = new Shell(h1).exec('ping -c 1 10.0.2.2');
    lab.run(2 * SECOND);
    expect(job.output[1]).toMatch(/^64 bytes from 10\.0\.2\.2: icmp_seq=1 ttl=63 /);
    expect(r.kernel.mib.ip.ForwDatagrams).toBe(2);
  });

  it('saves and loads them back unchanged', () => {
    const spec = load(ROUTED);
    const text = saveLabSpec(spec, 'yaml');
    expect(text).toContain('routes: [ { to: 10.0.2.0/24, via: 10.0.1.1 } ]');
    expect(text).toContain('routes: [ { to: default, via: 10.0.2.1, dev: eth0, metric: 10 } ]');
    expect(load(text)).toEqual(spec);
  });

  it('refuses a route the kernel would refuse, saying where and why', () => {
    expect(errors(hostsWith('[ { to: 10.0.2.1/24, via: 10.0.1.1 } ]'))).toEqual([
      '7:21: hosts[0].routes[0].to: expected a network address, got "10.0.2.1/24", which has host bits set (the network is 10.0.2.0/24; the kernel says "Invalid prefix for given prefix length")',
    ]);
    expect(errors(hostsWith('[ { to: 10.0.2.0/24, via: 10.0.9.1 } ]'))).toEqual([
      '7:39: hosts[0].routes[0].via: gateway 10.0.9.1 is not on any of h1\'s subnets (10.0.1.2/24 on eth0): the kernel refuses it ("Nexthop has invalid gateway")',
    ]);
    // eth1 is down: its subnet has no route, so no gateway can be reached through it.
    expect(errors(hostsWith('[ { to: 10.0.2.0/24, via: 10.0.3.1, dev: eth1 } ]'))).toEqual([
      '7:39: hosts[0].routes[0].via: gateway 10.0.3.1 is not on eth1\'s subnet (none is up with an address): the kernel refuses it ("Nexthop has invalid gateway")',
    ]);
    expect(errors(hostsWith('[ { to: 10.0.2.0/24, dev: eth7 } ]'))).toEqual([
      '7:39: hosts[0].routes[0].dev: h1 has no interface eth7; did you mean "eth0"? (it has eth0, eth1)',
    ]);
    expect(errors(hostsWith('[ { to: 10.0.2.0/24 } ]'))).toEqual([
      '7:15: hosts[0].routes[0]: a route to 10.0.2.0/24 needs via: (a gateway) or dev: (an interface)',
    ]);
    expect(
      errors(hostsWith('[ { to: default, via: 10.0.1.1 }, { to: 0.0.0.0/0, dev: eth0 } ]')),
    ).toEqual([
      '7:53: hosts[0].routes[1].to: duplicate route to default (also routes[0]): the kernel refuses it ("File exists"); give another metric',
    ]);
    expect(errors(hostsWith('[ { to: 10.0.2.0/24, via: 239.1.1.1 } ]'))).toEqual([
      '7:39: hosts[0].routes[0].via: expected a unicast gateway address such as 10.0.1.1, got "239.1.1.1"',
    ]);
  });
});
