import { getU16, getU32 } from '../../../wire/bytes';
import { verifyInternetChecksum } from '../../../wire/checksum';
import {
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  ICMP_FRAG_NEEDED,
  ICMP_HLEN,
  ICMP_OFF,
  ICMP_PARAMETERPROB,
  ICMP_TIME_EXCEEDED,
} from '../../../wire/icmp';
import { IPV4_OFF } from '../../../wire/ipv4';
import { formatIpv4 } from '../../../wire/ipv4-addr';
import {
  CHECKSUM_BAD,
  CHECKSUM_GOOD,
  CHECKSUM_STATUS_NAMES,
  CHECKSUM_UNVERIFIED,
  field,
  valueName,
} from '../field-types';
import { L_DATA, L_ICMP, L_IP } from '../kinds';
import type { FrameLayers } from '../layers';
import { hex, hexBytes } from '../names';
import type { Protocol, Summary } from '../protocol';
import { both, each, u16, u8, wholeLayer, type Collect } from '../readers';
import type { Field, Tree } from '../tree';
import { parseIpv4 } from './ipv4';

/**
 * ICMP: the header, an echo's identifier and sequence number (both byte orders, as Wireshark
 * shows them), and the datagram an error quotes, dissected under it with the same `ip.*` and
 * `udp.*` names. Offsets: the wire view's ICMP_OFF.
 */

export const ICMP_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Echo (ping) reply',
  3: 'Destination unreachable',
  4: 'Source quench (flow control)',
  5: 'Redirect',
  8: 'Echo (ping) request',
  9: 'Router advertisement',
  10: 'Router solicitation',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
  15: 'Information request',
  16: 'Information reply',
  17: 'Address mask request',
  18: 'Address mask reply',
  42: 'Extended Echo request',
  43: 'Extended Echo reply',
};

const UNREACH_CODE_NAMES: Readonly<Record<number, string>> = {
  0: 'Network unreachable',
  1: 'Host unreachable',
  2: 'Protocol unreachable',
  3: 'Port unreachable',
  4: 'Fragmentation needed',
  5: 'Source route failed',
  6: 'Destination network unknown',
  7: 'Destination host unknown',
  8: 'Source host isolated',
  9: 'Network administratively prohibited',
  10: 'Host administratively prohibited',
  11: 'Network unreachable for TOS',
  12: 'Host unreachable for TOS',
  13: 'Communication administratively filtered',
  14: 'Host precedence violation',
  15: 'Precedence cutoff in effect',
};

const TIME_EXCEEDED_CODE_NAMES: Readonly<Record<number, string>> = {
  0: 'Time to live exceeded in transit',
  1: 'Fragment reassembly time exceeded',
};

const PARAMETER_PROBLEM_CODE_NAMES: Readonly<Record<number, string>> = {
  0: 'Pointer indicates the error',
  1: 'Missing a required option',
  2: 'Bad length',
};

const EXTENDED_ECHO_CODE_NAMES: Readonly<Record<number, string>> = {
  0: 'No error',
  1: 'Malformed Query',
  2: 'No Such Interface',
  3: 'No Such Table Entry',
  4: 'Multiple Interfaces Satisfy Query',
};

const REDIRECT_CODE_NAMES: Readonly<Record<number, string>> = {
  0: 'Redirect for network',
  1: 'Redirect for host',
  2: 'Redirect for TOS and network',
  3: 'Redirect for TOS and host',
};

/** The name of an ICMP code where its type gives codes names, else ''. */
export function icmpCodeName(type: number, code: number): string {
  let names: Readonly<Record<number, string>> | null = null;
  if (type === 3) names = UNREACH_CODE_NAMES;
  else if (type === 11) names = TIME_EXCEEDED_CODE_NAMES;
  else if (type === 5) names = REDIRECT_CODE_NAMES;
  else if (type === 12) names = PARAMETER_PROBLEM_CODE_NAMES;
  else if (type === 42 || type === 43) names = EXTENDED_ECHO_CODE_NAMES;
  return names ? (names[code] ?? 'Unknown') : '';
}

/** ICMP types whose body is the offending datagram's IP header and first 8 bytes. */
export function icmpQuotesDatagram(type: number): boolean {
  return (
    type === ICMP_DEST_UNREACH ||
    type === 4 || // source quench
    type === 5 || // redirect
    type === ICMP_TIME_EXCEEDED ||
    type === ICMP_PARAMETERPROB
  );
}

/** ICMP types whose second word is an identifier and a sequence number. */
export function icmpHasIdSeq(type: number): boolean {
  return type === ICMP_ECHO || type === ICMP_ECHOREPLY || (type >= 13 && type <= 18);
}

const fields = [
  field('icmp', 'protocol', 'Internet Control Message Protocol'),
  field('icmp.type', 'uint', 'Type', ICMP_TYPE_NAMES),
  field('icmp.code', 'uint', 'Code'),
  field('icmp.checksum', 'uint', 'Checksum'),
  field('icmp.checksum.status', 'uint', 'Checksum Status', CHECKSUM_STATUS_NAMES),
  field('icmp.ident', 'uint', 'Identifier (BE)'),
  field('icmp.ident_le', 'uint', 'Identifier (LE)'),
  field('icmp.seq', 'uint', 'Sequence Number (BE)'),
  field('icmp.seq_le', 'uint', 'Sequence Number (LE)'),
  field('icmp.unused', 'bytes', 'Unused'),
  field('icmp.mtu', 'uint', 'MTU of next hop'),
  field('icmp.redir_gw', 'ipv4', 'Gateway Address'),
  field('icmp.pointer', 'uint', 'Pointer'),
];

// ---- where the layers lie

export function parseIcmp(L: FrameLayers, p: number, stop: number, quoted: number): void {
  const icmp = L.icmp;
  const i = L.push(L_ICMP, p, stop, quoted);
  if (stop - p < ICMP_HLEN) {
    // A quoted ICMP header may be cut short by the quoting; otherwise it is malformed.
    L.short(p + ICMP_HLEN);
    if (quoted === 0 && !L.snapped) L.markBad(i, icmp.at(L.bytes, p, stop - p).check());
    return;
  }
  if (quoted === 1) return;
  const type = L.bytes[p];
  const body = p + ICMP_HLEN;
  if (body >= stop) return;
  if (icmpQuotesDatagram(type) && stop - body >= 1) parseIpv4(L, body, stop, 1);
  else L.push(L_DATA, body, stop, 0);
}

/** The checksum covers the whole message: only a whole one can be verified. */
function checksumStatus(L: FrameLayers, i: number, at: number, stop: number): number {
  const whole = L.quoted[i] === 0 && !L.snapped && stop - at >= ICMP_HLEN;
  if (!whole) return CHECKSUM_UNVERIFIED;
  return verifyInternetChecksum(L.bytes, at, stop - at) ? CHECKSUM_GOOD : CHECKSUM_BAD;
}

// ---- the tree

const O = ICMP_OFF;

function tree(t: Tree, i: number): Field {
  const b = t.bytes;
  const L = t.L;
  const at = L.start[i];
  const stop = t.stop;
  const node = t.proto('icmp', 'Internet Control Message Protocol', at, stop, stop);
  if (!t.fits(at, 1)) return node;
  const type = b[at + O.type];
  const typeText = `Type: ${type} (${valueName(ICMP_TYPE_NAMES, type)})`;
  t.add(node, 'icmp.type', at + O.type, 1, typeText, String(type), type);
  if (!t.fits(at + O.code, 1)) return node;
  const code = b[at + O.code];
  const codeName = icmpCodeName(type, code);
  const codeText = codeName ? `Code: ${code} (${codeName})` : `Code: ${code}`;
  t.add(node, 'icmp.code', at + O.code, 1, codeText, String(code), code);
  if (t.fits(at + O.checksum, 2)) {
    const sum = getU16(b, at + O.checksum);
    const status = checksumStatus(L, i, at, stop);
    t.checksum(node, 'icmp.checksum', 'Checksum', 'Checksum Status', at + O.checksum, sum, status);
  }
  // The identifier alone when the snap length cut the sequence number off, as Wireshark shows.
  if (icmpHasIdSeq(type) && t.fits(at + O.id, 2) && !t.fits(at + O.sequence, 2)) {
    t.u16BothWays(node, 'icmp.ident', 'Identifier', at + O.id);
  }
  if (!t.fits(at + 4, 4)) return node;
  const unused = (p: number, end: number) => {
    const v = hexBytes(b, p, end);
    t.add(node, 'icmp.unused', p, end - p, `Unused: ${v}`, v);
  };
  if (icmpHasIdSeq(type)) {
    t.u16BothWays(node, 'icmp.ident', 'Identifier', at + O.id);
    t.u16BothWays(node, 'icmp.seq', 'Sequence Number', at + O.sequence);
  } else if (type === ICMP_DEST_UNREACH && code === ICMP_FRAG_NEEDED) {
    unused(at + 4, at + O.mtu);
    const mtu = getU16(b, at + O.mtu);
    t.add(node, 'icmp.mtu', at + O.mtu, 2, `MTU of next hop: ${mtu}`, String(mtu), mtu);
  } else if (type === 5) {
    const gw = getU32(b, at + O.gateway);
    const text = formatIpv4(gw);
    t.add(node, 'icmp.redir_gw', at + O.gateway, 4, `Gateway Address: ${text}`, text, gw);
  } else if (type === ICMP_PARAMETERPROB) {
    const ptr = b[at + O.pointer];
    t.add(node, 'icmp.pointer', at + O.pointer, 1, `Pointer: ${ptr}`, String(ptr), ptr);
    unused(at + O.pointer + 1, at + 8);
  } else if (type === ICMP_DEST_UNREACH || type === 4 || type === 11) {
    unused(at + 4, at + 8);
  }
  return node;
}

// ---- the filter's readers

/** A field of the second header word, present for the types `when` accepts. */
function rest(
  rel: number,
  size: number,
  when: (type: number, code: number) => boolean,
  value: (b: Uint8Array, p: number) => number,
): Collect {
  return each(L_ICMP, (L, _i, at, stop, V) => {
    const b = L.bytes;
    // Each field as far as its own bytes were captured (an echo's id without its seq).
    if (at + rel + size > stop || at + 2 > stop || !when(b[at], b[at + 1])) return;
    if (at + 8 > stop && !icmpHasIdSeq(b[at])) return;
    V.push(value(b, at + rel), at + rel, size);
  });
}

const swap16 = (v: number): number => ((v & 0xff) << 8) | (v >> 8);
const noValue = (): number => 0;
const isUnused4 = (t: number, c: number): boolean => (t === 3 && c !== 4) || t === 4 || t === 11;
const fragNeeded = (t: number, c: number): boolean => t === 3 && c === 4;

const readers: Record<string, Collect> = {
  icmp: wholeLayer(L_ICMP),
  'icmp.type': u8(L_ICMP, O.type),
  'icmp.code': u8(L_ICMP, O.code),
  'icmp.checksum': u16(L_ICMP, O.checksum),
  'icmp.checksum.status': each(L_ICMP, (L, i, at, stop, V) => {
    if (at + 4 <= stop) V.push(checksumStatus(L, i, at, stop), at + O.checksum, 0);
  }),
  'icmp.ident': rest(O.id, 2, icmpHasIdSeq, getU16),
  'icmp.ident_le': rest(O.id, 2, icmpHasIdSeq, (b, p) => swap16(getU16(b, p))),
  'icmp.seq': rest(O.sequence, 2, icmpHasIdSeq, getU16),
  'icmp.seq_le': rest(O.sequence, 2, icmpHasIdSeq, (b, p) => swap16(getU16(b, p))),
  'icmp.unused': both(
    rest(4, 2, fragNeeded, noValue),
    both(
      rest(O.pointer + 1, 3, (t) => t === 12, noValue),
      rest(4, 4, isUnused4, noValue),
    ),
  ),
  'icmp.mtu': rest(O.mtu, 2, fragNeeded, getU16),
  'icmp.redir_gw': rest(O.gateway, 4, (t) => t === 5, getU32),
  'icmp.pointer': rest(
    O.pointer,
    1,
    (t) => t === 12,
    (b, p) => b[p],
  ),
};

// ---- the Info column

function info(L: FrameLayers, i: number, out: Summary): number {
  const b = L.bytes;
  const p = L.start[i];
  const stop = L.stop[i];
  const type = b[p + O.type];
  out.protocol = 'ICMP';
  out.info = p + 2 <= stop ? infoText(L, p, stop) : '';
  // Wireshark had written the type's padded name when the missing id and seq stopped it.
  if (L.limited && icmpHasIdSeq(type) && p + 8 > stop) out.info = out.info.padEnd(20);
  return 0;
}

function infoText(L: FrameLayers, p: number, stop: number): string {
  const b = L.bytes;
  const type = b[p + O.type];
  const code = b[p + O.code];
  let text = (ICMP_TYPE_NAMES[type] ?? 'Unknown ICMP (obsolete or malformed?)').padEnd(20);
  const codeName = icmpCodeName(type, code);
  if (codeName !== '') text += ` (${codeName})`;
  if (icmpHasIdSeq(type) && p + 8 <= stop) {
    const id = getU16(b, p + O.id);
    const seq = getU16(b, p + O.sequence);
    text += ` id=${hex(id, 4)}, seq=${seq}/${swap16(seq)}`;
    const ip = L.firstOf(L_IP);
    if (ip >= 0) text += `, ttl=${b[L.start[ip] + IPV4_OFF.ttl]}`;
  }
  return text.trimEnd();
}

export const ICMP: Protocol = { name: 'icmp', kind: L_ICMP, fields, readers, tree, info };
