import { describe, expect, it } from 'vitest';
import { followAcrossBridges, followWireFrame } from './follow';
import { buildLab } from './labfile/build';
import { parseLabSpec } from './labfile/load';
import { LabSession } from './labfile/session';
import { MS, SECOND } from './sim/time';
import { parseIpv4 } from './wire/ipv4-addr';

/** h1, h2, h3 cabled to a switch; h2 joined 239.1.1.1. */
const LAB = (querier: boolean) => `seed: 5
segments: [ { name: c1, duplex: full }, { name: c2, duplex: full }, { name: c3, duplex: full } ]
hosts:
  - name: sw
    interfaces:
      - { name: eth0, nic: perfect, segment: c1 }
      - { name: eth1, nic: perfect, segment: c2, irq: 10 }
      - { name: eth2, nic: perfect, segment: c3, irq: 11 }
    bridges: [ { name: br0, ports: [eth0, eth1, eth2], querier: ${querier} } ]
  - name: h1
    interfaces: [ { name: eth0, nic: nofilter, ip: 10.0.0.1/24, segment: c1 } ]
  - name: h2
    interfaces: [ { name: eth0, nic: perfect, ip: 10.0.0.2/24, segment: c2 } ]
    join: [ { group: 239.1.1.1, port: 5000 } ]
  - name: h3
    interfaces: [ { name: eth0, nic: perfect, ip: 10.0.0.3/24, segment: c3 } ]
`;

/** Runs the lab for `before`, sends one datagram from h1 to the group, and follows it from c1. */
function followOne(querier: boolean, before: number) {
  const r = parseLabSpec(LAB(querier), 'lab.yaml');
  if (r.errors) throw new Error(r.errors.map((e) => e.message).join('\n'));
  const s = new LabSession(buildLab(r.spec));
  s.run(before);
  const k = s.lab.host('h1').kernel;
  const tx = k.udp.socket();
  tx.mcIf = k.firstCard()!;
  k.udp.sendto(tx, null, 18, parseIpv4('239.1.1.1')!, 5000);
  s.run(MS);
  const c1 = s.lab.segmentByName('c1');
  const hops = followAcrossBridges(s.lab, c1.lastFrameSeq, () => null, c1);
  const first = followWireFrame(s.lab, c1.lastFrameSeq, () => null, c1)!;
  return { hops, first };
}

describe('following a frame through a bridge', () => {
  it('shows the flood verdict at the bridge, and the copies on the next segments', () => {
    const { hops, first } = followOne(false, 20 * MS);
    const port = first.stations.find((st) => st.host === 'sw')!;
    expect(port.detail).toBe('br0: flooded to eth1, eth2');
    expect(port.stages.map((x) => x.what)).toContain('br0: flooded to eth1, eth2');
    expect(hops.map((h) => h.segment)).toEqual(['c1', 'c2', 'c3']);
    expect(hops[1].sender).toBe('sw:eth1');
    expect(hops[1].stations.find((st) => st.host === 'h2')!.fate).toBe('delivered');
    // h3 joined nothing: its card keeps the copy out.
    expect(hops[2].stations.find((st) => st.host === 'h3')!.fate).toBe('hardware filter');
  });

  it('with a querier, names the port the mdb sends to and the one it spares', () => {
    const { hops, first } = followOne(true, 11 * SECOND);
    const port = first.stations.find((st) => st.host === 'sw')!;
    expect(port.detail).toBe(
      'br0: mdb: 239.1.1.1 sent to eth1 (members or multicast routers); mdb: no member behind eth2, not sent',
    );
    expect(hops.map((h) => h.segment)).toEqual(['c1', 'c2']);
    expect(hops[1].stations.find((st) => st.host === 'h2')!.fate).toBe('delivered');
  });
});
