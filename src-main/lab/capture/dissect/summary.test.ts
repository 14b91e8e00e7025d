import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  arpFrame,
  icmpEchoFrame,
  icmpErrorFrame,
  igmpFrame,
  igmpV3QueryFrame,
  igmpV3ReportFrame,
  PEER_MAC,
  HOST_MAC,
  sampleFrames,
  udpFrame,
} from '../testing/samples';
import { summarize } from './summary';

const row = (f: Uint8Array, wire = f.length) => {
  const s = summarize(f, f.length, wire);
  return [s.source, s.destination, s.protocol, s.info];
};

describe('summarize', () => {
  it('words ARP as Wireshark does', () => {
    expect(row(arpFrame({ spa: '10.0.0.1', tpa: '10.0.0.2' }))).toEqual([
      '02:00:00:00:00:01',
      'Broadcast',
      'ARP',
      'Who has 10.0.0.2? Tell 10.0.0.1',
    ]);
    expect(
      row(arpFrame({ op: 2, sha: PEER_MAC, spa: '10.0.0.2', tha: HOST_MAC, tpa: '10.0.0.1' })),
    ).toEqual([
      '02:00:00:00:00:02',
      '02:00:00:00:00:01',
      'ARP',
      '10.0.0.2 is at 02:00:00:00:00:02',
    ]);
    expect(row(arpFrame({ spa: '10.0.0.1', tpa: '10.0.0.1' }))[3]).toBe(
      'ARP Announcement for 10.0.0.1',
    );
    expect(row(arpFrame({ spa: '0.0.0.0', tpa: '10.0.0.5' }))[3]).toBe(
      'Who has 10.0.0.5? (ARP Probe)',
    );
  });

  it('words ping with id, both sequence byte orders and the TTL', () => {
    expect(row(icmpEchoFrame({ id: 1, seq: 1, ttl: 64 }))).toEqual([
      '10.0.0.1',
      '10.0.0.2',
      'ICMP',
      'Echo (ping) request  id=0x0001, seq=1/256, ttl=64',
    ]);
    expect(row(icmpEchoFrame({ type: 0, id: 0x1234, seq: 300, ttl: 63 }))[3]).toBe(
      'Echo (ping) reply    id=0x1234, seq=300/11265, ttl=63',
    );
    expect(row(icmpErrorFrame(udpFrame({ dst: '10.0.0.2' })))[3]).toBe(
      'Destination unreachable (Port unreachable)',
    );
    expect(row(icmpErrorFrame(icmpEchoFrame(), { type: 11, code: 0 }))[3]).toBe(
      'Time-to-live exceeded (Time to live exceeded in transit)',
    );
  });

  it('words IGMP reports, leaves and queries of every version', () => {
    expect(row(igmpFrame(0x16, 0, '239.1.1.1'))).toEqual([
      '10.0.0.1',
      '239.1.1.1',
      'IGMPv2',
      'Membership Report group 239.1.1.1',
    ]);
    expect(row(igmpFrame(0x17, 0, '239.1.1.1'))).toEqual([
      '10.0.0.1',
      '224.0.0.2',
      'IGMPv2',
      'Leave Group 239.1.1.1',
    ]);
    expect(row(igmpFrame(0x11, 100, '0.0.0.0')).slice(2)).toEqual([
      'IGMPv2',
      'Membership Query, general',
    ]);
    expect(row(igmpFrame(0x11, 10, '239.1.1.1')).slice(2)).toEqual([
      'IGMPv2',
      'Membership Query, specific for group 239.1.1.1',
    ]);
    expect(row(igmpFrame(0x11, 0, '0.0.0.0')).slice(2)).toEqual(['IGMPv1', 'Membership Query']);
    expect(row(igmpFrame(0x12, 0, '239.1.1.1')).slice(2)).toEqual(['IGMPv1', 'Membership Report']);
    expect(row(igmpV3QueryFrame('0.0.0.0')).slice(2)).toEqual([
      'IGMPv3',
      'Membership Query, general',
    ]);
    expect(
      row(igmpV3QueryFrame('239.1.1.1', { sources: ['10.0.0.1', '10.0.0.2'] })).slice(2),
    ).toEqual([
      'IGMPv3',
      'Membership Query, specific for group 239.1.1.1, sources {10.0.0.1, 10.0.0.2}',
    ]);
    expect(
      row(
        igmpV3ReportFrame([
          { type: 4, group: '239.1.1.1' },
          { type: 3, group: '239.1.1.2' },
          { type: 1, group: '239.1.1.3', sources: ['10.0.0.9'] },
          { type: 2, group: '239.1.1.4', sources: ['10.0.0.1', '10.0.0.2'] },
        ]),
      ),
    ).toEqual([
      '10.0.0.1',
      '224.0.0.22',
      'IGMPv3',
      'Membership Report / Join group 239.1.1.1 for any sources / Leave group 239.1.1.2' +
        ' / Join group 239.1.1.3 for source {10.0.0.9} / Join group 239.1.1.4, for sources not in {10.0.0.1, 10.0.0.2}',
    ]);
  });

  it('words UDP, and names the generator payload when it carries one', () => {
    expect(row(udpFrame({ netlab: false, size: 18 }))).toEqual([
      '10.0.0.1',
      '239.1.1.1',
      'UDP',
      '5000 → 5000 Len=18',
    ]);
    expect(row(udpFrame({ netlab: { gen: 3, seq: 7, sent: 0 } }))).toEqual([
      '10.0.0.1',
      '239.1.1.1',
      'NETLAB',
      '5000 → 5000 Len=18 gen=3 seq=7',
    ]);
    expect(row(udpFrame({ sport: 40000, dport: 9, size: 100, vlans: [5] }))[3]).toBe(
      '40000 → 9 Len=100 gen=1 seq=0',
    );
  });

  it('flags malformed frames, in Wireshark’s words where it has them', () => {
    expect(row(udpFrame().subarray(0, 38))[3]).toBe('5000 → 5000[Malformed Packet]');
    const long = udpFrame({ netlab: false });
    long[39] = 100;
    expect(row(long)[3]).toBe('5000 → 5000 [BAD UDP LENGTH 100 > IP PAYLOAD LENGTH] Len=92');
    const ihl = udpFrame();
    ihl[14] = 0x44;
    expect(row(ihl)).toEqual([
      '02:00:00:00:00:01',
      'IPv4mcast_01:01:01',
      'IPv4',
      'Bogus IP header length (16, must be at least 20)',
    ]);
    // Cut by the snap length: not malformed.
    expect(row(udpFrame({ size: 1000 }).subarray(0, 100), 1042)[3]).toBe(
      '5000 → 5000 Len=1000 gen=1 seq=0',
    );
    expect(row(new Uint8Array(0))).toEqual(['', '', 'Ethernet', '[Malformed Packet]']);
  });
});

const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;

/** A classic pcap (microseconds, LINKTYPE_ETHERNET) of the frames. */
function pcap(frames: { frame: Uint8Array; wireLength?: number }[]): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(262144, 16);
  head.writeUInt32LE(1, 20);
  parts.push(head);
  frames.forEach(({ frame, wireLength }, i) => {
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(i, 0);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(wireLength ?? frame.length, 12);
    parts.push(rec, Buffer.from(frame));
  });
  return Buffer.concat(parts);
}

/**
 * Where the lab knowingly words a frame differently from tshark: it names its
 * own generator payload, does not dissect TCP or LLC, and calls a header that
 * lies about its length malformed where Wireshark only adds an expert note.
 */
const DIFFERS = new Set([
  'udp multicast',
  'udp unicast 1000',
  'udp without generator header', // Wireshark's heuristics take zeros for some tunnel
  'udp without checksum',
  'vlan udp',
  'ieee 802.3',
  'with fcs',
  'bad fcs',
  'bad ip checksum',
  'bad udp checksum',
  'snapped udp',
  'ip total length beyond frame',
  'udp length beyond ip',
  'udp length below 8',
  'generator header cut',
  'igmp 10-byte query',
]);

describe.skipIf(!hasTshark)('summarize, against tshark', () => {
  it('gives the Source, Destination, Protocol and Info columns tshark gives', () => {
    const samples = sampleFrames();
    const dir = mkdtempSync(join(tmpdir(), 'netlab-summary-'));
    try {
      const file = join(dir, 'samples.pcap');
      writeFileSync(file, pcap(samples));
      const out = execFileSync(
        'tshark',
        [
          '-r',
          file,
          '-T',
          'fields',
          '-E',
          'separator=|',
          '-e',
          '_ws.col.Source',
          '-e',
          '_ws.col.Destination',
          '-e',
          '_ws.col.Protocol',
          '-e',
          '_ws.col.Info',
        ],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      )
        .toString()
        .split('\n');
      let compared = 0;
      samples.forEach(({ name, frame, wireLength }, i) => {
        const ours = row(frame, wireLength).join('|');
        if (DIFFERS.has(name)) {
          // Keep the list honest: a frame listed here must really differ.
          expect(ours, name).not.toBe(out[i]);
          return;
        }
        expect(ours, name).toBe(out[i]);
        compared++;
      });
      expect(compared).toBeGreaterThanOrEqual(samples.length - DIFFERS.size);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
