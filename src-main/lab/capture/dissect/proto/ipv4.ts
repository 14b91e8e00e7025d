import { getU16, getU32 } from '../../../wire/bytes';
import { verifyInternetChecksum } from '../../../wire/checksum';
import {
  IPPROTO_ICMP,
  IPPROTO_IGMP,
  IPPROTO_UDP,
  IPV4_ERR_IHL,
  IPV4_ERR_TOTAL_LENGTH,
  IPV4_ERR_TRUNCATED,
  IPV4_ERR_VERSION,
  IPV4_HLEN,
  IPV4_OFF,
  ipv4RouteDestination,
} from '../../../wire/ipv4';
import {
  CHECKSUM_BAD,
  CHECKSUM_GOOD,
  CHECKSUM_STATUS_NAMES,
  CHECKSUM_UNVERIFIED,
  field,
} from '../field-types';
import { L_DATA, L_IP, L_IP6 } from '../kinds';
import type { Values } from '../../filter/values';
import type { FrameLayers } from '../layers';
import { hex, macName } from '../names';
import { formatIpv4 } from '../../../wire/ipv4-addr';
import type { Protocol, Summary } from '../protocol';
import { bits, each, protocol, u16, u32, u8, type Collect } from '../readers';
import { parseIcmp } from './icmp';
import { parseIgmp } from './igmp';
import { ipv4Tree } from './ipv4-tree';
import { parseTcp } from './tcp';
import { parseUdp } from './udp';

const IPPROTO_TCP = 6;

/**
 * IPv4: the header, its options by type and length (`ip.opt.type`, `ip.opt.len`), and source
 * routes (`ip.dst` is the route's last hop and `ip.cur_rt` the header's, as in Wireshark).
 * Fragments are not reassembled: a fragment's bytes are data. Offsets: the wire view's IPV4_OFF.
 */

export const IP_PROTO_NAMES: Readonly<Record<number, string>> = {
  0: 'IPv6 Hop-by-Hop Option',
  1: 'ICMP',
  2: 'IGMP',
  4: 'IPIP',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6',
  47: 'GRE',
  50: 'ESP',
  51: 'AH',
  58: 'IPv6 ICMP',
  89: 'OSPF IGP',
  103: 'PIM',
  112: 'VRRP',
  132: 'SCTP',
};

const fields = [
  field('ip', 'protocol', 'Internet Protocol Version 4'),
  field('ip.version', 'uint', 'Version'),
  field('ip.hdr_len', 'uint', 'Header Length (bytes)'),
  field('ip.dsfield', 'uint', 'Differentiated Services Field'),
  field('ip.dsfield.dscp', 'uint', 'Differentiated Services Codepoint'),
  field('ip.dsfield.ecn', 'uint', 'Explicit Congestion Notification'),
  field('ip.len', 'uint', 'Total Length'),
  field('ip.id', 'uint', 'Identification'),
  field('ip.flags', 'uint', 'Flags'),
  field('ip.flags.rb', 'bool', 'Reserved bit'),
  field('ip.flags.df', 'bool', "Don't fragment"),
  field('ip.flags.mf', 'bool', 'More fragments'),
  field('ip.frag_offset', 'uint', 'Fragment Offset (8-byte units)'),
  field('ip.ttl', 'uint', 'Time to Live'),
  field('ip.proto', 'uint', 'Protocol', IP_PROTO_NAMES),
  field('ip.checksum', 'uint', 'Header Checksum'),
  field('ip.checksum.status', 'uint', 'Header checksum status', CHECKSUM_STATUS_NAMES),
  field('ip.src', 'ipv4', 'Source Address'),
  field('ip.dst', 'ipv4', 'Destination Address'),
  field('ip.addr', 'ipv4', 'Source or Destination Address'),
  field('ip.cur_rt', 'ipv4', 'Current Route (the header destination of a source-routed datagram)'),
  field('ip.opt.type', 'uint', 'Option type (each option)'),
  field('ip.opt.len', 'uint', 'Option length (each option that has one)'),
];

// ---- where the layers lie

/** Finds an IPv4 header at `p` (`quoted` inside an ICMP error) and what it carries. */
export function parseIpv4(L: FrameLayers, p: number, stop: number, quoted: number): void {
  const ip = L.ip;
  const i = L.push(L_IP, p, stop, quoted);
  const why = ip.at(L.bytes, p, stop - p).check();
  // An ICMP error quotes only the start of the datagram, and a snap length
  // cuts frames short: neither is a malformed packet.
  const cut = why === IPV4_ERR_TRUNCATED;
  // Wireshark reads the whole header (a quoted one too): past the snap length, it is limited,
  // and nothing after it is read.
  const headerEnd = p + Math.max(IPV4_HLEN, (L.bytes[p] & 15) << 2);
  if (L.snapped && headerEnd > L.end) {
    L.limited = true;
    return;
  }
  if (why !== '' && !(cut && (quoted === 1 || L.snapped))) L.markBad(i, why);
  if (why !== '' && !cut) return;
  const packetEnd = Math.min(p + ip.totalLength, stop);
  if (quoted === 0) L.packetEnd = packetEnd;
  const q = p + ip.headerLength;
  if (ip.isFragment) {
    // Only a whole datagram can be dissected; a fragment's bytes are data (as Wireshark shows
    // a fragment it could not reassemble: the lab does not reassemble).
    if (q < packetEnd) L.push(L_DATA, q, packetEnd, quoted);
    return;
  }
  const proto = ip.protocol;
  if (proto === IPPROTO_UDP) parseUdp(L, q, packetEnd, quoted);
  else if (proto === IPPROTO_TCP) parseTcp(L, q, packetEnd, quoted);
  else if (proto === IPPROTO_ICMP) parseIcmp(L, q, packetEnd, quoted);
  else if (proto === IPPROTO_IGMP && quoted === 0) parseIgmp(L, q, packetEnd);
  else if (q < packetEnd) L.push(L_DATA, q, packetEnd, quoted);
}

/**
 * Offset of IP layer i's destination as Wireshark's ip.dst gives it: the last hop of a source
 * route (LSRR/SSRR), else the header's (see ipv4RouteDestination). The header must be
 * captured up to its destination.
 */
export function ipv4Destination(L: FrameLayers, i: number): number {
  const at = L.start[i];
  const hl = (L.bytes[at] & 15) << 2;
  const route = hl > IPV4_HLEN && at + hl <= L.stop[i] ? ipv4RouteDestination(L.bytes, at, hl) : -1;
  return route >= 0 ? route : at + IPV4_OFF.daddr;
}

/** The header checksum's status: verified when the whole header is here. */
export function ipv4ChecksumStatus(b: Uint8Array, at: number, stop: number): number {
  const hl = (b[at] & 15) << 2;
  if (hl < IPV4_HLEN || at + hl > stop) return CHECKSUM_UNVERIFIED;
  return verifyInternetChecksum(b, at, hl) ? CHECKSUM_GOOD : CHECKSUM_BAD;
}

/** Where the bytes IP layer i carries end: its total length, within the captured bytes. */
export function ipv4DataEnd(L: FrameLayers, i: number, at: number, stop: number): number {
  if (L.bad[i] !== '') return stop;
  const total = at + IPV4_OFF.totLen + 2 <= stop ? getU16(L.bytes, at + IPV4_OFF.totLen) : 0;
  return Math.min(at + total, stop);
}

// ---- the filter's readers

const flag = (fn: (b: number) => number): Collect =>
  bits(L_IP, IPV4_OFF.fragOff, 1, 2, (b, p) => fn(b[p]));

const dst = (L: FrameLayers, i: number, at: number, stop: number, V: Values): void => {
  if (at + IPV4_HLEN > stop) return;
  const d = ipv4Destination(L, i);
  V.push(getU32(L.bytes, d), d, 4);
};

/** Each IP option's type byte, or its length byte (`len`), walking the options as the tree does. */
function options(len: boolean): Collect {
  return each(L_IP, (L, _i, at, stop, V) => {
    const b = L.bytes;
    const end = at + ((b[at] & 15) << 2);
    if (at >= stop || end <= at + IPV4_HLEN || end > stop) return;
    let p = at + IPV4_HLEN;
    while (p < end) {
      const type = b[p];
      if (!len) V.push(type, p, 1);
      if (type === 0) return;
      if (type === 1) {
        p++;
        continue;
      }
      if (p + 1 >= end) return;
      const n = b[p + 1];
      if (len) V.push(n, p + 1, 1);
      if (n < 2) return;
      p += n;
    }
  });
}

const O = IPV4_OFF;
const readers: Record<string, Collect> = {
  ip: protocol(L_IP, (L, _i, at) => Math.max((L.bytes[at] & 15) << 2, IPV4_HLEN), ipv4DataEnd),
  // IPv6 shows its version as ip.version too (hidden), as Wireshark does: both, in frame order.
  'ip.version': (f, V) => {
    const L = f.L;
    for (let i = 0; i < L.n; i++) {
      const k = L.kind[i];
      if ((k === L_IP || k === L_IP6) && L.start[i] < L.stop[i])
        V.push(L.bytes[L.start[i]] >> 4, L.start[i], 1);
    }
  },
  'ip.hdr_len': bits(L_IP, O.vihl, 1, 1, (b, p) => (b[p] & 15) << 2),
  'ip.dsfield': u8(L_IP, O.tos),
  'ip.dsfield.dscp': bits(L_IP, O.tos, 1, 1, (b, p) => b[p] >> 2),
  'ip.dsfield.ecn': bits(L_IP, O.tos, 1, 1, (b, p) => b[p] & 3),
  'ip.len': u16(L_IP, O.totLen),
  'ip.id': u16(L_IP, O.id),
  'ip.flags': flag((v) => v >> 5),
  'ip.flags.rb': flag((v) => v >> 7),
  'ip.flags.df': flag((v) => (v >> 6) & 1),
  'ip.flags.mf': flag((v) => (v >> 5) & 1),
  'ip.frag_offset': bits(L_IP, O.fragOff, 2, 2, (b, p) => getU16(b, p) & 0x1fff),
  'ip.ttl': u8(L_IP, O.ttl),
  'ip.proto': u8(L_IP, O.protocol),
  'ip.checksum': u16(L_IP, O.check),
  'ip.checksum.status': each(L_IP, (L, _i, at, stop, V) => {
    if (at + O.check + 2 <= stop) V.push(ipv4ChecksumStatus(L.bytes, at, stop), at + O.check, 0);
  }),
  'ip.src': u32(L_IP, O.saddr),
  'ip.dst': each(L_IP, dst),
  'ip.cur_rt': each(L_IP, (L, i, at, stop, V) => {
    if (at + IPV4_HLEN <= stop && ipv4Destination(L, i) !== at + O.daddr)
      V.push(getU32(L.bytes, at + O.daddr), at + O.daddr, 4);
  }),
  'ip.addr': each(L_IP, (L, i, at, stop, V) => {
    if (at + O.saddr + 4 <= stop) V.push(getU32(L.bytes, at + O.saddr), at + O.saddr, 4);
    dst(L, i, at, stop, V);
  }),
  'ip.opt.type': options(false),
  'ip.opt.len': options(true),
};

// ---- the columns

/** Wireshark fills the address columns as it reads the header, unless it is bogus from its first bytes. */
export function ipv4Bogus(L: FrameLayers, i: number): boolean {
  const why = L.bad[i];
  return why === IPV4_ERR_VERSION || why === IPV4_ERR_IHL || why === IPV4_ERR_TOTAL_LENGTH;
}

/** The Source and Destination columns from IP layer i, as far as its header was read. */
function addresses(L: FrameLayers, i: number, out: Summary): void {
  const b = L.bytes;
  const at = L.start[i];
  const bogus = ipv4Bogus(L, i);
  if (!bogus && at + O.saddr + 4 <= L.stop[i]) out.source = formatIpv4(getU32(b, at + O.saddr));
  else if (L.len >= 12) out.source = macName(b, L.base + 6);
  // The destination only once the options are read (a source route changes it).
  const end = at + Math.max(IPV4_HLEN, (b[at] & 15) << 2);
  if (!bogus && end <= L.stop[i]) out.destination = formatIpv4(getU32(b, ipv4Destination(L, i)));
  else if (L.len >= 6) out.destination = macName(b, L.base);
}

function info(L: FrameLayers, i: number, out: Summary): number {
  const b = L.bytes;
  const p = L.start[i];
  out.protocol = 'IPv4';
  if (L.bad[i] === IPV4_ERR_IHL) {
    out.info = `Bogus IP header length (${(b[p] & 15) * 4}, must be at least 20)`;
    return 1;
  }
  if (L.bad[i] === IPV4_ERR_TOTAL_LENGTH) {
    const len = getU16(b, p + O.totLen);
    out.info = `Bogus IP length (${len}, less than header length ${(b[p] & 15) * 4})`;
    return 1;
  }
  if (p + Math.max(IPV4_HLEN, (b[p] & 15) << 2) > L.stop[i]) return 0;
  const proto = b[p + O.protocol];
  const name = IP_PROTO_NAMES[proto] ?? 'Unknown';
  const word = getU16(b, p + O.fragOff);
  if ((word & 0x3fff) !== 0) {
    const off = (word & 0x1fff) << 3;
    const id = hex(getU16(b, p + O.id), 4).slice(2);
    out.info = `Fragmented IP protocol (proto=${name} ${proto}, off=${off}, ID=${id})`;
  } else out.info = `${name} (${proto})`;
  return 0;
}

export const IPV4: Protocol = {
  name: 'ip',
  kind: L_IP,
  fields,
  readers,
  tree: ipv4Tree,
  info,
  addresses,
};
