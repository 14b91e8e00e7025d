import { addNs } from '../time';
import { describe, expect, it } from 'vitest';
import { PAYLOAD_ERR_TRUNCATED } from '../../traffic/payload';
import { ARP_ERR_HLEN } from '../../wire/arp';
import { IGMP_ERR_RECORDS } from '../../wire/igmp';
import { IPV4_ERR_IHL, IPV4_ERR_TRUNCATED } from '../../wire/ipv4';
import { UDP_ERR_SHORT, UDP_ERR_TRUNCATED } from '../../wire/udp';
import { Rng } from '../../sim/rng';
import { dissect, type Field } from './dissect';
import { fieldDef } from './fields';
import { ETH_ERR_SHORT } from './layers';
import { plainMeta, type FrameMeta } from './meta';
import {
  arpFrame,
  icmpEchoFrame,
  icmpErrorFrame,
  igmpFrame,
  igmpV3QueryFrame,
  igmpV3ReportFrame,
  mutateFrame,
  sampleFrames,
  udpFrame,
  withFcs,
} from '../testing/samples';
import { summarize } from './summary';

function all(tree: Field[], name: string): Field[] {
  const out: Field[] = [];
  const walk = (fs: Field[]) => {
    for (const f of fs) {
      if (f.name === name) out.push(f);
      walk(f.children);
    }
  };
  walk(tree);
  return out;
}

function one(tree: Field[], name: string): Field {
  const found = all(tree, name);
  if (found.length === 0) throw new Error(`no ${name} in the tree`);
  return found[0];
}

function layers(tree: Field[]): string[] {
  return tree.map((f) => f.name);
}

describe('dissect', () => {
  it('dissects a generator datagram to a group: names, values, labels, byte ranges', () => {
    const frame = udpFrame({
      src: '10.0.0.1',
      dst: '239.1.1.1',
      netlab: { gen: 3, seq: 7, sent: 1234567.5 },
    });
    const tree = dissect(frame);
    expect(layers(tree)).toEqual(['eth', 'ip', 'udp', 'netlab']);

    const dst = one(tree, 'eth.dst');
    expect(dst.value).toBe('01:00:5e:01:01:01');
    expect(dst.label).toBe('Destination: IPv4mcast_01:01:01 (01:00:5e:01:01:01)');
    expect(dst.range).toEqual([0, 6]);
    expect(dst.raw).toBe(0x01005e010101);
    expect(one(tree, 'eth.dst.ig').raw).toBe(1);
    expect(one(tree, 'eth.src').range).toEqual([6, 12]);
    expect(all(tree, 'eth.addr').map((f) => f.value)).toEqual([
      '01:00:5e:01:01:01',
      '02:00:00:00:00:01',
    ]);
    expect(one(tree, 'eth.type')).toMatchObject({
      label: 'Type: IPv4 (0x0800)',
      range: [12, 14],
      raw: 0x0800,
    });
    expect(tree[0].range).toEqual([0, 14]);

    expect(tree[1].label).toBe('Internet Protocol Version 4, Src: 10.0.0.1, Dst: 239.1.1.1');
    expect(tree[1].range).toEqual([14, 34]);
    expect(one(tree, 'ip.version')).toMatchObject({ label: '0100 .... = Version: 4', raw: 4 });
    expect(one(tree, 'ip.hdr_len')).toMatchObject({
      label: '.... 0101 = Header Length: 20 bytes (5)',
      raw: 20,
    });
    expect(one(tree, 'ip.flags').label).toBe("010. .... = Flags: 0x2, Don't fragment");
    expect(one(tree, 'ip.flags.df').raw).toBe(1);
    expect(one(tree, 'ip.ttl')).toMatchObject({ value: '1', range: [22, 23] });
    expect(one(tree, 'ip.proto')).toMatchObject({ label: 'Protocol: UDP (17)', raw: 17 });
    expect(one(tree, 'ip.checksum').label).toMatch(/^Header Checksum: 0x[0-9a-f]{4} \[correct\]$/);
    expect(one(tree, 'ip.checksum.status')).toMatchObject({ value: 'Good', range: [24, 24] });
    expect(one(tree, 'ip.src')).toMatchObject({
      value: '10.0.0.1',
      range: [26, 30],
      raw: 0x0a000001,
    });
    expect(one(tree, 'ip.dst')).toMatchObject({
      label: 'Destination Address: 239.1.1.1',
      range: [30, 34],
    });
    expect(all(tree, 'ip.addr').every((f) => f.hidden)).toBe(true);

    expect(tree[2].label).toBe('User Datagram Protocol, Src Port: 5000, Dst Port: 5000');
    expect(tree[2].range).toEqual([34, 42]);
    expect(tree[2].dataEnd).toBe(60);
    expect(one(tree, 'udp.srcport')).toMatchObject({ range: [34, 36], raw: 5000 });
    expect(one(tree, 'udp.dstport').range).toEqual([36, 38]);
    expect(all(tree, 'udp.port').map((f) => f.range)).toEqual([
      [34, 36],
      [36, 38],
    ]);
    expect(one(tree, 'udp.length').raw).toBe(26);
    expect(one(tree, 'udp.checksum.status').value).toBe('Good');
    expect(one(tree, 'udp.payload')).toMatchObject({
      range: [42, 60],
      label: 'UDP payload (18 bytes)',
    });

    expect(tree[3].label).toBe('netlab generator payload, Gen: 3, Seq: 7');
    expect(tree[3].range).toEqual([42, 60]);
    expect(one(tree, 'netlab.magic').range).toEqual([42, 46]);
    expect(one(tree, 'netlab.gen')).toMatchObject({ range: [46, 48], raw: 3 });
    expect(one(tree, 'netlab.seq')).toMatchObject({ range: [48, 52], raw: 7 });
    expect(one(tree, 'netlab.sent')).toMatchObject({ range: [52, 60], raw: 1234567.5 });
    expect(all(tree, 'eth.padding')).toEqual([]);
    expect(all(tree, '_ws.malformed')).toEqual([]);
  });

  it('starts with the frame layer when the capture gives metadata, and measures latency', () => {
    const frame = udpFrame({ netlab: { gen: 1, seq: 0, sent: 1000 } });
    const meta: FrameMeta = {
      number: 12,
      timeNs: 3500,
      origin: { sec: 86_400, nsec: 9_999_990 },
      fromLab: true,
      instant: (out) => addNs({ sec: 86_400, nsec: 9_999_990 }, 3500, out),
      sinceFirst: () => 1500,
      sincePrevious: () => 700,
      wireLength: 64,
      point: () => 'h1:eth0',
      direction: () => 'in',
      fate: () => 'delivered (socket 1)',
    };
    const tree = dissect(frame, frame.length, meta);
    expect(tree[0].label).toBe(
      'Frame 12: 64 bytes on wire (512 bits), 60 bytes captured (480 bits) on h1:eth0',
    );
    expect(tree[0].children.map((f) => [f.name, f.value])).toEqual([
      ['frame.number', '12'],
      ['frame.time', 'Jan  2, 1970 00:00:00.010003490 UTC'],
      ['frame.time_epoch', '86400.010003490'],
      ['frame.time_delta', '0.000000700'],
      ['frame.time_relative', '0.000001500'],
      ['frame.len', '64'],
      ['frame.cap_len', '60'],
      ['point', 'h1:eth0'],
      ['direction', 'in'],
      ['fate', 'delivered (socket 1)'],
    ]);
    expect(one(tree, 'frame.time_epoch').raw).toBe(3500);
    // The generator's send time is on the lab's clock: latency counts from 1970 here.
    expect(one(tree, 'netlab.latency').raw).toBe(86_400_010_003_490 - 1000);
  });

  it('dissects ARP and marks the padding', () => {
    const tree = dissect(arpFrame({ spa: '10.0.0.1', tpa: '10.0.0.2' }));
    expect(layers(tree)).toEqual(['eth', 'arp']);
    expect(tree[1].label).toBe('Address Resolution Protocol (request)');
    expect(one(tree, 'arp.opcode')).toMatchObject({
      label: 'Opcode: request (1)',
      range: [20, 22],
    });
    expect(one(tree, 'arp.hw.type').label).toBe('Hardware type: Ethernet (1)');
    expect(one(tree, 'arp.proto.type').label).toBe('Protocol type: IPv4 (0x0800)');
    expect(one(tree, 'arp.src.hw_mac')).toMatchObject({
      value: '02:00:00:00:00:01',
      range: [22, 28],
    });
    expect(one(tree, 'arp.src.proto_ipv4')).toMatchObject({ value: '10.0.0.1', range: [28, 32] });
    expect(one(tree, 'arp.dst.hw_mac').label).toBe(
      'Target MAC address: 00:00:00_00:00:00 (00:00:00:00:00:00)',
    );
    expect(one(tree, 'arp.dst.proto_ipv4')).toMatchObject({ value: '10.0.0.2', range: [38, 42] });
    expect(one(tree, 'eth.padding')).toMatchObject({ range: [42, 60], value: '0'.repeat(36) });
    expect(one(tree, 'eth.dst').label).toBe('Destination: Broadcast (ff:ff:ff:ff:ff:ff)');
  });

  it('dissects ICMP echo with identifier and sequence in both byte orders, and its data', () => {
    const tree = dissect(icmpEchoFrame({ id: 1, seq: 1, dataLen: 56 }));
    expect(layers(tree)).toEqual(['eth', 'ip', 'icmp']);
    const icmp = tree[2];
    expect(icmp.range).toEqual([34, 98]);
    expect(one(tree, 'icmp.type').label).toBe('Type: 8 (Echo (ping) request)');
    expect(one(tree, 'icmp.checksum.status').value).toBe('Good');
    expect(one(tree, 'icmp.ident').label).toBe('Identifier (BE): 1 (0x0001)');
    expect(one(tree, 'icmp.ident_le').raw).toBe(256);
    expect(one(tree, 'icmp.seq')).toMatchObject({ raw: 1, range: [40, 42] });
    expect(one(tree, 'icmp.seq_le').raw).toBe(256);
    // The echo data sits under ICMP, as Wireshark shows it.
    expect(icmp.children.at(-1)!.name).toBe('data');
    expect(one(tree, 'data.data').range).toEqual([42, 98]);
    expect(one(tree, 'data.len').raw).toBe(56);
  });

  it('dissects the datagram an ICMP error quotes, with the same field names, not as malformed', () => {
    const tree = dissect(
      icmpErrorFrame(udpFrame({ src: '10.0.0.1', dst: '10.0.0.2', dport: 6000 })),
    );
    expect(layers(tree)).toEqual(['eth', 'ip', 'icmp']);
    expect(one(tree, 'icmp.code').label).toBe('Code: 3 (Port unreachable)');
    expect(one(tree, 'icmp.unused').range).toEqual([38, 42]);
    const quoted = tree[2].children.filter((f) => f.name === 'ip' || f.name === 'udp');
    expect(quoted.map((f) => [f.name, f.range])).toEqual([
      ['ip', [42, 62]],
      ['udp', [62, 70]],
    ]);
    expect(all(tree, 'ip.dst').map((f) => f.value)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(one(tree, 'udp.dstport').raw).toBe(6000);
    // The quoted UDP says 26 bytes but only 8 are quoted: that is how ICMP quotes.
    expect(all(tree, '_ws.malformed')).toEqual([]);
    expect(one(tree, 'udp.checksum.status').value).toBe('Unverified');
    expect(all(tree, 'udp.payload')).toEqual([]);
  });

  it('dissects ICMP fragmentation-needed with the next-hop MTU', () => {
    const tree = dissect(icmpErrorFrame(udpFrame({ size: 1400 }), { code: 4, rest: 1280 }));
    expect(one(tree, 'icmp.mtu')).toMatchObject({ raw: 1280, range: [40, 42] });
    expect(one(tree, 'icmp.code').label).toBe('Code: 4 (Fragmentation needed)');
  });

  it('dissects IGMPv2 with the Router Alert option shown raw', () => {
    const tree = dissect(igmpFrame(0x16, 0, '239.1.1.1'));
    expect(layers(tree)).toEqual(['eth', 'ip', 'igmp']);
    expect(one(tree, 'ip.hdr_len').raw).toBe(24);
    const opts = all(tree, 'ip.opt.type')[0];
    expect(opts).toMatchObject({ range: [34, 35], raw: 148, label: 'Type: 148' });
    expect(one(tree, 'ip.opt.len')).toMatchObject({ range: [35, 36], raw: 4 });
    const group = tree[1].children.find((f) => f.label.startsWith('Options'));
    expect(group).toMatchObject({
      name: '',
      range: [34, 38],
      value: '94040000',
      label: 'Options: (4 bytes), Router Alert',
    });
    expect(tree[2].range).toEqual([38, 46]);
    expect(one(tree, 'igmp.version')).toMatchObject({ raw: 2, range: [38, 38] });
    expect(one(tree, 'igmp.type').label).toBe('Type: Membership Report (0x16)');
    expect(one(tree, 'igmp.max_resp').label).toBe('Max Resp Time: 0.0 sec (0x00)');
    expect(one(tree, 'igmp.checksum').label).toBe('Checksum: 0xf9fc [correct]');
    expect(one(tree, 'igmp.maddr')).toMatchObject({ value: '239.1.1.1', range: [42, 46] });
    expect(one(tree, 'eth.padding').range).toEqual([46, 60]);
  });

  it('tells IGMP versions apart as Wireshark does', () => {
    const version = (f: Uint8Array) => one(dissect(f), 'igmp.version').raw;
    expect(version(igmpFrame(0x11, 0, '0.0.0.0'))).toBe(1);
    expect(version(igmpFrame(0x12, 0, '239.1.1.1'))).toBe(1);
    expect(version(igmpFrame(0x11, 100, '0.0.0.0'))).toBe(2);
    expect(version(igmpFrame(0x17, 0, '239.1.1.1'))).toBe(2);
    expect(version(igmpV3QueryFrame('0.0.0.0'))).toBe(3);
    expect(version(igmpV3ReportFrame([{ type: 4, group: '239.1.1.1' }]))).toBe(3);
    const v1 = dissect(igmpFrame(0x11, 0, '0.0.0.0'));
    expect(one(v1, 'igmp.reserved').range).toEqual([39, 40]);
    expect(all(v1, 'igmp.max_resp')).toEqual([]);
  });

  it('dissects an IGMPv3 report record by record', () => {
    const tree = dissect(
      igmpV3ReportFrame([
        { type: 4, group: '239.1.1.1' },
        { type: 1, group: '239.2.2.2', sources: ['10.0.0.9', '10.0.0.10'] },
      ]),
    );
    expect(one(tree, 'igmp.num_grp_recs').raw).toBe(2);
    const records = all(tree, 'igmp.record');
    expect(records.map((r) => [r.label, r.range])).toEqual([
      ['Group Record : 239.1.1.1  Change To Exclude Mode', [46, 54]],
      ['Group Record : 239.2.2.2  Mode Is Include', [54, 70]],
    ]);
    expect(records[1].children.map((f) => [f.name, f.value])).toEqual([
      ['igmp.record_type', '1'],
      ['igmp.aux_data_len', '0'],
      ['igmp.num_src', '2'],
      ['igmp.maddr', '239.2.2.2'],
      ['igmp.saddr', '10.0.0.9'],
      ['igmp.saddr', '10.0.0.10'],
    ]);
    expect(one(tree, 'igmp.checksum.status').value).toBe('Good');
  });

  it('dissects an IGMPv3 query with its flags and sources', () => {
    const tree = dissect(
      igmpV3QueryFrame('239.1.1.1', {
        sources: ['10.0.0.1', '10.0.0.2'],
        s: true,
        qrv: 2,
        qqic: 125,
        maxRespCode: 100,
      }),
    );
    expect(one(tree, 'igmp.max_resp').label).toBe('Max Resp Time: 10.0 sec (0x64)');
    expect(one(tree, 'igmp.maddr').value).toBe('239.1.1.1');
    expect(one(tree, 'igmp.s')).toMatchObject({
      raw: 1,
      label: '.... 1... = S: Suppress router side processing',
    });
    expect(one(tree, 'igmp.qrv')).toMatchObject({ raw: 2, label: '.... .010 = QRV: 2' });
    expect(one(tree, 'igmp.qqic').raw).toBe(125);
    expect(one(tree, 'igmp.num_src').raw).toBe(2);
    expect(all(tree, 'igmp.saddr').map((f) => [f.value, f.range])).toEqual([
      ['10.0.0.1', [50, 54]],
      ['10.0.0.2', [54, 58]],
    ]);
  });

  it('reads 802.1Q tags, stacked ones too', () => {
    const tree = dissect(udpFrame({ vlans: [100] }));
    expect(layers(tree)).toEqual(['eth', 'vlan', 'ip', 'udp', 'netlab']);
    expect(one(tree, 'eth.type').label).toBe('Type: 802.1Q Virtual LAN (0x8100)');
    expect(tree[1]).toMatchObject({
      label: '802.1Q Virtual LAN, PRI: 0, DEI: 0, ID: 100',
      range: [14, 18],
    });
    expect(one(tree, 'vlan.id')).toMatchObject({
      raw: 100,
      label: '.... 0000 0110 0100 = ID: 100',
      range: [14, 16],
    });
    expect(one(tree, 'vlan.etype')).toMatchObject({ raw: 0x0800, range: [16, 18] });
    expect(one(tree, 'ip.src').range).toEqual([30, 34]);
    const qinq = dissect(arpFrame({ vlans: [10, 20] }));
    expect(layers(qinq)).toEqual(['eth', 'vlan', 'vlan', 'arp']);
    expect(all(qinq, 'vlan.id').map((f) => f.raw)).toEqual([10, 20]);
    expect(all(qinq, 'vlan.etype').map((f) => f.raw)).toEqual([0x8100, 0x0806]);
  });

  it('notes IEEE 802.3 length frames', () => {
    const f = udpFrame();
    f[12] = 0;
    f[13] = 46;
    const tree = dissect(f);
    expect(tree[0].label).toBe('IEEE 802.3 Ethernet');
    expect(one(tree, 'eth.len')).toMatchObject({ raw: 46, label: 'Length: 46', range: [12, 14] });
    expect(all(tree, 'eth.type')).toEqual([]);
    expect(layers(tree)).toEqual(['eth', 'data']);
    expect(one(tree, 'data.data').range).toEqual([14, 60]);
  });

  it('checks the FCS a segment capture keeps', () => {
    const good = dissect(withFcs(udpFrame()));
    expect(one(good, 'eth.fcs').range).toEqual([60, 64]);
    expect(one(good, 'eth.fcs.status').value).toBe('Good');
    const damaged = withFcs(arpFrame());
    damaged[63] ^= 0x80;
    const bad = dissect(damaged);
    expect(one(bad, 'eth.padding').range).toEqual([42, 60]);
    expect(one(bad, 'eth.fcs.status').value).toBe('Bad');
    expect(one(bad, 'eth.fcs').label).toMatch(/\[incorrect\]$/);
  });

  it('shows IP fragments as data, and bad checksums as Bad', () => {
    const f = udpFrame({ dst: '10.0.0.2', size: 100 });
    f[20] = 0x20;
    expect(layers(dissect(f))).toEqual(['eth', 'ip', 'data']);
    const g = udpFrame();
    g[41] ^= 1;
    expect(one(dissect(g), 'udp.checksum.status').value).toBe('Bad');
    expect(one(dissect(g), 'udp.checksum').label).toMatch(/\[incorrect\]$/);
  });
});

describe('dissect, given malformed and truncated frames', () => {
  it('dissects a cut header as far as it goes and marks it with the view’s reason', () => {
    const tree = dissect(udpFrame().subarray(0, 38));
    expect(layers(tree)).toEqual(['eth', 'ip', 'udp']);
    expect(tree[1].malformed).toBe(IPV4_ERR_TRUNCATED);
    expect(tree[2].malformed).toBe(UDP_ERR_SHORT);
    expect(one(tree, 'udp.srcport').raw).toBe(5000);
    expect(one(tree, 'udp.dstport').raw).toBe(5000);
    expect(all(tree, 'udp.length')).toEqual([]);
    expect(all(tree, '_ws.malformed').map((f) => [f.label, f.range])).toEqual([
      [`[Malformed Packet: ${IPV4_ERR_TRUNCATED}]`, [14, 14]],
      [`[Malformed Packet: ${UDP_ERR_SHORT}]`, [34, 34]],
    ]);
  });

  it('keeps the fields of an IP header cut inside its addresses', () => {
    const tree = dissect(udpFrame().subarray(0, 30));
    expect(one(tree, 'ip.ttl').raw).toBe(1);
    expect(one(tree, 'ip.src').value).toBe('10.0.0.1');
    expect(all(tree, 'ip.dst')).toEqual([]);
    expect(tree[1].label).toBe('Internet Protocol Version 4, Src: 10.0.0.1');
    expect(tree[1].malformed).toBeTruthy();
  });

  it('does not call a frame the capture cut short (snap length) malformed', () => {
    const f = udpFrame({ size: 1000 }).subarray(0, 100);
    const tree = dissect(f, f.length, plainMeta(1, 1042));
    expect(all(tree, '_ws.malformed')).toEqual([]);
    expect(one(tree, 'udp.checksum.status').value).toBe('Unverified');
    expect(one(tree, 'netlab.seq').raw).toBe(0);
    // Without the wire length, the same bytes are a lie about their length.
    expect(dissect(f)[1].malformed).toBe(IPV4_ERR_TRUNCATED);
  });

  it('marks runts, bogus header lengths, lying lengths and cut records', () => {
    const runt = dissect(udpFrame().subarray(0, 10));
    expect(runt[0].malformed).toBe(ETH_ERR_SHORT);
    expect(one(runt, 'eth.dst').value).toBe('01:00:5e:01:01:01');
    expect(all(runt, 'eth.src')).toEqual([]);

    const ihl = udpFrame();
    ihl[14] = 0x44;
    const t1 = dissect(ihl);
    expect(t1[1].malformed).toBe(IPV4_ERR_IHL);
    expect(layers(t1)).toEqual(['eth', 'ip']);
    expect(one(t1, 'ip.dst').value).toBe('239.1.1.1');

    const long = udpFrame();
    long[38] = 0;
    long[39] = 100;
    expect(dissect(long)[2].malformed).toBe(UDP_ERR_TRUNCATED);

    const cut = udpFrame({ size: 10 });
    cut.set([0x4e, 0x4c, 0x41, 0x42], 42);
    const t2 = dissect(cut);
    expect(t2[3]).toMatchObject({ name: 'netlab', malformed: PAYLOAD_ERR_TRUNCATED });
    expect(one(t2, 'netlab.seq').range).toEqual([48, 52]);
    expect(all(t2, 'netlab.sent')).toEqual([]);

    const arp = arpFrame();
    arp[18] = 8;
    const t3 = dissect(arp);
    // Any address sizes are ARP, as Wireshark reads it (the kernel drops them: ARP_ERR_HLEN).
    expect(ARP_ERR_HLEN).toMatch(/not 6/);
    expect(t3[1].malformed).toBeUndefined();
    expect(one(t3, 'arp.hw.size').raw).toBe(8);
    expect(all(t3, 'arp.src.hw_mac')).toEqual([]);
    expect(one(t3, 'arp.src.hw').range).toEqual([22, 30]);
    expect(one(t3, 'arp.src.proto_ipv4').range).toEqual([30, 34]);
    expect(one(t3, 'arp.dst.proto_ipv4').range).toEqual([42, 46]);

    const v3 = igmpV3ReportFrame([{ type: 1, group: '239.0.0.1', sources: ['10.0.0.1'] }]);
    v3[45] = 3;
    const t4 = dissect(v3);
    expect(t4[2].malformed).toBe(IGMP_ERR_RECORDS);
    expect(all(t4, 'igmp.record')).toHaveLength(1);
  });

  it('never throws: 20,000 random and mutated frames, every field in range and of its type', () => {
    const rng = new Rng(20_000);
    const random = () => rng.next();
    const samples = sampleFrames();
    let malformed = 0;
    for (let round = 0; round < 20_000; round++) {
      let frame: Uint8Array;
      if (round % 4 === 0) {
        frame = Uint8Array.from({ length: rng.int(120) }, () => rng.int(256));
        // Often make it look like Ethernet carrying something, so deeper layers run.
        if (frame.length >= 14 && rng.chance(0.7)) {
          frame[12] = [0x08, 0x08, 0x81, 0x00][rng.int(4)];
          frame[13] = frame[12] === 0x08 ? [0x00, 0x06][rng.int(2)] : 0;
          if (frame.length > 14 && frame[13] === 0) frame[14] = 0x45 + rng.int(3);
        }
      } else {
        frame = mutateFrame(samples[rng.int(samples.length)].frame, random);
      }
      const len = frame.length;
      const meta = rng.chance(0.5) ? plainMeta(round + 1, len + rng.int(3) * 100) : undefined;
      // Any exception fails the test with the frame that caused it.
      let tree: Field[];
      try {
        tree = dissect(frame, len, meta);
        summarize(frame, len, meta?.wireLength ?? len);
      } catch (err) {
        throw new Error(`round ${round}, frame ${Array.from(frame).join(',')}: ${String(err)}`);
      }
      const walk = (fs: Field[]) => {
        for (const f of fs) {
          const [start, end] = f.range;
          if (!(start >= 0 && start <= end && end <= len))
            throw new Error(`${f.name} range ${f.range} outside ${len}`);
          if (f.name !== '') {
            const def = fieldDef(f.name);
            if (!def) throw new Error(`unregistered field ${f.name}`);
            const numeric = [
              'uint',
              'bool',
              'ipv4',
              'ether',
              'double',
              'abstime',
              'reltime',
            ].includes(def.type);
            if (numeric !== (typeof f.raw === 'number'))
              throw new Error(`${f.name} raw ${String(f.raw)}`);
          }
          if (f.malformed) malformed++;
          walk(f.children);
        }
      };
      walk(tree);
    }
    expect(malformed).toBeGreaterThan(1000);
  }, 60_000);
});
