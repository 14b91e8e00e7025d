import { describe, expect, it, vi } from 'vitest';
import { Capture } from '../capture/capture';
import { exportPcap, exportPcapng } from '../capture/export';
import { FrameStore } from '../capture/frame-store';
import { importCapture } from '../capture/import';
import { NEIGH_GC_THRESH3 } from '../kernel/neigh';
import { Lab } from '../lab';
import { devClose, devSetMtu } from '../netdev/dev';
import { FATE_DEV_DROP } from '../netdev/fate';
import { ExternalPort } from '../segment/external-port';
import { MS, SECOND, US } from '../sim/time';
import { ArpView, ARPOP_REQUEST } from '../wire/arp';
import { ETH_P_ARP, ETH_P_IP, EthernetView } from '../wire/ethernet';
import { IPPROTO_UDP, Ipv4View } from '../wire/ipv4';
import { UdpView } from '../wire/udp';
import { parseLabSpec } from '../labfile/load';
import { auditLab } from './fate-audit';

/** Bugs the fuzzers found, each pinned by the smallest case that shows it. */

describe('frames a card or the backlog still holds when the device stops', () => {
  /** A slow host of each kind of driver, flooded with broadcasts of an unknown type. */
  function flooded() {
    const lab = new Lab({ seed: 3 });
    const napi = lab.addHost('napi', 200_000);
    lab.addInterface(napi, { model: 'perfect', ip: '10.0.0.1/24', rxRing: 8 });
    const isa = lab.addHost('isa', 200_000);
    lab.addInterface(isa, { model: 'nofilter', ip: '10.0.0.2/24' });
    const port = new ExternalPort('x', lab.segment);
    const frame = new Uint8Array(60).fill(0xff, 0, 6);
    frame[12] = 0x88;
    frame[13] = 0xb5;
    for (let i = 0; i < 40; i++) port.send(frame);
    lab.run(500 * US);
    return { lab, port, napi, isa };
  }

  it('are dropped as the device goes down, each with its fate and in rx_dropped', () => {
    const { lab, port, napi, isa } = flooded();
    expect(napi.nics[0].rx!.pending).toBeGreaterThan(0);
    expect(isa.machine.softnet.backlog.qlen).toBeGreaterThan(0);
    const held =
      napi.nics[0].rx!.pending + isa.nics[0].rx!.pending + isa.machine.softnet.backlog.qlen;
    devClose(napi.nics[0].dev);
    devClose(isa.nics[0].dev);
    const drops = napi.machine.fates.total(FATE_DEV_DROP) + isa.machine.fates.total(FATE_DEV_DROP);
    expect(drops).toBe(held);
    expect(napi.nics[0].stats.rx_dropped + isa.nics[0].stats.rx_dropped).toBe(held);
    expect(auditLab(lab, [port], { wholeRun: true, settled: false }).problems).toEqual([]);
    expect(lab.pool.outstanding).toBe(0);
  });

  it('are dropped with their fates when an MTU change rebuilds the ring', () => {
    const { lab, port, napi } = flooded();
    const held = napi.nics[0].rx!.pending;
    expect(held).toBeGreaterThan(0);
    expect(devSetMtu(napi.nics[0].dev, 1400)).toBe(0);
    expect(napi.machine.fates.total(FATE_DEV_DROP)).toBe(held);
    expect(auditLab(lab, [port], { wholeRun: true, settled: false }).problems).toEqual([]);
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });
});

describe('YAML aliases and merge keys that yaml cannot convert', () => {
  const first = (text: string) => {
    const r = parseLabSpec(text, 'lab.yaml');
    expect(r.errors).toBeDefined();
    const e = r.errors![0];
    return `${e.line}:${e.column}: ${e.message}`;
  };

  it('a merge key given a scalar or a list: an error at the key, not "could not read the file"', () => {
    expect(first('name: x\n<<: 5\n')).toBe(
      '2:1: a merge key (<<) takes a map, an alias of a map, or a list of those',
    );
    expect(first('a: &a [1]\nname: x\nhosts:\n  - <<: *a\n')).toBe(
      '4:5: a merge key (<<) takes a map, an alias of a map, or a list of those',
    );
    expect(first('a: &a {b: 1}\n<<: [*a, 3]\n')).toBe(
      '2:1: a merge key (<<) takes a map, an alias of a map, or a list of those',
    );
  });

  it('an alias of no anchor: an error at the alias, not an alias bomb', () => {
    expect(first('name: x\nseed: *s\n')).toBe(
      '2:7: the alias *s names no anchor (&s) set before it',
    );
    expect(first('seed: *s\nname: &s x\n')).toBe(
      '1:7: the alias *s names no anchor (&s) set before it',
    );
    expect(first('name: x\n<<: *m\n')).toBe('2:5: the alias *m names no anchor (&m) set before it');
  });

  it('a map or a list as a key is an unknown key, with no warning on the console', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    try {
      expect(first('name: x\n? { a: 1 }\n: 3\nhosts: []\n')).toMatch(/unknown key "\{ a: 1 \}"/);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('still merges maps, and still refuses alias bombs', () => {
    const ok = parseLabSpec(
      [
        'name: m',
        'hosts:',
        '  - name: h1',
        '    interfaces: [&card { name: eth0, nic: hash64 }]',
        '  - name: h2',
        '    interfaces: [{ <<: *card, mtu: 1400 }]',
      ].join('\n'),
      'lab.yaml',
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.spec!.hosts[1].interfaces?.[0]).toMatchObject({
      name: 'eth0',
      nic: 'hash64',
      mtu: 1400,
    });
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 9; i++)
      bomb += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    expect(first(bomb)).toMatch(/^0:0: too many alias expansions/);
  });
});

describe('runts shorter than a header and an FCS, on a segment capture', () => {
  it('are kept as they were on the wire, and export and import', () => {
    const lab = new Lab({ seed: 5 });
    lab.addInterface(lab.addHost('h'), { model: 'nofilter', ip: '10.0.0.1/24' });
    const port = new ExternalPort('x', lab.segment);
    const cap = new Capture(
      [{ kind: 'segment', name: 'segment', segment: lab.segment }],
      lab.sched,
    );
    lab.run(MS); // the host boots before the capture starts
    cap.start();
    // Raw bursts of 0 to 17 bytes: less than a header and an FCS; once, minus 4 was negative.
    for (let n = 0; n < 18; n++) {
      port.sendRaw(new Uint8Array(n).fill(n));
      lab.run(MS);
    }
    expect(cap.store.count).toBe(18);
    for (let n = 0; n < 18; n++) expect(cap.store.capturedLength(n + 1)).toBe(n);
    const chunks: Uint8Array[] = [];
    expect(exportPcap(cap, (c) => chunks.push(c.slice()))).toBe(18);
    const pcapng: Uint8Array[] = [];
    expect(exportPcapng(cap, (c) => pcapng.push(c.slice()))).toBe(18);
    const bytes = new Uint8Array(Buffer.concat(chunks));
    const back = importCapture(bytes);
    expect(back.error).toBeUndefined();
    expect(back.capture.store.count).toBe(18);
    expect(back.capture.rows(1, 18).map((r) => r.capturedLength)).toEqual([...Array(18).keys()]);
    lab.teardown();
  });

  it('a store whose first frame is empty reads it back', () => {
    const s = new FrameStore();
    s.append(0, 0, 0, new Uint8Array(0), 0, 0, 0, 0);
    s.append(1, 0, 0, Uint8Array.of(1, 2, 3), 0, 3, 3, 0);
    expect(s.data(1).length).toBe(0);
    expect([...s.data(2)]).toEqual([1, 2, 3]);
  });

  it('a small store holds kilobytes, not a 4 MiB chunk', () => {
    const s = new FrameStore();
    s.append(0, 0, 0, new Uint8Array(60), 0, 60, 64, 0);
    expect(s.memoryBytes()).toBeLessThan(256 * 1024);
    // And grows as frames come: a megabyte of frames, then ten.
    for (let i = 0; i < 10_000; i++) s.append(i, 0, 0, new Uint8Array(1000), 0, 1000, 1004, 0);
    expect(s.bytes).toBe(60 + 10_000_000);
    expect(s.memoryBytes()).toBeLessThan(2 * s.bytes);
    expect(s.data(10_001).length).toBe(1000);
  });
});

describe('the neighbour table under a flood of strangers', () => {
  it('holds at most gc_thresh3 entries, and their timers are reused', () => {
    const lab = new Lab({ seed: 8 });
    const h = lab.addHost('h');
    const nic = lab.addInterface(h, { model: 'nofilter', ip: '10.0.0.1/8' });
    const port = new ExternalPort('x', lab.segment);
    const k = h.kernel;
    const mac = nic.dev.devAddr;
    const src = Uint8Array.of(2, 0xaa, 0, 0, 0, 1);
    const arp = new Uint8Array(42);
    const udp = new Uint8Array(14 + 20 + 8);
    let maxEntries = 0;
    for (let i = 0; i < 1500; i++) {
      // An ARP request for h from a new sender (h learns it, STALE), and a datagram from another
      // stranger to a closed port (h's port unreachable must resolve it: INCOMPLETE, then FAILED).
      const sip = (0x0a010000 + i) >>> 0;
      EthernetView.write(arp, 0, Uint8Array.of(255, 255, 255, 255, 255, 255), src, ETH_P_ARP);
      ArpView.write(arp, 14, ARPOP_REQUEST, 0x02aa00000001, sip, 0, 0x0a000001);
      port.send(arp);
      EthernetView.write(udp, 0, mac, src, ETH_P_IP);
      Ipv4View.write(udp, 14, 0, 28, i, 0, 64, IPPROTO_UDP, (0x0a020000 + i) >>> 0, 0x0a000001);
      UdpView.write(udp, 34, 4000, 7, 8);
      port.send(udp);
      lab.run(200 * US);
      maxEntries = Math.max(maxEntries, k.neigh.entries.length);
    }
    lab.run(10 * SECOND);
    expect(maxEntries).toBe(NEIGH_GC_THRESH3);
    expect(k.neigh.entries.length).toBeLessThanOrEqual(NEIGH_GC_THRESH3);
    expect(k.neigh.unresolvedDrops).toBeGreaterThan(0);
    // One timer per entry at most, plus the host's own (IGMP and the like): ids were reused.
    expect(k.timers.slots).toBeLessThan(NEIGH_GC_THRESH3 + 16);
    expect(auditLab(lab, [port], { wholeRun: true, settled: true }).problems).toEqual([]);
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });
});
