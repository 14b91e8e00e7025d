import { getU16, getU32 } from '../../../wire/bytes';
import { IPV4_HLEN, IPV4_OFF } from '../../../wire/ipv4';
import { formatIpv4 } from '../../../wire/ipv4-addr';
import { valueName } from '../field-types';
import { bitPrefix, hex, hexBytes, setOrNot } from '../names';
import type { Field, Tree } from '../tree';
import { leaf } from '../tree';
import { IP_PROTO_NAMES, ipv4ChecksumStatus, ipv4DataEnd, ipv4Destination } from './ipv4';

/** The IPv4 module's details tree, as Wireshark shows the header, with its words for DSCP, ECN and options. */

const O = IPV4_OFF;

export function ipv4Tree(t: Tree, i: number): Field {
  const b = t.bytes;
  const L = t.L;
  const at = L.start[i];
  const vihl = b[at];
  const hl = (vihl & 15) << 2;
  const hasSrc = t.fits(at + O.saddr, 4);
  const hasDst = t.fits(at + O.daddr, 4);
  let label = 'Internet Protocol Version 4';
  if (hasSrc) label += `, Src: ${formatIpv4(getU32(b, at + O.saddr))}`;
  if (hasDst) label += `, Dst: ${formatIpv4(getU32(b, ipv4Destination(L, i)))}`;
  const node = t.proto(
    'ip',
    label,
    at,
    at + Math.max(hl, IPV4_HLEN),
    ipv4DataEnd(L, i, at, t.stop),
  );
  if (!t.fits(at, 1)) return node;
  const version = vihl >> 4;
  const vText = `${bitPrefix(vihl, 0xf0, 8)}Version: ${version}`;
  t.add(node, 'ip.version', at, 1, vText, String(version), version);
  const hText = `${bitPrefix(vihl, 0x0f, 8)}Header Length: ${hl} bytes (${vihl & 15})`;
  t.add(node, 'ip.hdr_len', at, 1, hText, String(hl), hl);
  if (t.fits(at + O.tos, 1)) dsfield(t, node, at + O.tos);
  if (t.fits(at + O.totLen, 2)) {
    const total = getU16(b, at + O.totLen);
    t.add(node, 'ip.len', at + O.totLen, 2, `Total Length: ${total}`, String(total), total);
  }
  if (t.fits(at + O.id, 2)) {
    const id = getU16(b, at + O.id);
    t.add(node, 'ip.id', at + O.id, 2, `Identification: ${hex(id, 4)} (${id})`, hex(id, 4), id);
  }
  if (t.fits(at + O.fragOff, 2)) flags(t, node, at + O.fragOff);
  if (t.fits(at + O.ttl, 1)) {
    const ttl = b[at + O.ttl];
    t.add(node, 'ip.ttl', at + O.ttl, 1, `Time to Live: ${ttl}`, String(ttl), ttl);
  }
  if (t.fits(at + O.protocol, 1)) {
    const p = b[at + O.protocol];
    const text = `Protocol: ${valueName(IP_PROTO_NAMES, p)} (${p})`;
    t.add(node, 'ip.proto', at + O.protocol, 1, text, String(p), p);
  }
  if (t.fits(at + O.check, 2)) {
    const sum = getU16(b, at + O.check);
    const status = ipv4ChecksumStatus(b, at, t.stop);
    t.checksum(
      node,
      'ip.checksum',
      'Header Checksum',
      'Header checksum status',
      at + O.check,
      sum,
      status,
    );
  }
  if (hasSrc) address(t, node, 'ip.src', 'Source Address', at + O.saddr);
  if (hasDst) {
    // Source-routed: ip.dst is the route's last hop, the header's is the current route.
    const d = ipv4Destination(L, i);
    if (d !== at + O.daddr) address(t, node, 'ip.cur_rt', 'Current Route', at + O.daddr, false);
    address(t, node, 'ip.dst', 'Destination Address', d);
  }
  if (hl > IPV4_HLEN && t.fits(at, hl)) options(t, node, at + IPV4_HLEN, at + hl);
  return node;
}

function dsfield(t: Tree, node: Field, at: number): void {
  const tos = t.bytes[at];
  const dscp = tos >> 2;
  const ecn = tos & 3;
  const text = `Differentiated Services Field: ${hex(tos, 2)} (DSCP: ${dscpName(dscp, true)}, ECN: ${ecnName(ecn, true)})`;
  const ds = t.add(node, 'ip.dsfield', at, 1, text, hex(tos, 2), tos)!;
  const dText = `${bitPrefix(tos, 0xfc, 8)}Differentiated Services Codepoint: ${dscpName(dscp, false)} (${dscp})`;
  t.add(ds, 'ip.dsfield.dscp', at, 1, dText, String(dscp), dscp);
  const eText = `${bitPrefix(tos, 0x03, 8)}Explicit Congestion Notification: ${ecnName(ecn, false)} (${ecn})`;
  t.add(ds, 'ip.dsfield.ecn', at, 1, eText, String(ecn), ecn);
}

function flags(t: Tree, node: Field, at: number): void {
  const b = t.bytes;
  const word = getU16(b, at);
  const flags = word >> 13;
  const df = (flags >> 1) & 1;
  const mf = flags & 1;
  const rb = flags >> 2;
  const names = [rb ? 'Reserved bit' : '', df ? "Don't fragment" : '', mf ? 'More fragments' : ''];
  const set = names.filter((s) => s !== '');
  const bitsOf = (mask: number) => bitPrefix(b[at], mask, 8);
  const text = `${bitsOf(0xe0)}Flags: ${hex(flags, 1)}${set.length ? ', ' + set.join(', ') : ''}`;
  const fl = t.add(node, 'ip.flags', at, 1, text, hex(flags, 1), flags)!;
  t.add(
    fl,
    'ip.flags.rb',
    at,
    1,
    `${bitsOf(0x80)}Reserved bit: ${setOrNot(rb === 1)}`,
    String(rb),
    rb,
  );
  t.add(
    fl,
    'ip.flags.df',
    at,
    1,
    `${bitsOf(0x40)}Don't fragment: ${setOrNot(df === 1)}`,
    String(df),
    df,
  );
  t.add(
    fl,
    'ip.flags.mf',
    at,
    1,
    `${bitsOf(0x20)}More fragments: ${setOrNot(mf === 1)}`,
    String(mf),
    mf,
  );
  // The field counts 8-byte units, as filters compare it; the label says bytes, as Wireshark's does.
  const units = word & 0x1fff;
  const oText = `${bitPrefix(word, 0x1fff, 16)}Fragment Offset: ${units << 3}`;
  t.add(node, 'ip.frag_offset', at, 2, oText, String(units), units);
}

function address(t: Tree, node: Field, name: string, title: string, at: number, addr = true): void {
  const v = getU32(t.bytes, at);
  const text = formatIpv4(v);
  t.add(node, name, at, 4, `${title}: ${text}`, text, v);
  if (addr) t.hidden(node, 'ip.addr', at, 4, `Source or Destination Address: ${text}`, text, v);
}

/**
 * The options as Wireshark shows them: a labelled group (no filter name of its own) of each
 * option's type and length (ip.opt.type, ip.opt.len).
 */
function options(t: Tree, node: Field, start: number, end: number): void {
  const b = t.bytes;
  const names = ipOptionNames(b, start, end);
  const label = `Options: (${end - start} bytes)${names ? ', ' + names : ''}`;
  const opts = leaf('', label, hexBytes(b, start, end), start, end);
  node.children.push(opts);
  let p = start;
  while (p < end) {
    const type = b[p];
    t.add(opts, 'ip.opt.type', p, 1, `Type: ${type}`, String(type), type);
    if (type === 0) break;
    if (type === 1) {
      p++;
      continue;
    }
    if (p + 1 >= end) break;
    const len = b[p + 1];
    t.add(opts, 'ip.opt.len', p + 1, 1, `Length: ${len}`, String(len), len);
    if (len < 2) break;
    p += len;
  }
}

const DSCP_SHORT: Record<number, string> = {
  0: 'CS0',
  8: 'CS1',
  10: 'AF11',
  12: 'AF12',
  14: 'AF13',
  16: 'CS2',
  18: 'AF21',
  20: 'AF22',
  22: 'AF23',
  24: 'CS3',
  26: 'AF31',
  28: 'AF32',
  30: 'AF33',
  32: 'CS4',
  34: 'AF41',
  36: 'AF42',
  38: 'AF43',
  40: 'CS5',
  44: 'VA',
  46: 'EF',
  48: 'CS6',
  56: 'CS7',
};

/** `CS6` (short) or `Class Selector 6` (long), as Wireshark names a DSCP. */
export function dscpName(dscp: number, short: boolean): string {
  if (short) return DSCP_SHORT[dscp] ?? String(dscp);
  if (dscp === 0) return 'Default';
  if (dscp % 8 === 0) return `Class Selector ${dscp / 8}`;
  if (dscp === 46) return 'Expedited Forwarding';
  if (dscp === 44) return 'Voice Admit';
  const af = DSCP_SHORT[dscp];
  return af ? `Assured Forwarding ${af.slice(2, 3)}${af.slice(3)}` : 'Unknown';
}

const ECN_SHORT = ['Not-ECT', 'ECT(1)', 'ECT(0)', 'CE'];
const ECN_LONG = [
  'Not ECN-Capable Transport',
  "ECN-Capable Transport codepoint '01'",
  "ECN-Capable Transport codepoint '10'",
  'Congestion Experienced',
];

export function ecnName(ecn: number, short: boolean): string {
  return (short ? ECN_SHORT : ECN_LONG)[ecn & 3];
}

const IP_OPTION_NAMES: Record<number, string> = {
  0: 'End of Options List (EOL)',
  1: 'No Operation (NOP)',
  7: 'Record Route',
  68: 'Time Stamp',
  130: 'Security',
  131: 'Loose Source Route',
  137: 'Strict Source Route',
  148: 'Router Alert',
};

/**
 * The names of the options in `bytes[start, end)`, comma-separated, for the
 * label of the options group. Stops at a malformed option.
 */
export function ipOptionNames(bytes: Uint8Array, start: number, end: number): string {
  const names: string[] = [];
  let p = start;
  while (p < end) {
    const type = bytes[p];
    names.push(IP_OPTION_NAMES[type] ?? `Unknown (${type})`);
    if (type === 0) break;
    if (type === 1) {
      p++;
      continue;
    }
    const len = p + 1 < end ? bytes[p + 1] : 0;
    if (len < 2) break;
    p += len;
  }
  return names.join(', ');
}
