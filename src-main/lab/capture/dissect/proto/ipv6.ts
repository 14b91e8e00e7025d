import { getU16 } from '../../../wire/bytes';
import { formatIpv6 } from '../../../wire/ipv6-addr';
import { field } from '../field-types';
import { L_DATA, L_DSTOPTS, L_FRAGHDR, L_HOPOPTS, L_IP6, L_ROUTING } from '../kinds';
import type { FrameLayers } from '../layers';
import { bitPrefix, hex, macName } from '../names';
import type { Protocol, Summary } from '../protocol';
import { bits, each, protocol, u16, u8, type Collect } from '../readers';
import type { Field, Tree } from '../tree';
import { parseIcmpv6 } from './icmpv6';
import { IP_PROTO_NAMES } from './ipv4';
import { dscpName, ecnName } from './ipv4-tree';
import {
  IPV6_EXT_OFF,
  IPV6_FRAG_HLEN,
  IPV6_FRAG_OFF,
  IPV6_HLEN,
  IPV6_OFF,
  NEXTHDR_DEST,
  NEXTHDR_FRAGMENT,
  NEXTHDR_HOP,
  NEXTHDR_ICMP,
  NEXTHDR_ROUTING,
  NEXTHDR_TCP,
  NEXTHDR_UDP,
} from './ipv6-offsets';
import { parseTcp } from './tcp';
import { parseUdp } from './udp';

/**
 * IPv6 (RFC 8200): the fixed header, and the extension headers it chains (`ipv6-ext.ts`:
 * hop-by-hop and destination options, routing, fragment) before UDP, TCP or ICMPv6. A
 * fragment's bytes are data (no reassembly, as for IPv4).
 */

export const IPV6_ERR_SHORT = 'shorter than an IPv6 header (40 bytes)';
export const IPV6_ERR_VERSION = 'version is not 6';
export const IPV6_ERR_PLEN = 'payload length beyond the bytes received';
export const IPV6_ERR_EXT = 'extension header runs past the payload';

const fields = [
  field('ipv6', 'protocol', 'Internet Protocol Version 6'),
  field('ipv6.version', 'uint', 'Version'),
  field('ipv6.tclass', 'uint', 'Traffic Class'),
  field('ipv6.tclass.dscp', 'uint', 'Differentiated Services Codepoint'),
  field('ipv6.tclass.ecn', 'uint', 'Explicit Congestion Notification'),
  field('ipv6.flow', 'uint', 'Flow Label'),
  field('ipv6.plen', 'uint', 'Payload Length'),
  field('ipv6.nxt', 'uint', 'Next Header', IP_PROTO_NAMES),
  field('ipv6.hlim', 'uint', 'Hop Limit'),
  field('ipv6.src', 'ipv6', 'Source Address'),
  field('ipv6.dst', 'ipv6', 'Destination Address'),
  field('ipv6.addr', 'ipv6', 'Source or Destination Address'),
];

const EXT_KIND: Readonly<Record<number, number>> = {
  [NEXTHDR_HOP]: L_HOPOPTS,
  [NEXTHDR_ROUTING]: L_ROUTING,
  [NEXTHDR_FRAGMENT]: L_FRAGHDR,
  [NEXTHDR_DEST]: L_DSTOPTS,
};

// ---- where the layers lie

export function parseIpv6(L: FrameLayers, p: number, stop: number, quoted: number): void {
  const b = L.bytes;
  const i = L.push(L_IP6, p, stop, quoted);
  if (p + IPV6_HLEN > stop) {
    // An ICMPv6 error may quote less; a snap length may cut it.
    if (quoted === 0) L.cut(i, IPV6_ERR_SHORT);
    else L.short(p + IPV6_HLEN);
    return;
  }
  if (b[p] >> 4 !== 6) {
    L.markBad(i, IPV6_ERR_VERSION);
    return;
  }
  let end = p + IPV6_HLEN + getU16(b, p + IPV6_OFF.payloadLen);
  if (end > stop) {
    if (quoted === 0 && !L.snapped) L.markBad(i, IPV6_ERR_PLEN);
    end = stop;
  }
  if (quoted === 0) L.packetEnd = end;
  let next = b[p + IPV6_OFF.nexthdr];
  let q = p + IPV6_HLEN;
  for (let kind = EXT_KIND[next]; kind !== undefined && L.room(3); kind = EXT_KIND[next]) {
    const k = L.push(kind, q, end, quoted);
    if (q + 2 > end) {
      L.short(q + 2);
      if (quoted === 0 && !L.snapped) L.markBad(k, IPV6_ERR_EXT);
      return;
    }
    const len = kind === L_FRAGHDR ? IPV6_FRAG_HLEN : (b[q + IPV6_EXT_OFF.hdrlen] + 1) * 8;
    L.stop[k] = Math.min(q + len, end);
    if (q + len > end) {
      L.short(q + len);
      if (quoted === 0 && !L.snapped) L.markBad(k, IPV6_ERR_EXT);
      return;
    }
    next = b[q + IPV6_EXT_OFF.nexthdr];
    if (kind === L_FRAGHDR) {
      const word = getU16(b, q + IPV6_FRAG_OFF.fragOff);
      q += len;
      if ((word & 0xfff9) !== 0) {
        // Not the whole datagram: its bytes are data (the lab does not reassemble).
        if (q < end) L.push(L_DATA, q, end, quoted);
        return;
      }
      continue;
    }
    q += len;
  }
  if (next === NEXTHDR_UDP) parseUdp(L, q, end, quoted);
  else if (next === NEXTHDR_TCP) parseTcp(L, q, end, quoted);
  else if (next === NEXTHDR_ICMP) parseIcmpv6(L, q, end, quoted);
  else if (q < end) L.push(L_DATA, q, end, quoted);
}

/** Where the bytes IPv6 layer i carries end: its payload length, within the captured bytes. */
function dataEnd(L: FrameLayers, i: number, at: number, stop: number): number {
  if (at + IPV6_OFF.payloadLen + 2 > stop) return stop;
  return Math.min(at + IPV6_HLEN + getU16(L.bytes, at + IPV6_OFF.payloadLen), stop);
}

// ---- the tree

const O = IPV6_OFF;

function tree(t: Tree, i: number): Field {
  const b = t.bytes;
  const L = t.L;
  const at = L.start[i];
  const hasAddrs = t.fits(at + O.daddr, 16);
  let label = 'Internet Protocol Version 6';
  if (hasAddrs)
    label += `, Src: ${formatIpv6(b, at + O.saddr)}, Dst: ${formatIpv6(b, at + O.daddr)}`;
  const node = t.proto('ipv6', label, at, at + IPV6_HLEN, dataEnd(L, i, at, t.stop));
  if (!t.fits(at, 1)) return node;
  const v = b[at] >> 4;
  const vText = `${bitPrefix(b[at], 0xf0, 8)}Version: ${v}`;
  t.add(node, 'ipv6.version', at, 1, vText, String(v), v);
  t.hidden(node, 'ip.version', at, 1, vText, String(v), v);
  if (t.fits(at, 4)) {
    const word = ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
    const tc = (word >>> 20) & 0xff;
    const dscp = tc >> 2;
    const ecn = tc & 3;
    const tcText = `${bitPrefix(word, 0x0ff00000, 32)}Traffic Class: ${hex(tc, 2)} (DSCP: ${dscpName(dscp, true)}, ECN: ${ecnName(ecn, true)})`;
    const tcf = t.add(node, 'ipv6.tclass', at, 4, tcText, hex(tc, 2), tc)!;
    const dText = `${bitPrefix(word, 0x0fc00000, 32)}Differentiated Services Codepoint: ${dscpName(dscp, false)} (${dscp})`;
    t.add(tcf, 'ipv6.tclass.dscp', at, 4, dText, String(dscp), dscp);
    const eText = `${bitPrefix(word, 0x00300000, 32)}Explicit Congestion Notification: ${ecnName(ecn, false)} (${ecn})`;
    t.add(tcf, 'ipv6.tclass.ecn', at, 4, eText, String(ecn), ecn);
    const flow = word & 0xfffff;
    const fText = `${bitPrefix(word, 0x000fffff, 32)}Flow Label: ${hex(flow, 5)}`;
    t.add(node, 'ipv6.flow', at, 4, fText, hex(flow, 5), flow);
  }
  if (t.fits(at + O.payloadLen, 2)) {
    const n = getU16(b, at + O.payloadLen);
    t.add(node, 'ipv6.plen', at + O.payloadLen, 2, `Payload Length: ${n}`, String(n), n);
  }
  if (t.fits(at + O.nexthdr, 1)) {
    const nx = b[at + O.nexthdr];
    const text = `Next Header: ${IP_PROTO_NAMES[nx] ?? 'Unknown'} (${nx})`;
    t.add(node, 'ipv6.nxt', at + O.nexthdr, 1, text, String(nx), nx);
  }
  if (t.fits(at + O.hopLimit, 1)) {
    const h = b[at + O.hopLimit];
    t.add(node, 'ipv6.hlim', at + O.hopLimit, 1, `Hop Limit: ${h}`, String(h), h);
  }
  for (const [name, title, p] of [
    ['ipv6.src', 'Source Address', at + O.saddr],
    ['ipv6.dst', 'Destination Address', at + O.daddr],
  ] as const) {
    if (!t.fits(p, 16)) continue;
    const text = formatIpv6(b, p);
    t.add(node, name, p, 16, `${title}: ${text}`, text);
    const f = t.add(node, 'ipv6.addr', p, 16, `Source or Destination Address: ${text}`, text);
    if (f) f.hidden = true;
  }
  return node;
}

// ---- the filter's readers

const addr = (rel: number): Collect =>
  each(L_IP6, (_L, _i, at, stop, V) => {
    if (at + rel + 16 <= stop) V.push(0, at + rel, 16);
  });

const word = (b: Uint8Array, p: number): number =>
  ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;

const readers: Record<string, Collect> = {
  ipv6: protocol(L_IP6, () => IPV6_HLEN, dataEnd),
  'ipv6.version': bits(L_IP6, 0, 1, 1, (b, p) => b[p] >> 4),
  'ipv6.tclass': bits(L_IP6, 0, 4, 4, (b, p) => (word(b, p) >>> 20) & 0xff),
  'ipv6.tclass.dscp': bits(L_IP6, 0, 4, 4, (b, p) => (word(b, p) >>> 22) & 0x3f),
  'ipv6.tclass.ecn': bits(L_IP6, 0, 4, 4, (b, p) => (word(b, p) >>> 20) & 3),
  'ipv6.flow': bits(L_IP6, 0, 4, 4, (b, p) => word(b, p) & 0xfffff),
  'ipv6.plen': u16(L_IP6, O.payloadLen),
  'ipv6.nxt': u8(L_IP6, O.nexthdr),
  'ipv6.hlim': u8(L_IP6, O.hopLimit),
  'ipv6.src': addr(O.saddr),
  'ipv6.dst': addr(O.daddr),
  'ipv6.addr': each(L_IP6, (_L, _i, at, stop, V) => {
    if (at + O.saddr + 16 <= stop) V.push(0, at + O.saddr, 16);
    if (at + O.daddr + 16 <= stop) V.push(0, at + O.daddr, 16);
  }),
};

// ---- the columns

/** The address columns as far as the header was read: each address, or else the MAC. */
function addresses(L: FrameLayers, i: number, out: Summary): void {
  const at = L.start[i];
  const sound = L.bad[i] !== IPV6_ERR_VERSION;
  if (sound && at + O.saddr + 16 <= L.stop[i]) out.source = formatIpv6(L.bytes, at + O.saddr);
  else if (L.len >= 12) out.source = macName(L.bytes, L.base + 6);
  if (sound && at + O.daddr + 16 <= L.stop[i]) out.destination = formatIpv6(L.bytes, at + O.daddr);
  else if (L.len >= 6) out.destination = macName(L.bytes, L.base);
}

function info(L: FrameLayers, i: number, out: Summary): number {
  out.protocol = 'IPv6';
  const at = L.start[i];
  if (at + IPV6_HLEN <= L.stop[i]) {
    const nx = L.bytes[at + O.nexthdr];
    out.info = `${IP_PROTO_NAMES[nx] ?? 'Unknown'} (${nx})`;
  }
  return 0;
}

export const IPV6: Protocol = {
  name: 'ipv6',
  kind: L_IP6,
  fields,
  readers,
  tree,
  info,
  addresses,
};
