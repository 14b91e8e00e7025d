import { PayloadView } from '../../traffic/payload';
import { ArpView } from '../../wire/arp';
import { setU16 } from '../../wire/bytes';
import { crc32 } from '../../wire/crc32';
import { ETH_P_8021Q, ETH_P_ARP, ETH_P_IP, ETH_ZLEN, EthernetView } from '../../wire/ethernet';
import { IcmpView } from '../../wire/icmp';
import { IGMP_HLEN, IGMPV3_QUERY_HLEN, IGMPV3_RECORD_HLEN, IgmpView } from '../../wire/igmp';
import { IP_DF, IPPROTO_ICMP, IPPROTO_IGMP, IPPROTO_UDP, Ipv4View } from '../../wire/ipv4';
import { ipMulticastToMac, isMulticastIp, parseIpv4 } from '../../wire/ipv4-addr';
import { macKey, parseMac } from '../../wire/mac';
import { UdpView } from '../../wire/udp';

/**
 * Real frames, built with the wire views' writers, for tests, benchmarks and
 * demonstrations: what the lab's hosts put on the wire (UDP multicast with a
 * generator payload, ARP, ICMP echo and errors, IGMP v1/v2/v3), padded to the
 * Ethernet minimum like a NIC pads them. Addresses are given as text.
 */

export const HOST_MAC = '02:00:00:00:00:01';
export const PEER_MAC = '02:00:00:00:00:02';

function ip(text: string): number {
  const v = parseIpv4(text);
  if (v === null) throw new RangeError(`not an IPv4 address: ${text}`);
  return v;
}

function mac(text: string): Uint8Array {
  const v = parseMac(text);
  if (v === null) throw new RangeError(`not a MAC address: ${text}`);
  return v;
}

/** The destination MAC of an IPv4 destination: its group's, broadcast, or `unicast`. */
function macFor(dst: number, unicast: string): Uint8Array {
  if (isMulticastIp(dst)) {
    const m = new Uint8Array(6);
    ipMulticastToMac(dst, m);
    return m;
  }
  if (dst === 0xffffffff) return mac('ff:ff:ff:ff:ff:ff');
  return mac(unicast);
}

export interface EthOptions {
  srcMac?: string;
  /** Default: the group's MAC for multicast, else PEER_MAC. */
  dstMac?: string;
  /** 802.1Q VLAN ids, outermost first (priority 0). */
  vlans?: number[];
}

/** Writes the Ethernet header (and tags) and returns the offset of the payload. */
function ethernet(
  frame: Uint8Array,
  dst: Uint8Array,
  src: Uint8Array,
  type: number,
  vlans: number[],
): number {
  EthernetView.write(frame, 0, dst, src, vlans.length > 0 ? ETH_P_8021Q : type);
  let p = 14;
  vlans.forEach((id, k) => {
    setU16(frame, p, id & 0xfff);
    setU16(frame, p + 2, k + 1 < vlans.length ? ETH_P_8021Q : type);
    p += 4;
  });
  return p;
}

function frameOf(headerBytes: number, packetBytes: number): Uint8Array {
  return new Uint8Array(Math.max(ETH_ZLEN, headerBytes + packetBytes));
}

export interface UdpOptions extends EthOptions {
  src?: string;
  dst?: string;
  sport?: number;
  dport?: number;
  ttl?: number;
  /** UDP payload bytes (default 18, the generator header alone). */
  size?: number;
  /** Write a generator header (default true): generator id, sequence, send time. */
  netlab?: { gen: number; seq: number; sent: number } | false;
  /** Fill the UDP checksum (default true; false leaves 0, "none"). */
  checksum?: boolean;
}

/** A UDP datagram in IPv4 in Ethernet, by default 239.1.1.1:5000 with an 18-byte generator payload. */
export function udpFrame(o: UdpOptions = {}): Uint8Array {
  const src = ip(o.src ?? '10.0.0.1');
  const dst = ip(o.dst ?? '239.1.1.1');
  const size = o.size ?? 18;
  const vlans = o.vlans ?? [];
  const frame = frameOf(14 + 4 * vlans.length, 28 + size);
  const dstMac = o.dstMac ? mac(o.dstMac) : macFor(dst, PEER_MAC);
  const p = ethernet(frame, dstMac, mac(o.srcMac ?? HOST_MAC), ETH_P_IP, vlans);
  Ipv4View.write(frame, p, 0, 28 + size, 1, IP_DF, o.ttl ?? 1, IPPROTO_UDP, src, dst);
  UdpView.write(frame, p + 20, o.sport ?? 5000, o.dport ?? 5000, 8 + size);
  const netlab = o.netlab ?? { gen: 1, seq: 0, sent: 0 };
  if (netlab && size >= 18) PayloadView.write(frame, p + 28, netlab.gen, netlab.seq, netlab.sent);
  if (o.checksum ?? true) new UdpView(frame, p + 20).fillChecksum(src, dst);
  return frame;
}

export interface ArpOptions extends EthOptions {
  /** 1 request (default), 2 reply. */
  op?: number;
  sha?: string;
  spa?: string;
  /** Target MAC (zeros in a request). */
  tha?: string;
  tpa?: string;
}

/** An ARP request (broadcast) or reply (to the target's MAC). */
export function arpFrame(o: ArpOptions = {}): Uint8Array {
  const op = o.op ?? 1;
  const sha = o.sha ?? HOST_MAC;
  const tha = o.tha ?? (op === 1 ? '00:00:00:00:00:00' : PEER_MAC);
  const vlans = o.vlans ?? [];
  const frame = frameOf(14 + 4 * vlans.length, 28);
  const dst = o.dstMac ?? (op === 1 ? 'ff:ff:ff:ff:ff:ff' : tha);
  const p = ethernet(frame, mac(dst), mac(o.srcMac ?? sha), ETH_P_ARP, vlans);
  ArpView.write(
    frame,
    p,
    op,
    macKey(mac(sha)),
    ip(o.spa ?? '10.0.0.1'),
    macKey(mac(tha)),
    ip(o.tpa ?? '10.0.0.2'),
  );
  return frame;
}

export interface IcmpEchoOptions extends EthOptions {
  /** 8 request (default), 0 reply. */
  type?: number;
  id?: number;
  seq?: number;
  src?: string;
  dst?: string;
  ttl?: number;
  /** Bytes of data after the header (default 56, as ping sends). */
  dataLen?: number;
}

/** An ICMP echo request or reply with `dataLen` bytes of counting data. */
export function icmpEchoFrame(o: IcmpEchoOptions = {}): Uint8Array {
  const dataLen = o.dataLen ?? 56;
  const src = ip(o.src ?? '10.0.0.1');
  const dst = ip(o.dst ?? '10.0.0.2');
  const vlans = o.vlans ?? [];
  const frame = frameOf(14 + 4 * vlans.length, 28 + dataLen);
  const p = ethernet(
    frame,
    o.dstMac ? mac(o.dstMac) : macFor(dst, PEER_MAC),
    mac(o.srcMac ?? HOST_MAC),
    ETH_P_IP,
    vlans,
  );
  Ipv4View.write(frame, p, 0, 28 + dataLen, 7, IP_DF, o.ttl ?? 64, IPPROTO_ICMP, src, dst);
  IcmpView.writeEcho(frame, p + 20, o.type ?? 8, o.id ?? 1, o.seq ?? 1);
  for (let i = 0; i < dataLen; i++) frame[p + 28 + i] = i;
  new IcmpView(frame, p + 20, 8 + dataLen).fillChecksum();
  return frame;
}

export interface IcmpErrorOptions extends EthOptions {
  /** Default 3, destination unreachable. */
  type?: number;
  /** Default 3, port unreachable. */
  code?: number;
  /** The second header word (next-hop MTU, gateway, pointer). */
  rest?: number;
  src?: string;
  dst?: string;
}

/**
 * An ICMP error from `src` to `dst` quoting the IP header and first 8 bytes
 * of the packet carried by `offending` (an Ethernet frame, as built here).
 */
export function icmpErrorFrame(offending: Uint8Array, o: IcmpErrorOptions = {}): Uint8Array {
  const ihl = (offending[14] & 15) * 4;
  const quoted = offending.subarray(14, 14 + ihl + 8);
  const src = ip(o.src ?? '10.0.0.2');
  const dst = ip(o.dst ?? '10.0.0.1');
  const length = 28 + quoted.length;
  const frame = frameOf(14, length);
  const p = ethernet(
    frame,
    o.dstMac ? mac(o.dstMac) : mac(HOST_MAC),
    mac(o.srcMac ?? PEER_MAC),
    ETH_P_IP,
    o.vlans ?? [],
  );
  Ipv4View.write(frame, p, 0xc0, length, 9, 0, 64, IPPROTO_ICMP, src, dst);
  IcmpView.write(frame, p + 20, o.type ?? 3, o.code ?? 3, o.rest ?? 0);
  frame.set(quoted, p + 28);
  new IcmpView(frame, p + 20, 8 + quoted.length).fillChecksum();
  return frame;
}

export interface IgmpOptions extends EthOptions {
  src?: string;
  /** Default: the group (reports), 224.0.0.2 (leaves), 224.0.0.1 (general queries). */
  dst?: string;
}

/** An 8-byte IGMP v1/v2 message (query, report or leave) with Router Alert, as Linux sends it. */
export function igmpFrame(
  type: number,
  maxResp: number,
  group: string,
  o: IgmpOptions = {},
): Uint8Array {
  const g = ip(group);
  const dst = ip(o.dst ?? (type === 0x17 ? '224.0.0.2' : g === 0 ? '224.0.0.1' : group));
  const frame = frameOf(14, 24 + IGMP_HLEN);
  const p = ethernet(
    frame,
    o.dstMac ? mac(o.dstMac) : macFor(dst, PEER_MAC),
    mac(o.srcMac ?? HOST_MAC),
    ETH_P_IP,
    o.vlans ?? [],
  );
  Ipv4View.write(
    frame,
    p,
    0xc0,
    24 + IGMP_HLEN,
    0,
    IP_DF,
    1,
    IPPROTO_IGMP,
    ip(o.src ?? '10.0.0.1'),
    dst,
    true,
  );
  IgmpView.write(frame, p + 24, type, maxResp, g);
  return frame;
}

export interface IgmpV3Record {
  /** 1..6: MODE_IS_INCLUDE … BLOCK_OLD_SOURCES. */
  type: number;
  group: string;
  sources?: string[];
}

/** An IGMPv3 report to 224.0.0.22. */
export function igmpV3ReportFrame(records: IgmpV3Record[], o: IgmpOptions = {}): Uint8Array {
  const size = records.reduce(
    (n, r) => n + IGMPV3_RECORD_HLEN + 4 * (r.sources?.length ?? 0),
    IGMP_HLEN,
  );
  const dst = ip(o.dst ?? '224.0.0.22');
  const frame = frameOf(14, 24 + size);
  const p = ethernet(
    frame,
    macFor(dst, PEER_MAC),
    mac(o.srcMac ?? HOST_MAC),
    ETH_P_IP,
    o.vlans ?? [],
  );
  Ipv4View.write(
    frame,
    p,
    0xc0,
    24 + size,
    0,
    IP_DF,
    1,
    IPPROTO_IGMP,
    ip(o.src ?? '10.0.0.1'),
    dst,
    true,
  );
  IgmpView.writeV3Report(frame, p + 24, records.length);
  let at = p + 24 + IGMP_HLEN;
  for (const r of records) {
    const sources = r.sources ?? [];
    at = IgmpView.writeV3Record(frame, at, r.type, ip(r.group), sources.length);
    for (const s of sources) {
      new DataView(frame.buffer, frame.byteOffset).setUint32(at, ip(s));
      at += 4;
    }
  }
  new IgmpView(frame, p + 24, size).fillChecksum();
  return frame;
}

export interface IgmpV3QueryOptions extends IgmpOptions {
  maxRespCode?: number;
  sources?: string[];
  s?: boolean;
  qrv?: number;
  qqic?: number;
}

/** An IGMPv3 query: general (group 0.0.0.0), group-specific, or group-and-source-specific. */
export function igmpV3QueryFrame(group: string, o: IgmpV3QueryOptions = {}): Uint8Array {
  const sources = o.sources ?? [];
  const size = IGMPV3_QUERY_HLEN + 4 * sources.length;
  const g = ip(group);
  const dst = ip(o.dst ?? (g === 0 ? '224.0.0.1' : group));
  const frame = frameOf(14, 24 + size);
  const p = ethernet(
    frame,
    macFor(dst, PEER_MAC),
    mac(o.srcMac ?? HOST_MAC),
    ETH_P_IP,
    o.vlans ?? [],
  );
  Ipv4View.write(
    frame,
    p,
    0xc0,
    24 + size,
    0,
    IP_DF,
    1,
    IPPROTO_IGMP,
    ip(o.src ?? '10.0.0.1'),
    dst,
    true,
  );
  const q = p + 24;
  IgmpView.writeV3Query(
    frame,
    q,
    o.maxRespCode ?? 100,
    g,
    o.s ?? false,
    o.qrv ?? 2,
    o.qqic ?? 125,
    sources.length,
  );
  sources.forEach((s, i) =>
    new DataView(frame.buffer, frame.byteOffset).setUint32(q + 12 + 4 * i, ip(s)),
  );
  new IgmpView(frame, q, size).fillChecksum();
  return frame;
}

/** The frame with its FCS appended, as a capture on the segment stores it. */
export function withFcs(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(frame.length + 4);
  out.set(frame);
  const fcs = crc32(frame, 0, frame.length);
  out[frame.length] = fcs & 0xff;
  out[frame.length + 1] = (fcs >>> 8) & 0xff;
  out[frame.length + 2] = (fcs >>> 16) & 0xff;
  out[frame.length + 3] = fcs >>> 24;
  return out;
}

export interface SampleFrame {
  name: string;
  frame: Uint8Array;
  /** Length on the wire when the capture cut the frame short. */
  wireLength?: number;
}

/**
 * One frame of every kind the dissector knows, well-formed and not: the
 * lab's traffic, the ICMP errors, every IGMP message and v3 record type,
 * tags, fragments, frames with their FCS, and headers cut short or lying
 * about their lengths.
 */
export function sampleFrames(): SampleFrame[] {
  const out: SampleFrame[] = [];
  const add = (name: string, frame: Uint8Array, wireLength?: number) =>
    out.push(wireLength === undefined ? { name, frame } : { name, frame, wireLength });
  const set16 = (f: Uint8Array, at: number, v: number) => {
    setU16(f, at, v);
    return f;
  };
  add('udp multicast', udpFrame({ netlab: { gen: 3, seq: 7, sent: 1e6 } }));
  add('udp unicast 1000', udpFrame({ size: 1000, dst: '10.0.0.2', sport: 40000, dport: 9 }));
  add('udp empty', udpFrame({ size: 0 }));
  add('udp without generator header', udpFrame({ netlab: false, size: 30 }));
  add('udp without checksum', udpFrame({ checksum: false }));
  add('arp request', arpFrame());
  add(
    'arp reply',
    arpFrame({ op: 2, sha: PEER_MAC, spa: '10.0.0.2', tha: HOST_MAC, tpa: '10.0.0.1' }),
  );
  add('arp announcement', arpFrame({ spa: '10.0.0.1', tpa: '10.0.0.1' }));
  add('arp probe', arpFrame({ spa: '0.0.0.0', tpa: '10.0.0.5' }));
  add('ping request', icmpEchoFrame());
  add('ping reply', icmpEchoFrame({ type: 0, seq: 300, id: 0x1234, ttl: 63 }));
  add('icmp timestamp', icmpEchoFrame({ type: 13, dataLen: 12 }));
  add('icmp port unreachable', icmpErrorFrame(udpFrame({ dst: '10.0.0.2', dport: 6000 })));
  add(
    'icmp fragmentation needed',
    icmpErrorFrame(udpFrame({ dst: '10.0.0.2', size: 1400 }), { code: 4, rest: 1280 }),
  );
  add('icmp time exceeded', icmpErrorFrame(icmpEchoFrame(), { type: 11, code: 0 }));
  add('icmp redirect', icmpErrorFrame(icmpEchoFrame(), { type: 5, code: 1, rest: 0x0a0000fe }));
  add(
    'icmp parameter problem',
    icmpErrorFrame(udpFrame(), { type: 12, code: 0, rest: 0x14000000 }),
  );
  add('igmp v2 report', igmpFrame(0x16, 0, '239.1.1.1'));
  add('igmp v2 leave', igmpFrame(0x17, 0, '239.1.1.1'));
  add('igmp v2 general query', igmpFrame(0x11, 100, '0.0.0.0'));
  add('igmp v2 group query', igmpFrame(0x11, 10, '239.1.1.1'));
  add('igmp v1 query', igmpFrame(0x11, 0, '0.0.0.0'));
  add('igmp v1 report', igmpFrame(0x12, 0, '239.1.1.1'));
  add(
    'igmp v3 report',
    igmpV3ReportFrame([
      { type: 4, group: '239.1.1.1' },
      { type: 3, group: '239.1.1.2' },
      { type: 1, group: '239.1.1.3', sources: ['10.0.0.9'] },
      { type: 2, group: '239.1.1.4', sources: ['10.0.0.1', '10.0.0.2'] },
      { type: 5, group: '239.1.1.5', sources: ['10.0.0.5'] },
      { type: 6, group: '239.1.1.6', sources: ['10.0.0.6', '10.0.0.7'] },
    ]),
  );
  add('igmp v3 general query', igmpV3QueryFrame('0.0.0.0'));
  add(
    'igmp v3 source query',
    igmpV3QueryFrame('239.1.1.1', { sources: ['10.0.0.1', '10.0.0.2'], s: true }),
  );
  add('vlan udp', udpFrame({ vlans: [100] }));
  add('q-in-q arp', arpFrame({ vlans: [10, 20] }));
  {
    const f = udpFrame({ dst: '10.0.0.2', size: 100 });
    f[20] = 0x20; // MF
    new Ipv4View(f, 14).fillChecksum();
    add('ip first fragment', f);
  }
  {
    const f = udpFrame({ dst: '10.0.0.2', size: 100 });
    set16(f, 20, 185); // offset 1480
    new Ipv4View(f, 14).fillChecksum();
    add('ip later fragment', f);
  }
  {
    const f = udpFrame({ dst: '10.0.0.2' });
    f[23] = 253;
    add('ip unknown protocol', f);
  }
  add('ethertype 0x88b5', set16(udpFrame(), 12, 0x88b5));
  add('ieee 802.3', set16(udpFrame(), 12, 46));
  add('with fcs', withFcs(udpFrame()));
  add('arp with fcs', withFcs(arpFrame()));
  {
    const f = withFcs(udpFrame());
    f[63] ^= 1;
    add('bad fcs', f);
  }
  {
    const f = udpFrame();
    f[25] ^= 1;
    add('bad ip checksum', f);
  }
  {
    const f = udpFrame();
    f[41] ^= 1;
    add('bad udp checksum', f);
  }
  add('snapped udp', udpFrame({ size: 1000 }).subarray(0, 100), 1042);
  add('runt', udpFrame().subarray(0, 10));
  add('ethernet header only', udpFrame().subarray(0, 14));
  add('ip cut at 30 bytes', udpFrame().subarray(0, 30));
  add('udp header cut', udpFrame().subarray(0, 38));
  {
    const f = udpFrame();
    f[14] = 0x44;
    add('ip header length 16', f);
  }
  add('ip total length below header', set16(udpFrame(), 16, 10));
  add('ip total length beyond frame', set16(udpFrame(), 16, 100));
  add('udp length beyond ip', set16(udpFrame(), 38, 100));
  add('udp length below 8', set16(udpFrame(), 38, 4));
  {
    const f = udpFrame({ size: 10 });
    f.set([0x4e, 0x4c, 0x41, 0x42], 42);
    add('generator header cut', f);
  }
  {
    const f = arpFrame();
    f[18] = 8;
    add('arp hardware size 8', f);
  }
  add('arp cut', arpFrame().subarray(0, 30));
  {
    const f = igmpV3ReportFrame([{ type: 1, group: '239.0.0.1', sources: ['10.0.0.1'] }]);
    f[45] = 3; // three records announced, one present
    add('igmp v3 records cut', f);
  }
  {
    const f = igmpV3QueryFrame('239.1.1.1');
    set16(f, 16, 34); // a 10-byte query
    add('igmp 10-byte query', f);
  }
  return out;
}

/**
 * A copy of `frame` damaged the way fuzzing damages frames: bits flipped,
 * bytes overwritten with interesting values (lengths, EtherTypes, protocol
 * numbers), cut short, or grown with junk. `random` returns [0, 1).
 */
export function mutateFrame(frame: Uint8Array, random: () => number): Uint8Array {
  const int = (n: number) => Math.floor(random() * n);
  let f: Uint8Array = frame.slice();
  const edits = 1 + int(4);
  for (let e = 0; e < edits; e++) {
    const at = f.length > 0 ? int(f.length) : 0;
    switch (int(7)) {
      case 0:
        if (f.length > 0) f[at] ^= 1 << int(8);
        break;
      case 1:
        if (f.length > 0)
          f[at] = [0, 1, 2, 4, 5, 6, 8, 11, 12, 17, 0x11, 0x16, 0x22, 0x45, 0x46, 0x4f, 0x81, 0xff][
            int(18)
          ];
        break;
      case 2:
        if (f.length >= 2)
          setU16(
            f,
            Math.min(at, f.length - 2),
            [0, 4, 8, 20, 28, 46, 0x0800, 0x0806, 0x8100, 0xffff][int(10)],
          );
        break;
      case 3:
        f = f.subarray(0, int(f.length + 1));
        break;
      case 4: {
        const g = new Uint8Array(f.length + int(40));
        g.set(f);
        for (let i = f.length; i < g.length; i++) g[i] = int(256);
        f = g;
        break;
      }
      case 5:
        // Aim at the length and type fields the dissector trusts.
        if (f.length >= 40) {
          const field = [12, 16, 17, 23, 38, 39, 42, 44, 45][int(9)];
          if (field < f.length) f[field] = int(256);
        }
        break;
      default:
        if (f.length > 0) f[at] = int(256);
    }
  }
  return f;
}
