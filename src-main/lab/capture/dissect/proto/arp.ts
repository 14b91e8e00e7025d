import {
  ARP_OFF,
  ARPHRD_ETHER,
  ARPHRD_IEEE802,
  ARPOP_REPLY,
  ARPOP_REQUEST,
  arpOffsets,
} from '../../../wire/arp';
import { getU16, getU32 } from '../../../wire/bytes';
import { ETH_P_IP } from '../../../wire/ethernet';
import { formatIpv4 } from '../../../wire/ipv4-addr';
import { formatMac, macKey } from '../../../wire/mac';
import { field, valueName } from '../field-types';
import { L_ARP } from '../kinds';
import type { FrameLayers } from '../layers';
import { hex, hexBytes, macWithName } from '../names';
import type { Protocol, Summary } from '../protocol';
import { each, protocol, u16, u8, type Collect } from '../readers';
import type { Field, Tree } from '../tree';
import { ETHERTYPE_NAMES, etherTypeText } from './eth';

/**
 * ARP and RARP of any address sizes, as Wireshark reads them (the kernel takes only
 * Ethernet/IPv4's): a MAC and an IPv4 address by those names (`arp.src.hw_mac`,
 * `arp.src.proto_ipv4`), other sizes and types as bytes (`arp.src.hw`, `arp.src.proto`).
 * The addresses lie where `arpOffsets` (the wire view's table) says.
 */

export const ARP_OPCODE_NAMES: Readonly<Record<number, string>> = {
  1: 'request',
  2: 'reply',
  3: 'reverse request',
  4: 'reverse reply',
  8: 'inverse request',
  9: 'inverse reply',
};

export const ARP_HW_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'Ethernet',
  6: 'IEEE 802 Networks',
};

const fields = [
  field('arp', 'protocol', 'Address Resolution Protocol'),
  field('arp.hw.type', 'uint', 'Hardware type', ARP_HW_TYPE_NAMES),
  field('arp.proto.type', 'uint', 'Protocol type', ETHERTYPE_NAMES),
  field('arp.hw.size', 'uint', 'Hardware size'),
  field('arp.proto.size', 'uint', 'Protocol size'),
  field('arp.opcode', 'uint', 'Opcode', ARP_OPCODE_NAMES),
  field('arp.src.hw_mac', 'ether', 'Sender MAC address'),
  field('arp.src.proto_ipv4', 'ipv4', 'Sender IP address'),
  field('arp.src.hw', 'bytes', 'Sender hardware address (not 6-byte Ethernet)'),
  field('arp.src.proto', 'bytes', 'Sender protocol address (not IPv4)'),
  field('arp.dst.hw_mac', 'ether', 'Target MAC address'),
  field('arp.dst.proto_ipv4', 'ipv4', 'Target IP address'),
  field('arp.dst.hw', 'bytes', 'Target hardware address (not 6-byte Ethernet)'),
  field('arp.dst.proto', 'bytes', 'Target protocol address (not IPv4)'),
];

/** The hardware addresses are Ethernet MACs (6 bytes, Ethernet or IEEE 802 hardware). */
function isEther(b: Uint8Array, at: number): boolean {
  const hrd = getU16(b, at + ARP_OFF.hrd);
  return b[at + ARP_OFF.hln] === 6 && (hrd === ARPHRD_ETHER || hrd === ARPHRD_IEEE802);
}

/** The protocol addresses are IPv4 addresses. */
function isIpv4(b: Uint8Array, at: number): boolean {
  return b[at + ARP_OFF.pln] === 4 && getU16(b, at + ARP_OFF.pro) === ETH_P_IP;
}

// ---- the tree

function tree(t: Tree, i: number): Field {
  const b = t.bytes;
  const at = t.L.start[i];
  const op = t.fits(at, 8) ? getU16(b, at + ARP_OFF.op) : -1;
  const what = op < 0 ? '' : ` (${valueName(ARP_OPCODE_NAMES, op)})`;
  const size = t.fits(at, 8) ? arpOffsets(b[at + ARP_OFF.hln], b[at + ARP_OFF.pln]).len : 28;
  const end = Math.min(at + size, t.stop);
  const node = t.proto('arp', `Address Resolution Protocol${what}`, at, at + size, end);
  if (t.fits(at + ARP_OFF.hrd, 2)) {
    const v = getU16(b, at + ARP_OFF.hrd);
    const text = `Hardware type: ${valueName(ARP_HW_TYPE_NAMES, v)} (${v})`;
    t.add(node, 'arp.hw.type', at + ARP_OFF.hrd, 2, text, String(v), v);
  }
  if (t.fits(at + ARP_OFF.pro, 2)) {
    const v = getU16(b, at + ARP_OFF.pro);
    const text = `Protocol type: ${etherTypeText(v)}`;
    t.add(node, 'arp.proto.type', at + ARP_OFF.pro, 2, text, hex(v, 4), v);
  }
  const hlen = b[at + ARP_OFF.hln];
  const plen = b[at + ARP_OFF.pln];
  t.add(node, 'arp.hw.size', at + ARP_OFF.hln, 1, `Hardware size: ${hlen}`, String(hlen), hlen);
  t.add(node, 'arp.proto.size', at + ARP_OFF.pln, 1, `Protocol size: ${plen}`, String(plen), plen);
  if (op >= 0) {
    const text = `Opcode: ${valueName(ARP_OPCODE_NAMES, op)} (${op})`;
    t.add(node, 'arp.opcode', at + ARP_OFF.op, 2, text, String(op), op);
  }
  // The addresses only when all of them were captured: Wireshark shows none of a packet the
  // snap length cut.
  const o = arpOffsets(hlen, plen);
  if (!t.fits(at, o.len)) return node;
  const ether = isEther(b, at);
  const ipv4 = isIpv4(b, at);
  const hw = (name: string, who: string, p: number) => {
    if (ether) {
      const text = `${who} MAC address: ${macWithName(b, p)}`;
      t.add(node, `${name}_mac`, p, 6, text, formatMac(b, p), macKey(b, p));
    } else if (hlen > 0) {
      const v = hexBytes(b, p, p + hlen);
      t.add(node, name, p, hlen, `${who} hardware address: ${v}`, v);
    }
  };
  const pa = (name: string, who: string, p: number) => {
    if (ipv4) {
      const v = getU32(b, p);
      const text = formatIpv4(v);
      t.add(node, `${name}_ipv4`, p, 4, `${who} IP address: ${text}`, text, v);
    } else if (plen > 0) {
      const v = hexBytes(b, p, p + plen);
      t.add(node, name, p, plen, `${who} protocol address: ${v}`, v);
    }
  };
  hw('arp.src.hw', 'Sender', at + o.sha);
  pa('arp.src.proto', 'Sender', at + o.spa);
  hw('arp.dst.hw', 'Target', at + o.tha);
  pa('arp.dst.proto', 'Target', at + o.tpa);
  return node;
}

// ---- the filter's readers

/** The packet's length by its address sizes (28 before they are captured), as the tree takes it. */
function arpLength(L: FrameLayers, _i: number, at: number, stop = L.stop[_i]): number {
  const b = L.bytes;
  return at + 8 <= stop ? arpOffsets(b[at + ARP_OFF.hln], b[at + ARP_OFF.pln]).len : 28;
}

/**
 * An ARP address (arpOffsets: `which` of sha, spa, tha, tpa), present as the tree shows it: only
 * when the whole packet was captured; a MAC (`mac`) for Ethernet hardware of 6 bytes, an IPv4
 * address (`ipv4`) for protocol 0x0800 of 4 bytes, else bytes (`bytes`).
 */
const arpAddr = (which: 'sha' | 'spa' | 'tha' | 'tpa', as: 'mac' | 'ipv4' | 'bytes'): Collect =>
  each(L_ARP, (L, _i, at, stop, V) => {
    const b = L.bytes;
    if (at + 8 > stop) return;
    const hln = b[at + ARP_OFF.hln];
    const pln = b[at + ARP_OFF.pln];
    const o = arpOffsets(hln, pln);
    if (at + o.len > stop) return;
    const hw = which === 'sha' || which === 'tha';
    const p = at + o[which];
    const size = hw ? hln : pln;
    const special = hw ? isEther(b, at) : isIpv4(b, at);
    if (as === 'bytes') {
      if (!special && size > 0) V.push(0, p, size);
    } else if (special) V.push(as === 'mac' ? macKey(b, p) : getU32(b, p), p, size);
  });

const readers: Record<string, Collect> = {
  arp: protocol(L_ARP, arpLength, (L, i, at, stop) => Math.min(at + arpLength(L, i, at), stop)),
  'arp.hw.type': u16(L_ARP, ARP_OFF.hrd),
  'arp.proto.type': u16(L_ARP, ARP_OFF.pro),
  'arp.hw.size': u8(L_ARP, ARP_OFF.hln),
  'arp.proto.size': u8(L_ARP, ARP_OFF.pln),
  'arp.opcode': u16(L_ARP, ARP_OFF.op),
  'arp.src.hw_mac': arpAddr('sha', 'mac'),
  'arp.src.hw': arpAddr('sha', 'bytes'),
  'arp.src.proto_ipv4': arpAddr('spa', 'ipv4'),
  'arp.src.proto': arpAddr('spa', 'bytes'),
  'arp.dst.hw_mac': arpAddr('tha', 'mac'),
  'arp.dst.hw': arpAddr('tha', 'bytes'),
  'arp.dst.proto_ipv4': arpAddr('tpa', 'ipv4'),
  'arp.dst.proto': arpAddr('tpa', 'bytes'),
};

// ---- the Info column

function hexRun(b: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += b[at + i].toString(16).padStart(2, '0');
  return s;
}

function allZero(b: Uint8Array, at: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[at + i] !== 0) return false;
  return true;
}

function info(L: FrameLayers, i: number, out: Summary): number {
  const b = L.bytes;
  const p = L.start[i];
  const stop = L.stop[i];
  out.protocol = 'ARP';
  if (p + 8 > stop) return 0;
  const op = getU16(b, p + ARP_OFF.op);
  if (op === 3 || op === 4) out.protocol = 'RARP';
  else if (op === 8 || op === 9) out.protocol = 'Inverse ARP';
  const hln = b[p + ARP_OFF.hln];
  const pln = b[p + ARP_OFF.pln];
  const o = arpOffsets(hln, pln);
  if (p + o.len > stop) return 0;
  // Addresses as Wireshark words them: a MAC and an IPv4 address, else hex digits.
  const ether = isEther(b, p);
  const ipv4 = isIpv4(b, p);
  const hw = (at: number) => (ether ? formatMac(b, at) : hexRun(b, at, hln));
  const pa = (at: number) => (ipv4 ? formatIpv4(getU32(b, at)) : hexRun(b, at, pln));
  const spa = pa(p + o.spa);
  const tpa = pa(p + o.tpa);
  const sha = hw(p + o.sha);
  const tha = hw(p + o.tha);
  const thaZero = allZero(b, p + o.tha, hln);
  switch (op) {
    case ARPOP_REQUEST:
      if (allZero(b, p + o.spa, pln) && thaZero) out.info = `Who has ${tpa}? (ARP Probe)`;
      else if (spa === tpa)
        out.info = thaZero ? `ARP Announcement for ${spa}` : `Gratuitous ARP for ${spa} (Request)`;
      else out.info = `Who has ${tpa}? Tell ${spa}`;
      break;
    case ARPOP_REPLY:
      out.info = spa === tpa ? `Gratuitous ARP for ${spa} (Reply)` : `${spa} is at ${sha}`;
      break;
    case 3:
    case 8:
      out.info = `Who is ${tha}? Tell ${sha}`;
      break;
    case 4:
      out.info = `${tha} is at ${tpa}`;
      break;
    case 9:
      out.info = `${sha} is at ${spa}`;
      break;
    default:
      out.info = `Unknown ARP opcode ${hex(op, 4)}`;
  }
  return 0;
}

export const ARP: Protocol = { name: 'arp', kind: L_ARP, fields, readers, tree, info };
