import { describe, expect, it } from 'vitest';
import { Lab } from '../../lab';
import { USER } from '../../netdev/cred';
import { MS } from '../../sim/time';
import { Generator } from '../../traffic/generator';
import { parseIpv4 } from '../../wire/ipv4-addr';
import { Capture, type CapturePoint } from '../capture';
import { dissect } from '../dissect/dissect';
import { summarize } from '../dissect/summary';
import { compileFilter } from './compile';
import { isDropped } from './fate';
import { captureMeta, filterStore } from './store';

const ip = (s: string) => parseIpv4(s)!;

function filter(text: string) {
  const r = compileFilter(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.filter;
}

/** A capture of a real lab run: generator traffic, a hash-filter false positive, ARP, IGMP, ICMP. */
function run() {
  const lab = new Lab({ seed: 4 });
  const [h0, h1] = ['h0', 'h1'].map((n) => lab.addHost(n));
  lab.addInterface(h0, { model: 'nofilter', ip: '10.0.0.1/24' });
  lab.addInterface(h1, { model: 'hash64', ip: '10.0.0.2/24' });
  const points: CapturePoint[] = [
    { kind: 'device', name: 'h1:eth0', host: h1, dev: h1.nics[0].dev },
    { kind: 'segment', name: 'segment', segment: lab.segment },
  ];
  const cap = new Capture(points, lab.sched);
  cap.start();
  const rx = h1.kernel.udp.socket();
  rx.mcIf = h1.nics[0].dev ?? null;
  h1.kernel.udp.bind(rx, 0, 5000, USER);
  h1.kernel.udp.addMembership(rx, ip('239.1.1.1'), h1.nics[0].dev);
  lab.run(MS);
  const t0 = lab.now;
  new Generator(h0, { id: 7, to: '239.1.1.1', port: 5000, pps: 10_000, count: 20, start: t0 });
  // 239.1.1.24 shares 239.1.1.1's hash bin: h1's NIC lets it in, its kernel drops it.
  new Generator(h0, {
    id: 8,
    to: '239.1.1.24',
    port: 5000,
    pps: 10_000,
    count: 5,
    start: t0,
    size: 100,
  });
  const tx = h0.kernel.udp.socket();
  tx.mcIf = h0.nics[0].dev ?? null;
  h0.kernel.udp.sendto(tx, null, 30, ip('10.0.0.2'), 7777); // no socket there: port unreachable
  lab.run(10 * MS);
  cap.stop();
  return { lab, cap };
}

describe('dissection and filters over a real lab capture', () => {
  it('dissects every captured frame cleanly and filters by protocol, payload and fate', () => {
    const { lab, cap } = run();
    const store = cap.store;
    const meta = captureMeta(cap);
    expect(store.count).toBeGreaterThan(50);

    // Nothing the lab sends is malformed, at the device or on the wire (FCS
    // included); only the fragments collisions leave on the wire are runts.
    const runts = filterStore(filter('_ws.malformed'), meta);
    expect(runts.length).toBeGreaterThan(0);
    expect(filterStore(filter('_ws.malformed and fate != "collision"'), meta).length).toBe(0);
    expect(filterStore(filter('fate == collision and frame.len < 14'), meta)).toEqual(runts);
    for (let n = store.first; n <= store.last; n++) {
      const tree = dissect(store.data(n), store.capturedLength(n), meta.at(n));
      expect(tree[0].name).toBe('frame');
      expect(tree[1].name).toBe('eth');
    }
    // The segment's frames are stored without their FCS, as Linux captures are.
    expect(filterStore(filter('eth.fcs or eth.trailer'), meta).length).toBe(0);
    expect(
      filterStore(filter('udp.checksum.status == 0 or ip.checksum.status == 0'), meta).length,
    ).toBe(0);

    // The generators' datagrams, by id and sequence, on the wire.
    const g7 = filterStore(filter('point == segment and netlab.gen == 7'), meta);
    expect(g7.length).toBe(20);
    expect(
      filterStore(filter('point == segment and netlab.gen == 7 and netlab.seq in {0..19}'), meta)
        .length,
    ).toBe(20);
    expect(
      filterStore(filter('netlab.gen == 8 and udp.length == 108'), meta).length,
    ).toBeGreaterThan(0);
    expect(summarize(store.data(g7[0])).protocol).toBe('NETLAB');

    // At h1: group 1 delivered to the socket, group 24 dropped by the kernel.
    const delivered = filterStore(
      filter('point == "h1:eth0" and netlab.gen == 7 and fate == "delivered"'),
      meta,
    );
    expect(delivered.length).toBe(20);
    const notJoined = filterStore(filter('point == "h1:eth0" and ip.dst == 239.1.1.24'), meta);
    expect(notJoined.length).toBe(5);
    for (const n of notJoined) expect(cap.fateOf(n)).toBe('group not joined');

    // "dropped" is exactly the rows whose fate is a drop.
    const dropped = Array.from(filterStore(filter('fate == "dropped"'), meta));
    const expected: number[] = [];
    for (let n = store.first; n <= store.last; n++) if (isDropped(cap.fateOf(n))) expected.push(n);
    expect(dropped).toEqual(expected);
    expect(dropped).toEqual(expect.arrayContaining(Array.from(notJoined)));

    // ARP, IGMP and the port unreachable (quoting the datagram to port 7777).
    expect(filterStore(filter('arp.opcode == request'), meta).length).toBeGreaterThan(0);
    expect(
      // The join's IGMPv3 report (Linux's default version), its record naming the group.
      filterStore(filter('igmp.type == 0x22 and igmp.maddr == 239.1.1.1'), meta).length,
    ).toBeGreaterThan(0);
    const unreach = filterStore(
      filter('icmp.type == 3 and icmp.code == 3 and udp.dstport == 7777'),
      meta,
    );
    expect(unreach.length).toBeGreaterThan(0);
    expect(summarize(store.data(unreach[0])).info).toBe(
      'Destination unreachable (Port unreachable)',
    );
    lab.teardown();
  });
});
