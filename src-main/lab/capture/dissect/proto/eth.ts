import { ARP_FIXED_LEN, arpOffsets } from '../../../wire/arp';
import { getU16, getU32 } from '../../../wire/bytes';
import { crc32 } from '../../../wire/crc32';
import {
  ETH_DATA_LEN,
  ETH_HLEN,
  ETH_OFF,
  ETH_P_8021AD,
  ETH_P_8021Q,
  ETH_P_ARP,
  ETH_P_IP,
  ETH_P_RARP,
} from '../../../wire/ethernet';
import { formatMac, macKey } from '../../../wire/mac';
import { CHECKSUM_BAD, CHECKSUM_GOOD, CHECKSUM_STATUS_NAMES, field } from '../field-types';
import { L_ARP, L_DATA, L_ETH, L_SVLAN, L_VLAN } from '../kinds';
import type { FrameLayers } from '../layers';
import { bitPrefix, hex, hexBytes, macWithName } from '../names';
import type { Protocol, Summary } from '../protocol';
import { both, type Collect } from '../readers';
import type { Field, Tree } from '../tree';
import { parseIpv4 } from './ipv4';
import { parseIpv6 } from './ipv6';

/** IPv6's EtherType (Linux's ETH_P_IPV6); the lab's kernel speaks no IPv6. */
const ETH_P_IPV6 = 0x86dd;

/** Ethernet II and IEEE 802.3: the addresses, the type or length, and what follows the packet. */

export const ETH_ERR_SHORT = 'shorter than an Ethernet header (14 bytes)';
export const VLAN_ERR_SHORT = 'truncated 802.1Q tag (4 bytes)';
/** EtherType values below this are an IEEE 802.3 length. */
export const ETH_P_802_3_MIN = 0x0600;
/** 802.1Q tags read in a row; a deeper stack's rest is shown as data. */
export const MAX_VLAN_TAGS = 8;

export const ETHERTYPE_NAMES: Readonly<Record<number, string>> = {
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x8100: '802.1Q Virtual LAN',
  0x86dd: 'IPv6',
  0x88a8: '802.1ad Provider Bridge (Q-in-Q)',
  0x88cc: '802.1 Link Layer Discovery Protocol (LLDP)',
  0x8035: 'RARP',
  0x88b5: 'Local Experimental Ethertype 1',
  0x88b6: 'Local Experimental Ethertype 2',
};

/** `IPv4 (0x0800)`, as Wireshark words a type field. */
export function etherTypeText(type: number): string {
  return `${ETHERTYPE_NAMES[type] ?? 'Unknown'} (${hex(type, 4)})`;
}

const fields = [
  field('eth', 'protocol', 'Ethernet'),
  field('eth.dst', 'ether', 'Destination'),
  field('eth.src', 'ether', 'Source'),
  field('eth.addr', 'ether', 'Source or Destination Address'),
  field('eth.dst.lg', 'bool', 'Destination LG bit'),
  field('eth.dst.ig', 'bool', 'Destination IG bit'),
  field('eth.src.lg', 'bool', 'Source LG bit'),
  field('eth.src.ig', 'bool', 'Source IG bit'),
  field('eth.lg', 'bool', 'LG bit'),
  field('eth.ig', 'bool', 'IG bit'),
  field('eth.type', 'uint', 'Type', ETHERTYPE_NAMES),
  field('eth.len', 'uint', 'Length (IEEE 802.3)'),
  field('eth.invalid_lentype', 'uint', 'Invalid length/type (1501 to 1535)'),
  field('eth.padding', 'bytes', 'Padding'),
  field('eth.trailer', 'bytes', 'Trailer'),
  field('eth.fcs', 'uint', 'Frame check sequence'),
  field('eth.fcs.status', 'uint', 'FCS status', CHECKSUM_STATUS_NAMES),
];

// ---- where the layers lie

/** Finds the Ethernet header, its tags, and hands the packet to the module of its type. */
export function parseEthernet(L: FrameLayers, linkOnly: boolean): void {
  const { bytes, base, end } = L;
  const e = L.push(L_ETH, base, end, 0);
  if (L.len < ETH_HLEN) {
    L.markBad(e, ETH_ERR_SHORT);
    return;
  }
  let type = getU16(bytes, base + ETH_OFF.proto);
  let p = base + ETH_HLEN;
  for (; type === ETH_P_8021Q || type === ETH_P_8021AD; L.tags++) {
    if (L.tags === MAX_VLAN_TAGS) {
      L.etherType = type;
      L.push(L_DATA, p, end, 0);
      return;
    }
    const v = L.push(type === ETH_P_8021Q ? L_VLAN : L_SVLAN, p, end, 0);
    if (p + 4 > end) {
      L.markBad(v, VLAN_ERR_SHORT);
      return;
    }
    type = getU16(bytes, p + 2);
    p += 4;
  }
  L.etherType = type;
  L.badType = type > ETH_DATA_LEN && type < ETH_P_802_3_MIN;
  L.is8023 = type <= ETH_DATA_LEN;
  if (linkOnly) return;
  if (L.badType) {
    if (p < end) L.push(L_DATA, p, end, 0);
    return;
  }
  if (type < ETH_P_802_3_MIN) {
    const stop = Math.min(p + type, end);
    L.packetEnd = stop;
    if (stop > p) L.push(L_DATA, p, stop, 0);
    return;
  }
  if (type === ETH_P_ARP || type === ETH_P_RARP) {
    // Any address sizes, as Wireshark reads ARP (the kernel takes only Ethernet/IPv4's).
    const a = L.push(L_ARP, p, end, 0);
    const len =
      end - p < ARP_FIXED_LEN ? ARP_FIXED_LEN : arpOffsets(bytes[p + 4], bytes[p + 5]).len;
    L.packetEnd = Math.min(p + len, end);
    if (p + len > end) L.cut(a, `truncated ARP packet: ${len} bytes, ${end - p} captured`);
    return;
  }
  if (type === ETH_P_IP) {
    parseIpv4(L, p, end, 0);
    return;
  }
  if (type === ETH_P_IPV6) {
    parseIpv6(L, p, end, 0);
    return;
  }
  if (p < end) L.push(L_DATA, p, end, 0);
}

// ---- the tree

function macField(t: Tree, parent: Field, name: string, title: string, at: number): void {
  const b = t.bytes;
  if (!t.fits(at, 6)) return;
  const text = formatMac(b, at);
  const key = macKey(b, at);
  const f = t.add(parent, name, at, 6, `${title}: ${macWithName(b, at)}`, text, key)!;
  t.add(f, 'eth.addr', at, 6, `Address: ${macWithName(b, at)}`, text, key);
  const word = (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];
  const lg = (b[at] >> 1) & 1;
  const ig = b[at] & 1;
  const lgText = `${bitPrefix(word, 0x020000, 24)}LG bit: ${
    lg
      ? 'Locally administered address (this is NOT the factory default)'
      : 'Globally unique address (factory default)'
  }`;
  const igText = `${bitPrefix(word, 0x010000, 24)}IG bit: ${
    ig ? 'Group address (multicast/broadcast)' : 'Individual address (unicast)'
  }`;
  t.add(f, `${name}.lg`, at, 3, lgText, String(lg), lg);
  t.hidden(f, 'eth.lg', at, 3, lgText, String(lg), lg);
  t.add(f, `${name}.ig`, at, 3, igText, String(ig), ig);
  t.hidden(f, 'eth.ig', at, 3, igText, String(ig), ig);
}

function tree(t: Tree, i: number): Field {
  const b = t.bytes;
  const L = t.L;
  const at = L.start[i];
  const full = t.fits(at, ETH_HLEN);
  let label: string;
  const kind = L.badType ? 'Ethernet Unknown' : 'Ethernet II';
  if (L.is8023) label = 'IEEE 802.3 Ethernet';
  else if (full)
    label = `${kind}, Src: ${macWithName(b, at + ETH_OFF.source)}, Dst: ${macWithName(b, at)}`;
  else label = kind;
  const node = t.proto('eth', label, at, at + ETH_HLEN, L.end);
  macField(t, node, 'eth.dst', 'Destination', at + ETH_OFF.dest);
  macField(t, node, 'eth.src', 'Source', at + ETH_OFF.source);
  if (full) {
    const p = at + ETH_OFF.proto;
    const type = getU16(b, p);
    if (L.badType && L.tags === 0) {
      const text = `Invalid length/type: ${hex(type, 4)} (${type})`;
      t.add(node, 'eth.invalid_lentype', p, 2, text, hex(type, 4), type);
    } else if (L.is8023 && L.tags === 0)
      t.add(node, 'eth.len', p, 2, `Length: ${type}`, String(type), type);
    else t.add(node, 'eth.type', p, 2, `Type: ${etherTypeText(type)}`, hex(type, 4), type);
  }
  return node;
}

/** The frame's FCS as the MAC sent it: its CRC least significant byte first. */
function fcsGood(L: FrameLayers, fcsAt: number): boolean {
  const b = L.bytes;
  const sent = ((b[fcsAt + 3] << 24) | (b[fcsAt + 2] << 16) | (b[fcsAt + 1] << 8) | b[fcsAt]) >>> 0;
  return crc32(b, L.base, fcsAt) === sent;
}

/** Padding, trailer and FCS after the outermost packet, under the Ethernet node. */
export function ethTail(t: Tree, eth: Field): void {
  const L = t.L;
  const b = t.bytes;
  if (L.len < ETH_HLEN) return;
  t.stop = L.end;
  const padEnd = L.paddingEnd;
  if (padEnd > L.packetEnd) {
    const text = hexBytes(b, L.packetEnd, padEnd);
    t.add(eth, 'eth.padding', L.packetEnd, padEnd - L.packetEnd, `Padding: ${text}`, text);
  }
  // Wireshark's heuristic: 4 bytes or more after the padding end with an FCS (the last 4);
  // what comes before it is a trailer. A segment capture keeps exactly the FCS there.
  const fcsAt = L.fcsStart;
  const trailerEnd = fcsAt >= 0 ? fcsAt : L.end;
  if (trailerEnd > padEnd) {
    const text = hexBytes(b, padEnd, trailerEnd);
    t.add(eth, 'eth.trailer', padEnd, trailerEnd - padEnd, `Trailer: ${text}`, text);
  }
  if (fcsAt < 0) return;
  // Wireshark shows the FCS's bytes as read.
  const fcs = getU32(b, fcsAt);
  const good = fcsGood(L, fcsAt);
  const status = good ? CHECKSUM_GOOD : CHECKSUM_BAD;
  const word = good ? 'correct' : 'incorrect';
  t.add(
    eth,
    'eth.fcs',
    fcsAt,
    4,
    `Frame check sequence: ${hex(fcs, 8)} [${word}]`,
    hex(fcs, 8),
    fcs,
  );
  const name = CHECKSUM_STATUS_NAMES[status];
  t.add(eth, 'eth.fcs.status', fcsAt, 0, `FCS Status: ${name}`, name, status);
}

// ---- the filter's readers

const ethAddr =
  (rel: number): Collect =>
  (f, V) => {
    const L = f.L;
    if (L.len >= rel + 6) V.push(macKey(L.bytes, L.base + rel), L.base + rel, 6);
  };

const ethBit =
  (rel: number, shift: number): Collect =>
  (f, V) => {
    const L = f.L;
    if (L.len >= rel + 6) V.push((L.bytes[L.base + rel] >> shift) & 1, L.base + rel, 3);
  };

const ethTypeOrLen =
  (wantLen: boolean): Collect =>
  (f, V) => {
    const L = f.L;
    if (L.len < ETH_HLEN) return;
    if (L.badType && L.tags === 0) return;
    const isLen = L.is8023 && L.tags === 0;
    const p = L.base + ETH_OFF.proto;
    if (isLen === wantLen) V.push(getU16(L.bytes, p), p, 2);
  };

/** Padding, trailer or FCS: what follows the outermost packet. */
function tailReader(which: 'padding' | 'trailer' | 'fcs' | 'fcs.status'): Collect {
  return (f, V) => {
    const L = f.L;
    if (L.len < ETH_HLEN) return;
    const padEnd = L.paddingEnd;
    if (which === 'padding') {
      if (padEnd > L.packetEnd) V.push(0, L.packetEnd, padEnd - L.packetEnd);
      return;
    }
    const fcsAt = L.fcsStart;
    if (which === 'trailer') {
      const end = fcsAt >= 0 ? fcsAt : L.end;
      if (end > padEnd) V.push(0, padEnd, end - padEnd);
      return;
    }
    if (fcsAt < 0) return;
    if (which === 'fcs') V.push(getU32(L.bytes, fcsAt), fcsAt, 4);
    else V.push(fcsGood(L, fcsAt) ? CHECKSUM_GOOD : CHECKSUM_BAD, fcsAt, 0);
  };
}

const readers: Record<string, Collect> = {
  eth: (f, V) => {
    const L = f.L;
    V.push(0, L.base, Math.min(ETH_HLEN, L.len), L.end);
  },
  'eth.dst': ethAddr(ETH_OFF.dest),
  'eth.src': ethAddr(ETH_OFF.source),
  'eth.addr': both(ethAddr(ETH_OFF.dest), ethAddr(ETH_OFF.source)),
  'eth.dst.lg': ethBit(ETH_OFF.dest, 1),
  'eth.dst.ig': ethBit(ETH_OFF.dest, 0),
  'eth.src.lg': ethBit(ETH_OFF.source, 1),
  'eth.src.ig': ethBit(ETH_OFF.source, 0),
  'eth.lg': both(ethBit(ETH_OFF.dest, 1), ethBit(ETH_OFF.source, 1)),
  'eth.ig': both(ethBit(ETH_OFF.dest, 0), ethBit(ETH_OFF.source, 0)),
  'eth.type': ethTypeOrLen(false),
  'eth.len': ethTypeOrLen(true),
  'eth.invalid_lentype': (f, V) => {
    const L = f.L;
    const p = L.base + ETH_OFF.proto;
    if (L.len >= ETH_HLEN && L.badType && L.tags === 0) V.push(getU16(L.bytes, p), p, 2);
  },
  'eth.padding': tailReader('padding'),
  'eth.trailer': tailReader('trailer'),
  'eth.fcs': tailReader('fcs'),
  'eth.fcs.status': tailReader('fcs.status'),
};

/** The fields of the Ethernet header (not what follows the packet): a filter of only these and the tags' stops parsing there. */
export const ETH_LINK_FIELDS = Object.keys(readers).filter(
  (n) => !/^eth\.(padding|trailer|fcs)/.test(n),
);

// ---- the Info column

/** The columns of a frame whose top layer is Ethernet (or a tag around a type not dissected). */
export function ethernetInfo(L: FrameLayers, out: Summary): number {
  if (L.len < ETH_HLEN) return 0;
  const type = L.etherType;
  if (L.badType) {
    out.info = `Ethernet Unknown: Invalid length/type: ${hex(type, 4)} (${type})`;
    return 0;
  }
  if (L.is8023) {
    out.protocol = '802.3';
    out.info = `IEEE 802.3 Ethernet, Length: ${type}`;
    return 0;
  }
  out.protocol = hex(type, 4);
  out.info = ETHERTYPE_NAMES[type] ?? 'Ethernet II';
  return 0;
}

export const ETH: Protocol = {
  name: 'eth',
  kind: L_ETH,
  fields,
  readers,
  tree,
  info: (L, _i, out) => ethernetInfo(L, out),
};
