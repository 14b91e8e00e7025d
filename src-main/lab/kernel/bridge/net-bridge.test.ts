import { describe, expect, it } from 'vitest';
import { buildLab } from '../../labfile/build';
import { parseLabSpec } from '../../labfile/load';
import type { LabSpec } from '../../labfile/schema';
import { saveLabSpec } from '../../labfile/save';
import { LabSession } from '../../labfile/session';
import { MS, SECOND } from '../../sim/time';
import { formatMac, macKey } from '../../wire/mac';

function load(text: string): LabSpec {
  const r = parseLabSpec(text, 'lab.yaml');
  if (r.errors) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r.spec;
}

/** Three hosts, each cabled to one port of a switch (a host running br0). */
function switched(opts: { snooping?: boolean; querier?: boolean; traffic: string }): string {
  const br = [`name: br0`, `ports: [eth0, eth1, eth2]`];
  if (opts.snooping !== undefined) br.push(`mcastSnooping: ${opts.snooping}`);
  if (opts.querier !== undefined) br.push(`querier: ${opts.querier}`);
  return `name: switched
seed: 3
segments:
  - { name: c1, duplex: full }
  - { name: c2, duplex: full }
  - { name: c3, duplex: full }
hosts:
  - name: sw
    interfaces:
      - { name: eth0, nic: perfect, segment: c1 }
      - { name: eth1, nic: perfect, segment: c2, irq: 10 }
      - { name: eth2, nic: perfect, segment: c3, irq: 11 }
    bridges: [ { ${br.join(', ')} } ]
  - name: h1
    interfaces: [ { name: eth0, nic: perfect, ip: 10.0.0.1/24, segment: c1 } ]
  - name: h2
    interfaces: [ { name: eth0, nic: perfect, ip: 10.0.0.2/24, segment: c2 } ]
    join: [ { group: 239.1.1.1, port: 5000 } ]
  - name: h3
    interfaces: [ { name: eth0, nic: perfect, ip: 10.0.0.3/24, segment: c3 } ]
${opts.traffic}`;
}

const MCAST = `generators:
  - { name: flood, from: h1, to: 239.1.1.1:5000, rate: 100pps, start: 1s }
`;

describe('the Linux bridge', () => {
  it('learns where stations are and forwards known unicast to one port only', () => {
    const s = new LabSession(
      buildLab(
        load(
          switched({
            traffic: `generators:\n  - { name: u, from: h1, to: 10.0.0.2:7, rate: 100pps, count: 50, start: 1ms }\nsinks:\n  - { host: h2, port: 7 }\n`,
          }),
        ),
      ),
    );
    s.run(SECOND);
    const r = s.report();
    expect(r.sinks.find((k) => k.name === 'h2:7')?.received).toBe(50);
    const br = s.lab.host('sw').kernel.bridges[0];
    const mac = (h: string) => macKey(s.lab.host(h).nics[0].dev.devAddr);
    expect(br.fdb.find(mac('h1'))?.dst?.name).toBe('eth0');
    expect(br.fdb.find(mac('h2'))?.dst?.name).toBe('eth1');
    // h3 saw the ARP request (flooded) and its own chatter, not the 50 datagrams.
    expect(r.segments.c3.frames).toBeLessThan(10);
    expect(r.segments.c2.frames).toBeGreaterThanOrEqual(51);
    // Ports are promiscuous by the bridge's reference (not the user's: no PROMISC in flags).
    const eth0 = r.hosts.sw.devices.eth0;
    expect(eth0.promiscuity).toBe(1);
    expect(eth0.flags).not.toContain('PROMISC');
    expect(eth0.devFlags).toContain('PROMISC');
    // br0 has the lowest of its ports' MACs.
    const ports = ['eth0', 'eth1', 'eth2'].map((n) => s.lab.host('sw').nic(n)!.dev.devAddr);
    const lowest = ports.map((a) => macKey(a)).sort((a, b) => a - b)[0];
    expect(macKey(br.dev.devAddr)).toBe(lowest);
    expect(formatMac(br.dev.devAddr)).toMatch(/^02:/);
    s.close();
  });

  it('ages a learned entry out after 300 s without frames from it', () => {
    const s = new LabSession(
      buildLab(
        load(
          switched({
            traffic: `generators:\n  - { name: u, from: h1, to: 10.0.0.2:7, rate: 10pps, count: 1, start: 1ms }\n`,
          }),
        ),
      ),
    );
    s.run(SECOND);
    const br = s.lab.host('sw').kernel.bridges[0];
    const h1 = macKey(s.lab.host('h1').nics[0].dev.devAddr);
    expect(br.fdb.find(h1)).toBeDefined();
    s.run(290 * SECOND);
    expect(br.fdb.find(h1)).toBeDefined();
    s.run(20 * SECOND);
    expect(br.fdb.find(h1)).toBeUndefined();
    s.close();
  });

  it('floods multicast to every port while no querier exists, snooping or not', () => {
    for (const snooping of [true, false]) {
      const s = new LabSession(buildLab(load(switched({ snooping, traffic: MCAST }))));
      s.run(3 * SECOND);
      const r = s.report();
      // ~200 datagrams from 1 s on, on both other cables.
      expect(r.segments.c2.frames).toBeGreaterThan(190);
      expect(r.segments.c3.frames).toBeGreaterThan(190);
      const mdb = s.lab.host('sw').kernel.bridges[0].mcast.mdb.all();
      // With snooping the report was still heard: h2's port is in the mdb.
      expect(mdb.map((e) => e.ports.map((p) => p.port.name))).toEqual(snooping ? [['eth1']] : []);
      s.close();
    }
  });

  it('with its querier, sends a group only where members are, after 10 s of trust', () => {
    const s = new LabSession(buildLab(load(switched({ querier: true, traffic: MCAST }))));
    s.run(10 * SECOND - MS);
    const early = s.report().segments.c3.frames;
    expect(early).toBeGreaterThan(800); // flooded meanwhile
    s.run(10 * SECOND);
    const r = s.report();
    // From 10 s on the flood stops at c3: only the querier's queries cross it.
    expect(r.segments.c3.frames - early).toBeLessThan(5);
    expect(r.segments.c2.frames).toBeGreaterThan(1800);
    expect(s.lab.host('sw').kernel.bridges[0].mcast.queriesSent).toBeGreaterThanOrEqual(3);
    expect(r.sinks[0].received).toBeGreaterThan(1800);
    s.close();
  });

  it('saves a host’s bridges and loads them back to the same spec', () => {
    const spec = load(
      switched({ snooping: false, querier: true, traffic: '' }).replace(
        'ports: [eth0, eth1, eth2]',
        'ports: [eth0, eth1, eth2], ip: 10.0.0.254/24',
      ),
    );
    const yaml = saveLabSpec(spec, 'yaml');
    expect(yaml).toContain(
      'bridges: [ { name: br0, ports: [ eth0, eth1, eth2 ], ip: 10.0.0.254/24, mcastSnooping: false, querier: true } ]',
    );
    expect(load(yaml)).toEqual(spec);
    // Built, br0 has its address and answers for it.
    const { lab } = buildLab(spec);
    const br = lab.host('sw').kernel.bridges[0];
    expect(br.mcast.snooping).toBe(false);
    expect(
      lab
        .host('sw')
        .kernel.inDev(br.dev)
        .addrs.map((a) => a.prefixLen),
    ).toEqual([24]);
  });

  it('refuses a loop at build time, naming the port that closes it', () => {
    const twoOnOne = switched({ traffic: '' }).replace(
      'segment: c2, irq: 10',
      'segment: c1, irq: 10',
    );
    const r = parseLabSpec(twoOnOne, 'lab.yaml');
    expect(r.errors?.map((e) => `${e.path}: ${e.message}`)).toContain(
      'hosts[0].bridges[0].ports[1]: eth1 and eth0 are both on segment c1: a bridge with two ports on one segment is a loop, and without STP (not modelled) it would flood forever',
    );
    const twoBridges = `segments: [ { name: a }, { name: b } ]
hosts:
  - name: s1
    interfaces: [ { name: eth0, nic: perfect, segment: a }, { name: eth1, nic: perfect, segment: b, irq: 10 } ]
    bridges: [ { name: br0, ports: [eth0, eth1] } ]
  - name: s2
    interfaces: [ { name: eth0, nic: perfect, segment: a }, { name: eth1, nic: perfect, segment: b, irq: 10 } ]
    bridges: [ { name: br0, ports: [eth0, eth1] } ]
`;
    expect(
      parseLabSpec(twoBridges, 'lab.yaml').errors?.map((e) => `${e.path}: ${e.message}`),
    ).toEqual([
      'hosts[1].bridges[0].ports[1]: s2:br0 port eth1 closes a loop through segment b (it is already joined to br0 by another bridge): without STP (not modelled) it would flood forever',
    ]);
  });
});
