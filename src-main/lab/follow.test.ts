import { describe, expect, it } from 'vitest';
import type { Capture } from './capture/capture';
import { followAcrossBridges, followWireFrame, type StationFate } from './follow';
import { Lab } from './lab';
import { ROOT } from './netdev/cred';
import { devClose, devOpen } from './netdev/dev';
import { buildLab } from './labfile/build';
import { parseLabSpec } from './labfile/load';
import { LabSession } from './labfile/session';
import { labReport } from './report';
import { routedLab } from './testing/routed-lab';

// hash-collisions, with a second group: h1's hash card has bins 4 (239.1.1.1, and the flood's
// 239.1.1.24) and 31 (224.0.0.1); 239.1.1.2 falls in bin 19.
const LAB = `
name: follow
seed: 7
segment: { rate: 100Mbps, delay: 500ns, duplex: half }
hosts:
  - name: h0
    interfaces: [{ name: eth0, nic: nofilter, ip: 10.0.0.1/24 }]
  - name: h1
    cpu: { perFrame: 20us }
    interfaces: [{ name: eth0, nic: hash64, ip: 10.0.0.2/24 }]
    join: [{ group: 239.1.1.1, port: 5000 }]
  - name: h2
    interfaces: [{ name: eth0, nic: perfect, ip: 10.0.0.3/24 }]
    join: [{ group: 239.1.1.2, port: 5000 }]
generators:
  - { name: flood, from: h0, to: '239.1.1.24:5000', rate: 1000pps, size: 18, start: 10ms, count: 5 }
  # back to back at line rate: the second arrives while h1's slow CPU still works on the first
  - { name: one, from: h0, to: '239.1.1.1:5000', size: 18, start: 20ms, count: 5 }
  - { name: two, from: h0, to: '239.1.1.2:5000', rate: 1000pps, start: 30ms, count: 20 }
captures: [segment]
`;

function session(): LabSession {
  const r = parseLabSpec(LAB, 'follow.yaml');
  if (r.errors) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return new LabSession(buildLab(r.spec));
}

/** Wire numbers of the segment's UDP datagrams to `ip` (not the IGMP reports for the group). */
function framesTo(capture: Capture, ip: string): number[] {
  const s = capture.store;
  const out: number[] = [];
  for (let n = s.first; n <= s.last; n++) {
    const b = s.data(n);
    if (b.length >= 34 && b[23] === 17 && b.subarray(30, 34).join('.') === ip)
      out.push(s.wireSeqOf(n));
  }
  return out;
}

const at = (stations: StationFate[], host: string) => stations.find((s) => s.host === host)!;
const sinkNamer = (s: LabSession) => (host: { name: string }, id: number) =>
  s.sinks.find((k) => k.host.name === host.name && k.sock.id === id)?.name ?? null;

describe('followWireFrame', () => {
  it('says, for each host, what its card and its kernel did with one wire frame', () => {
    const s = session();
    s.lab.run(60e6);
    const capture = s.capture!;

    const [toOne] = framesTo(capture, '239.1.1.1');
    const one = followWireFrame(s.lab, toOne, sinkNamer(s))!;
    expect(one).toMatchObject({
      seq: toOne,
      outcome: 'on the wire',
      sender: 'h0:eth0',
      destination: '01:00:5e:01:01:01',
    });
    expect(one.stations.map((x) => `${x.host}:${x.dev}`)).toEqual([
      'h0:eth0',
      'h1:eth0',
      'h2:eth0',
    ]);
    expect(at(one.stations, 'h0')).toMatchObject({ fate: 'sent', detail: 'sent it' });
    const h1 = at(one.stations, 'h1');
    expect(h1.fate).toBe('delivered');
    expect(h1.detail).toMatch(
      /^delivered to socket \d+ \(h1:239\.1\.1\.1:5000, 0\.0\.0\.0:5000\)$/,
    );
    expect(h1.socket).toBe(s.sinks[0].sock.id);
    expect(h1.stages.map((x) => x.what)).toEqual([
      'went on the wire',
      'card: hash bin 4 set (bins set: 4, 31)',
      h1.detail,
    ]);
    const [sent, arrived, delivered] = h1.stages.map((x) => x.timeNs);
    expect(arrived).toBe(one.endNs);
    expect(sent).toBe(one.startNs);
    // The first frame meets an idle card and CPU and goes up the stack at once.
    expect(delivered).toBe(arrived);
    expect(at(one.stations, 'h2')).toMatchObject({
      fate: 'hardware filter',
      detail: 'no perfect-filter entry for 01:00:5e:01:01:01 (2 of 14 entries used)',
    });

    const [toTwo] = framesTo(capture, '239.1.1.2');
    const two = followWireFrame(s.lab, toTwo, sinkNamer(s))!;
    expect(at(two.stations, 'h1')).toMatchObject({
      fate: 'hardware filter',
      detail: 'hash bin 19 not set (bins set: 4, 31)',
      socket: null,
    });
    expect(at(two.stations, 'h2').detail).toMatch(
      /^delivered to socket \d+ \(h2:239\.1\.1\.2:5000/,
    );

    // The flood is a hash false positive at h1: let in by bin 4, dropped by IP.
    const [flood] = framesTo(capture, '239.1.1.24');
    const f = followWireFrame(s.lab, flood)!;
    expect(at(f.stations, 'h1')).toMatchObject({
      fate: 'group not joined',
      detail: 'IP dropped it: the host has not joined the group',
    });
    expect(at(f.stations, 'h1').stages[1].what).toBe('card: hash bin 4 set (bins set: 4, 31)');
    expect(at(f.stations, 'h2').fate).toBe('hardware filter');
    s.close();
  });

  it('judges a frame by the filter as it was when the frame arrived, not as it is now', () => {
    const s = session();
    s.lab.run(33e6); // a few frames to 239.1.1.2 have gone by
    const h2 = s.lab.host('h2').nics[0];
    devClose(h2.dev);
    s.lab.run(5e6);
    devOpen(h2.dev);
    // h2's sink left no trace in the reopened card's filter: its multicast list is kept.
    s.lab.run(20e6);
    const seqs = framesTo(s.capture!, '239.1.1.2');
    const fates = seqs.map((q) => at(followWireFrame(s.lab, q)!.stations, 'h2').fate);
    expect(fates.slice(0, 3)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(fates).toContain('card down');
    expect(fates.at(-1)).toBe('delivered');
    const down = fates.indexOf('card down');
    expect(fates.slice(down).indexOf('delivered')).toBeGreaterThan(0);
    s.close();
  });

  it('tells a frame still waiting in the ring, then what became of it', () => {
    const s = session();
    s.lab.run(20e6);
    // Step to the event that delivers the second frame to 239.1.1.1: it came 6.7 µs after the
    // first, and h1's CPU spends 20 µs on each, so it waits in the backlog.
    while (framesTo(s.capture!, '239.1.1.1').length < 2) s.lab.sched.step();
    const seq = framesTo(s.capture!, '239.1.1.1')[1];
    expect(at(followWireFrame(s.lab, seq)!.stations, 'h1')).toMatchObject({
      fate: 'queued',
      detail: 'let in (hash bin 4 set (bins set: 4, 31)); waiting in the backlog',
    });
    s.lab.run(1e6);
    const later = followWireFrame(s.lab, seq)!;
    const h1 = at(later.stations, 'h1');
    expect(h1.fate).toBe('delivered');
    // Delivered once the CPU finished the first frame: 20 µs after the first frame arrived.
    expect(h1.stages[2].timeNs - later.endNs).toBe(20_000 - 6_720);
    expect(followWireFrame(s.lab, 999_999)).toBeNull();
    s.close();
  });

  it('says what each of a host’s two cards on the segment did with the same frame', () => {
    // h1 has a card in each of two subnets on one segment; h0 sends to 10.0.0.255, the
    // broadcast of eth0's subnet, which both cards let in (an Ethernet broadcast).
    const lab = new Lab({ seed: 3 });
    const h0 = lab.addHost('h0');
    lab.addInterface(h0, { model: 'nofilter', ip: '10.0.0.1/24' });
    const h1 = lab.addHost('h1');
    lab.addInterface(h1, { model: 'perfect', ip: '10.0.0.2/24' });
    lab.addInterface(h1, { model: 'perfect', ip: '10.0.1.2/24' });
    const k1 = h1.kernel;
    const sock = k1.udp.socket();
    sock.mcIf = k1.devices[1] ?? null;
    k1.udp.bind(sock, 0, 5000, ROOT);
    lab.run(10e6); // links up, ARP announcements
    const k0 = h0.kernel;
    const tx = k0.udp.socket();
    tx.mcIf = k0.devices[1] ?? null;
    expect(k0.udp.sendto(tx, null, 18, 0x0a0000ff, 5000)).toBe(18);
    const before = lab.segment.lastFrameSeq;
    lab.run(1e6);
    // h0's datagram (after any collision with an announcement still going on): the only IP
    // frame h0 sent, so the only one h1's eth0 did not take as ARP.
    const sent = [];
    for (let seq = before + 1; seq <= lab.segment.lastFrameSeq; seq++) {
      const g = followWireFrame(lab, seq)!;
      if (g.sender === 'h0:eth0' && g.outcome === 'on the wire') sent.push(g);
    }
    const f = sent.find((g) => g.stations.some((x) => x.dev === 'eth0' && x.fate === 'delivered'));
    expect(f, 'h0 sent its datagram').toBeDefined();
    expect(f!.destination).toBe('ff:ff:ff:ff:ff:ff');
    const eth0 = f!.stations.find((x) => x.host === 'h1' && x.dev === 'eth0')!;
    const eth1 = f!.stations.find((x) => x.host === 'h1' && x.dev === 'eth1')!;
    // eth0's copy is its subnet's broadcast. eth1's is too: Linux's local table holds every
    // interface's broadcasts, so a host takes another card's subnet broadcast on any card
    // (checked in network namespaces on 6.18: a ping -b to eth0's broadcast sent into eth1
    // is answered). Each card's copy is its own record, with its own socket delivery.
    expect(eth0).toMatchObject({ fate: 'delivered', socket: sock.id });
    expect(eth1).toMatchObject({ fate: 'delivered', socket: sock.id });
    expect(eth0.detail + eth1.detail).not.toMatch(/does not say which/);
    expect(sock.queued).toBe(2);
  });
});

describe('followWireFrame through a router', () => {
  it('says a router forwarded the frame, with the TTL it left with and where to', () => {
    const s = routedLab("{ name: g, from: h1, to: '10.0.2.2:9', count: 1, start: 1ms }");
    s.run(20e6);
    // lan1 is the lab's first segment: its last frame from h1 is the datagram (after ARP).
    const seqs: number[] = [];
    for (let seq = 1; seq <= s.lab.segment.lastFrameSeq; seq++) {
      const f = followWireFrame(s.lab, seq);
      if (f?.sender === 'h1:eth0' && at(f.stations, 'r').fate === 'forwarded') seqs.push(seq);
    }
    expect(seqs).toHaveLength(1);
    const f = followWireFrame(s.lab, seqs[0])!;
    expect(at(f.stations, 'r').detail).toBe('forwarded, TTL 63: out eth1 towards 10.0.2.2');
    expect(s.lab.hosts[1].kernel.mib.ip.ForwDatagrams).toBe(1);
    // Across the router: the frame it became on lan2, sent by r's eth1, and what h2 made of it.
    const hops = followAcrossBridges(s.lab, seqs[0]);
    expect(hops.map((h) => [h.segment, h.sender])).toEqual([
      ['lan1', 'h1:eth0'],
      ['lan2', 'r:eth1'],
    ]);
    expect(at(hops[1].stations, 'h2').fate).toBe('no socket');
  });

  it('says a forwarded frame died when ARP for its next hop failed, and the report counts it', () => {
    const s = routedLab("{ name: g, from: h1, to: '10.0.2.9:9', count: 1, start: 1ms }", {
      h2: false,
    });
    s.run(5e9); // r's 3 ARP probes a second apart, then the queue is dropped
    const fates: StationFate[] = [];
    for (let seq = 1; seq <= s.lab.segment.lastFrameSeq; seq++) {
      const f = followWireFrame(s.lab, seq);
      if (f?.sender === 'h1:eth0' && at(f.stations, 'r').fate !== 'consumed by kernel')
        fates.push(at(f.stations, 'r'));
    }
    expect(fates.map((x) => [x.fate, x.detail])).toEqual([
      [
        'neighbour failed',
        'forwarded out eth1 towards 10.0.2.9, but ARP got no answer: dropped (ICMP host unreachable sent back)',
      ],
    ]);
    const router = s.lab.hosts[1];
    expect(router.kernel.mib.ip.ForwDatagrams).toBe(1);
    expect(router.kernel.mib.icmp.OutDestUnreachs).toBe(1);
    const report = labReport(s.lab.sched.now, s.lab.hosts, s.lab.segments);
    expect(report.hosts.r.fates).toMatchObject({ forwarded: 0, neighFailed: 1 });
  });
});
