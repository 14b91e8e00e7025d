import { getU16, getU32 } from '../../../wire/bytes';
import { CHECKSUM_STATUS_NAMES, CHECKSUM_UNVERIFIED, field } from '../field-types';
import { L_DATA, L_TCP } from '../kinds';
import type { FrameLayers } from '../layers';
import type { Protocol, Summary } from '../protocol';
import { both, each, u16, u32, type Collect } from '../readers';
import { carrierOf, pseudoChecksumStatus, reportedEnd } from '../transport';
import {
  eachTcpOption,
  TCP_ACK,
  TCP_HLEN,
  TCP_OFF,
  TCP_URG,
  tcpFlags,
  TCPOPT_MSS,
  TCPOPT_SACK,
  TCPOPT_SACK_PERM,
  TCPOPT_TIMESTAMP,
  TCPOPT_WINDOW,
} from './tcp-offsets';
import { tcpFlagNames, tcpFlagString, tcpTree } from './tcp-tree';
import { TCP_OPTION_READERS } from './tcp-option-readers';

/**
 * TCP (RFC 9293): ports, sequence and acknowledgment numbers, flags, window, checksum
 * (verified against the pseudo-header), options (MSS, window scale, SACK, timestamps), the
 * payload, and the Info line Wireshark prints. Each segment is worded alone: Seq and Ack are
 * the header's (tshark's with relative sequence numbers off) and Win its raw window.
 */

export const TCP_ERR_SHORT = 'shorter than a TCP header (20 bytes)';
export const TCP_ERR_TRUNCATED = 'header longer than the segment';

const fields = [
  field('tcp', 'protocol', 'Transmission Control Protocol'),
  field('tcp.srcport', 'uint', 'Source Port'),
  field('tcp.dstport', 'uint', 'Destination Port'),
  field('tcp.port', 'uint', 'Source or Destination Port'),
  field('tcp.seq_raw', 'uint', 'Sequence Number (raw)'),
  field('tcp.ack_raw', 'uint', 'Acknowledgment number (raw)'),
  field('tcp.len', 'uint', 'TCP Segment Len'),
  field('tcp.hdr_len', 'uint', 'Header Length (bytes)'),
  field('tcp.flags', 'uint', 'Flags'),
  field('tcp.flags.res', 'bool', 'Reserved'),
  field('tcp.flags.ae', 'bool', 'Accurate ECN'),
  field('tcp.flags.cwr', 'bool', 'Congestion Window Reduced'),
  field('tcp.flags.ece', 'bool', 'ECN-Echo'),
  field('tcp.flags.urg', 'bool', 'Urgent'),
  field('tcp.flags.ack', 'bool', 'Acknowledgment'),
  field('tcp.flags.push', 'bool', 'Push'),
  field('tcp.flags.reset', 'bool', 'Reset'),
  field('tcp.flags.syn', 'bool', 'Syn'),
  field('tcp.flags.fin', 'bool', 'Fin'),
  field('tcp.flags.str', 'string', 'TCP Flags'),
  field('tcp.window_size_value', 'uint', 'Window'),
  field('tcp.checksum', 'uint', 'Checksum'),
  field('tcp.checksum.status', 'uint', 'Checksum Status', CHECKSUM_STATUS_NAMES),
  field('tcp.urgent_pointer', 'uint', 'Urgent Pointer'),
  field('tcp.options', 'bytes', 'TCP Options'),
  field('tcp.option_kind', 'uint', 'Kind'),
  field('tcp.option_len', 'uint', 'Length'),
  field('tcp.options.mss_val', 'uint', 'MSS Value'),
  field('tcp.options.wscale.shift', 'uint', 'Shift count'),
  field('tcp.options.wscale.multiplier', 'uint', 'Multiplier'),
  field('tcp.options.sack_perm', 'none', 'TCP SACK Permitted Option'),
  field('tcp.options.sack_le', 'uint', 'TCP SACK Left Edge'),
  field('tcp.options.sack_re', 'uint', 'TCP SACK Right Edge'),
  field('tcp.options.timestamp.tsval', 'uint', 'Timestamp value'),
  field('tcp.options.timestamp.tsecr', 'uint', 'Timestamp echo reply'),
  field('tcp.payload', 'bytes', 'TCP payload'),
];

// ---- where the layers lie

export function parseTcp(L: FrameLayers, p: number, stop: number, quoted: number): void {
  const b = L.bytes;
  const i = L.push(L_TCP, p, stop, quoted);
  // An ICMP error quotes the first 8 bytes: ports and sequence number, never malformed.
  if (quoted === 1) return;
  if (p + TCP_HLEN > stop) {
    L.cut(i, TCP_ERR_SHORT);
    return;
  }
  const hl = (b[p + TCP_OFF.doff] >> 4) << 2;
  // A data offset below 20 is bogus: Wireshark says so in the Info column (see info), with
  // an expert note, not as a malformed packet, and reads no further.
  if (hl < TCP_HLEN) return;
  if (p + hl > stop) {
    L.cut(i, TCP_ERR_TRUNCATED);
    return;
  }
  if (p + hl < stop) L.push(L_DATA, p + hl, stop, 0);
}

/**
 * The header's length when it is sound and its fixed 20 bytes are here, else 0. Its options may
 * run past a snap length: their readers stop at the layer's end (`tcpOptionsEnd`).
 */
export function tcpHeaderLen(L: FrameLayers, i: number): number {
  const at = L.start[i];
  if (L.quoted[i] === 1 || at + TCP_HLEN > L.stop[i]) return 0;
  if (L.bad[i] !== '' && L.bad[i] !== TCP_ERR_TRUNCATED) return 0;
  const hl = (L.bytes[at + TCP_OFF.doff] >> 4) << 2;
  return hl >= TCP_HLEN ? hl : 0;
}

/** The data offset in bytes of a segment (not quoted) whose fixed header is here, else -1. */
export function tcpDataOffset(L: FrameLayers, i: number): number {
  const at = L.start[i];
  if (L.quoted[i] === 1 || at + TCP_HLEN > L.stop[i]) return -1;
  return (L.bytes[at + TCP_OFF.doff] >> 4) << 2;
}

/** Where the options of TCP layer i (with header length hl) end within the captured bytes. */
export function tcpOptionsEnd(L: FrameLayers, i: number, hl: number): number {
  return Math.min(L.start[i] + hl, L.stop[i]);
}

/** The segment's payload length, as sent (a snap length may have cut it), as tshark's tcp.len. */
export function tcpLen(L: FrameLayers, i: number, hl: number): number {
  return Math.max(0, Math.max(reportedEnd(L, i), L.stop[i]) - L.start[i] - hl);
}

/** The checksum's status: verified over the whole segment when it is here (not a quoted one). */
export function tcpChecksumStatus(L: FrameLayers, i: number): number {
  const at = L.start[i];
  if (tcpHeaderLen(L, i) === 0 || L.snapped) return CHECKSUM_UNVERIFIED;
  return pseudoChecksumStatus(L, carrierOf(L, i), 6, at, L.stop[i] - at);
}

// ---- the filter's readers

const O = TCP_OFF;

/** A field of a sound header (the whole 20 bytes here, not quoted). */
function header(rel: number, size: number, value: (b: Uint8Array, p: number) => number): Collect {
  return each(L_TCP, (L, i, at, _stop, V) => {
    if (tcpHeaderLen(L, i) > 0) V.push(value(L.bytes, at + rel), at + rel, size);
  });
}

const flag = (mask: number): Collect =>
  header(O.doff, 2, (b, p) => ((tcpFlags(b, p - O.doff) & mask) !== 0 ? 1 : 0));

const readers: Record<string, Collect> = {
  tcp: each(L_TCP, (L, i, at, stop, V) => {
    const hl = tcpHeaderLen(L, i);
    V.push(0, at, (hl > 0 ? Math.min(at + hl, stop) : stop) - at, stop);
  }),
  'tcp.srcport': u16(L_TCP, O.source),
  'tcp.dstport': u16(L_TCP, O.dest),
  'tcp.port': both(u16(L_TCP, O.source), u16(L_TCP, O.dest)),
  'tcp.seq_raw': u32(L_TCP, O.seq),
  'tcp.ack_raw': header(O.ackSeq, 4, getU32),
  'tcp.len': each(L_TCP, (L, i, at, stop, V) => {
    const doff = tcpDataOffset(L, i);
    if (doff >= 0) V.push(tcpLen(L, i, doff), at, 0);
  }),
  'tcp.hdr_len': each(L_TCP, (L, i, at, _stop, V) => {
    const doff = tcpDataOffset(L, i);
    if (doff >= 0) V.push(doff, at + O.doff, 1);
  }),
  'tcp.flags': header(O.doff, 2, (b, p) => tcpFlags(b, p - O.doff)),
  'tcp.flags.res': header(O.doff, 1, (b, p) => ((b[p] & 0x0e) !== 0 ? 1 : 0)),
  'tcp.flags.ae': flag(0x100),
  'tcp.flags.cwr': flag(0x080),
  'tcp.flags.ece': flag(0x040),
  'tcp.flags.urg': flag(0x020),
  'tcp.flags.ack': flag(0x010),
  'tcp.flags.push': flag(0x008),
  'tcp.flags.reset': flag(0x004),
  'tcp.flags.syn': flag(0x002),
  'tcp.flags.fin': flag(0x001),
  'tcp.flags.str': each(L_TCP, (L, i, at, _stop, V) => {
    if (tcpHeaderLen(L, i) > 0) V.pushString(tcpFlagString(tcpFlags(L.bytes, at)));
  }),
  'tcp.window_size_value': header(O.window, 2, getU16),
  'tcp.checksum': header(O.check, 2, getU16),
  'tcp.checksum.status': each(L_TCP, (L, i, at, _stop, V) => {
    if (tcpHeaderLen(L, i) > 0) V.push(tcpChecksumStatus(L, i), at + O.check, 0);
  }),
  'tcp.urgent_pointer': header(O.urgPtr, 2, getU16),
  ...TCP_OPTION_READERS,
  'tcp.payload': each(L_TCP, (L, i, at, stop, V) => {
    const hl = tcpHeaderLen(L, i);
    if (hl > 0 && at + hl < stop) V.push(0, at + hl, stop - at - hl);
  }),
};

// ---- the Info column

function info(L: FrameLayers, i: number, out: Summary): number {
  const b = L.bytes;
  const at = L.start[i];
  out.protocol = 'TCP';
  if (at + 4 > L.stop[i]) return 0;
  const ports = `${getU16(b, at + O.source)} → ${getU16(b, at + O.dest)}`;
  if (tcpDataOffset(L, i) >= 0 && tcpDataOffset(L, i) < TCP_HLEN) {
    // Wireshark's words: the fixed header's numbers, then what is wrong (no Malformed mark).
    const flags = tcpFlags(b, at);
    let s = `${ports} [${tcpFlagNames(flags)}] Seq=${getU32(b, at + O.seq)}`;
    if (flags & TCP_ACK) s += ` Ack=${getU32(b, at + O.ackSeq)}`;
    const hl = (b[at + O.doff] >> 4) << 2;
    out.info = `${s} Win=${getU16(b, at + O.window)}, bogus TCP header length (${hl}, must be at least 20)`;
    return 0;
  }
  const hl = tcpHeaderLen(L, i);
  if (hl === 0) {
    out.info = ports;
    return 0;
  }
  const flags = tcpFlags(b, at);
  let s = `${ports} [${tcpFlagNames(flags)}] Seq=${getU32(b, at + O.seq)}`;
  if (flags & TCP_ACK) s += ` Ack=${getU32(b, at + O.ackSeq)}`;
  s += ` Win=${getU16(b, at + O.window)}`;
  if (flags & TCP_URG) s += ` Urg=${getU16(b, at + O.urgPtr)}`;
  s += ` Len=${tcpLen(L, i, hl)}`;
  eachTcpOption(b, at + TCP_HLEN, tcpOptionsEnd(L, i, hl), (kind, p, len, whole) => {
    if (!whole) return;
    if (kind === TCPOPT_MSS && len === 4) s += ` MSS=${getU16(b, p + 2)}`;
    else if (kind === TCPOPT_WINDOW && len === 3) s += ` WS=${2 ** Math.min(b[p + 2], 14)}`;
    else if (kind === TCPOPT_SACK_PERM && len === 2) s += ' SACK_PERM';
    else if (kind === TCPOPT_TIMESTAMP && len === 10)
      s += ` TSval=${getU32(b, p + 2)} TSecr=${getU32(b, p + 6)}`;
    else if (kind === TCPOPT_SACK && len >= 2)
      for (let q = p + 2; q + 8 <= p + len; q += 8)
        s += ` SLE=${getU32(b, q)} SRE=${getU32(b, q + 4)}`;
  });
  out.info = s;
  return 0;
}

export const TCP: Protocol = { name: 'tcp', kind: L_TCP, fields, readers, tree: tcpTree, info };
