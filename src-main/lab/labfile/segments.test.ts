import { describe, expect, it } from 'vitest';
import { MS } from '../sim/time';
import { buildLab } from './build';
import { parseLabSpec } from './load';
import { saveLabSpec } from './save';
import type { LabSpec } from './schema';
import { LabSession } from './session';

function load(text: string): LabSpec {
  const r = parseLabSpec(text, 'lab.yaml');
  if (r.errors) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r.spec;
}

function errors(text: string): string[] {
  const r = parseLabSpec(text, 'lab.yaml');
  return r.errors ? r.errors.map((e) => `${e.line}:${e.column}: ${e.path}: ${e.message}`) : [];
}

/** Two hubs and a cable: a and b share lan1, c is alone on lan2, d and e are cabled. */
const TWO_LANS = `name: two-lans
seed: 5
segments:
  - { name: lan1, rate: 100Mbps, duplex: half }
  - { name: lan2, rate: 10Mbps, delay: 1us, faults: { lossRate: 0 } }
  - { name: cable, rate: 1Gbps, duplex: full }
hosts:
  - name: a
    interfaces: [ { name: eth0, nic: perfect, ip: 10.0.1.1/24, segment: lan1 } ]
  - name: b
    interfaces: [ { name: eth0, nic: perfect, ip: 10.0.1.2/24, segment: lan1 } ]
  - name: c
    interfaces: [ { name: eth0, nic: perfect, ip: 10.0.1.3/24, segment: lan2 } ]
  - name: d
    interfaces: [ { name: eth0, nic: perfect, ip: 10.0.2.1/24, segment: cable } ]
  - name: e
    interfaces: [ { name: eth0, nic: perfect, ip: 10.0.2.2/24, segment: cable } ]
generators:
  - { name: g, from: a, to: 10.0.1.255:9, rate: 1000pps, count: 5 }
captures: [ lan1, lan2, b:eth0 ]
`;

describe('segments', () => {
  it('builds each named segment with its own rate, duplex and stations', () => {
    const { lab } = buildLab(load(TWO_LANS));
    expect(lab.segments.map((s) => [s.name, s.bitRate, s.duplex, s.stations.length])).toEqual([
      ['lan1', 100e6, 'half', 2],
      ['lan2', 10e6, 'half', 1],
      ['cable', 1e9, 'full', 2],
    ]);
    expect(lab.segment.name).toBe('lan1');
    expect(lab.segmentByName('lan2').delay).toBe(1000);
    expect(lab.segments.map((s) => s.isCable)).toEqual([false, false, true]);
  });

  it('carries a frame only to the stations of its own segment', () => {
    const session = new LabSession(buildLab(load(TWO_LANS)));
    session.run(20 * MS);
    const r = session.report();
    expect(Object.keys(r.segments)).toEqual(['lan1', 'lan2', 'cable']);
    // a's five broadcasts (and its ARP/IGMP chatter) cross lan1; lan2 carries only c's own.
    const bIn = r.hosts.b.devices.eth0.stats!.rx_packets;
    const cIn = r.hosts.c.devices.eth0.stats!.rx_packets;
    expect(bIn).toBeGreaterThanOrEqual(5);
    expect(cIn).toBe(0);
    expect(r.segments.cable.cable).toBe(true);
    expect(r.segments.lan1.cable).toBe(false);
    expect(r.segment).toEqual(r.segments.lan1);
    // One capture point per segment named, under the segment's name.
    const points = session.capture!.points.map((p) => p.name);
    expect(points).toEqual(['lan1', 'lan2', 'b:eth0']);
    session.close();
  });

  it('saves segments and each interface’s segment, and loads them back', () => {
    const spec = load(TWO_LANS);
    const yaml = saveLabSpec(spec, 'yaml');
    expect(yaml).toContain('  - { name: lan1, rate: 100Mbps, duplex: half }\n');
    expect(yaml).toContain('segment: lan2 }');
    expect(yaml).toContain('captures: [ lan1, lan2, b:eth0 ]');
    expect(load(yaml)).toEqual(spec);
    expect(load(saveLabSpec(spec, 'json'))).toEqual(spec);
  });

  it('refuses what does not name a segment, pointing at it', () => {
    const two = TWO_LANS.replace('segment: lan2 }', 'segment: lan3 }').replace(
      'captures: [ lan1, lan2, b:eth0 ]',
      'captures: [ lan1, lan9 ]',
    );
    expect(errors(two)).toEqual([
      '13:73: hosts[2].interfaces[0].segment: no segment "lan3"; did you mean "lan1"? (the segments are lan1, lan2, cable)',
      '20:19: captures[1]: expected "HOST:DEV" such as h1:eth0, or a segment (lan1, lan2, cable), got "lan9"; did you mean "lan1"?',
    ]);
    const unnamed = TWO_LANS.replace(', segment: lan1 } ]\n  - name: b', ' } ]\n  - name: b');
    expect(errors(unnamed)).toEqual([
      '9:19: hosts[0].interfaces[0]: a:eth0 names no segment, and the lab has 3 (lan1, lan2, cable): add segment: NAME',
    ]);
    const both = TWO_LANS.replace('segments:', 'segment: { rate: 10Mbps }\nsegments:');
    expect(errors(both)[0]).toMatch(
      /^3:1: segment: give either segment: \(the lab's only one\) or segments: .*not both$/,
    );
    const dup = TWO_LANS.replace('name: cable, rate', 'name: lan1, rate');
    expect(errors(dup)).toContain(
      '6:13: segments[2].name: duplicate segment name "lan1" (also segments[0])',
    );
  });

  it('keeps the one-segment form: it is named "segment" and may be named so', () => {
    const one = `hosts:
  - name: a
    interfaces: [ { name: eth0, nic: perfect, segment: segment } ]
captures: [ segment ]
`;
    const { lab } = buildLab(load(one));
    expect(lab.segments.map((s) => s.name)).toEqual(['segment']);
    expect(errors(one.replace('segment: segment', 'segment: lan1'))).toEqual([
      '3:56: hosts[0].interfaces[0].segment: no segment "lan1" (the segments are segment)',
    ]);
  });
});
