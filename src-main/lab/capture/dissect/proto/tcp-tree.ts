import { getU16, getU32 } from '../../../wire/bytes';
import { bitPrefix, hex, hexBytes, setOrNot } from '../names';
import type { Field, Tree } from '../tree';
import { leaf } from '../tree';
import { tcpChecksumStatus, tcpDataOffset, tcpHeaderLen, tcpLen, tcpOptionsEnd } from './tcp';
import { tcpOptionsTree } from './tcp-option-readers';
import { TCP_ACK, TCP_HLEN, TCP_OFF, tcpFlags } from './tcp-offsets';

/** The TCP module's details tree, and the words Wireshark uses for the flags. */

const O = TCP_OFF;

/** The flags from the top bit down: Wireshark's letters and names. */
const FLAGS: readonly [number, string, string, string][] = [
  [0x100, 'tcp.flags.ae', 'Accurate ECN', 'AE'],
  [0x080, 'tcp.flags.cwr', 'Congestion Window Reduced', 'CWR'],
  [0x040, 'tcp.flags.ece', 'ECN-Echo', 'ECE'],
  [0x020, 'tcp.flags.urg', 'Urgent', 'URG'],
  [0x010, 'tcp.flags.ack', 'Acknowledgment', 'ACK'],
  [0x008, 'tcp.flags.push', 'Push', 'PSH'],
  [0x004, 'tcp.flags.reset', 'Reset', 'RST'],
  [0x002, 'tcp.flags.syn', 'Syn', 'SYN'],
  [0x001, 'tcp.flags.fin', 'Fin', 'FIN'],
];

/** `SYN, ACK`: the set flags as Wireshark lists them (FIN first), or `<None>`. */
export function tcpFlagNames(flags: number): string {
  const names: string[] = [];
  for (let k = FLAGS.length - 1; k >= 0; k--) if (flags & FLAGS[k][0]) names.push(FLAGS[k][3]);
  if (flags & 0xe00) names.push('Reserved');
  return names.length > 0 ? names.join(', ') : '<None>';
}

/** `··········S·`: Wireshark's tcp.flags.str, a letter for each set bit of the 12. */
export function tcpFlagString(flags: number): string {
  const letters = 'RRRACEUAPRSF';
  let s = '';
  for (let k = 0; k < 12; k++) s += flags & (0x800 >> k) ? letters[k] : '·';
  return s;
}

export function tcpTree(t: Tree, i: number): Field {
  const b = t.bytes;
  const L = t.L;
  const at = L.start[i];
  const hl = tcpHeaderLen(L, i);
  const sport = getU16(b, at + O.source);
  const dport = getU16(b, at + O.dest);
  let label = 'Transmission Control Protocol';
  if (t.fits(at, 4)) label += `, Src Port: ${sport}, Dst Port: ${dport}`;
  if (t.fits(at + O.seq, 4)) label += `, Seq: ${getU32(b, at + O.seq)}`;
  const flags = hl > 0 ? tcpFlags(b, at) : 0;
  if (hl > 0 && flags & TCP_ACK) label += `, Ack: ${getU32(b, at + O.ackSeq)}`;
  if (hl > 0) label += `, Len: ${tcpLen(L, i, hl)}`;
  const node = t.proto('tcp', label, at, hl > 0 ? Math.min(at + hl, t.stop) : t.stop, t.stop);
  const s = String(sport);
  const d = String(dport);
  if (t.fits(at + O.source, 2)) {
    t.add(node, 'tcp.srcport', at + O.source, 2, `Source Port: ${s}`, s, sport);
    t.hidden(node, 'tcp.port', at + O.source, 2, `Source or Destination Port: ${s}`, s, sport);
  }
  if (t.fits(at + O.dest, 2)) {
    t.add(node, 'tcp.dstport', at + O.dest, 2, `Destination Port: ${d}`, d, dport);
    t.hidden(node, 'tcp.port', at + O.dest, 2, `Source or Destination Port: ${d}`, d, dport);
  }
  if (t.fits(at + O.seq, 4)) {
    const seq = getU32(b, at + O.seq);
    t.add(node, 'tcp.seq_raw', at + O.seq, 4, `Sequence Number (raw): ${seq}`, String(seq), seq);
  }
  const doff = tcpDataOffset(L, i);
  if (hl === 0 && doff >= 0) {
    // A bogus data offset (below 20): its value and the length it leaves, as Wireshark shows.
    const hText = `${bitPrefix(b[at + O.doff], 0xf0, 8)}Header Length: ${doff} bytes (${doff >> 2}) [bogus, must be at least 20]`;
    t.add(node, 'tcp.hdr_len', at + O.doff, 1, hText, String(doff), doff);
    const n = tcpLen(L, i, doff);
    node.children.push(leaf('tcp.len', `[TCP Segment Len: ${n}]`, String(n), at, at, n));
  }
  if (hl === 0) return node;
  const len = tcpLen(L, i, hl);
  node.children.push(leaf('tcp.len', `[TCP Segment Len: ${len}]`, String(len), at, at, len));
  const raw = getU32(b, at + O.ackSeq);
  t.add(
    node,
    'tcp.ack_raw',
    at + O.ackSeq,
    4,
    `Acknowledgment number (raw): ${raw}`,
    String(raw),
    raw,
  );
  const hText = `${bitPrefix(b[at + O.doff], 0xf0, 8)}Header Length: ${hl} bytes (${hl >> 2})`;
  t.add(node, 'tcp.hdr_len', at + O.doff, 1, hText, String(hl), hl);
  flagsTree(t, node, at + O.doff, flags);
  const win = getU16(b, at + O.window);
  t.add(node, 'tcp.window_size_value', at + O.window, 2, `Window: ${win}`, String(win), win);
  const sum = getU16(b, at + O.check);
  const status = tcpChecksumStatus(L, i);
  t.checksum(node, 'tcp.checksum', 'Checksum', 'Checksum Status', at + O.check, sum, status);
  const urg = getU16(b, at + O.urgPtr);
  t.add(node, 'tcp.urgent_pointer', at + O.urgPtr, 2, `Urgent Pointer: ${urg}`, String(urg), urg);
  const optEnd = tcpOptionsEnd(L, i, hl);
  if (optEnd > at + TCP_HLEN) tcpOptionsTree(t, node, at + TCP_HLEN, optEnd);
  if (at + hl < t.stop) {
    const n = t.stop - at - hl;
    const v = hexBytes(b, at + hl, t.stop);
    t.add(node, 'tcp.payload', at + hl, n, `TCP payload (${n} byte${n > 1 ? 's' : ''})`, v);
  }
  return node;
}

function flagsTree(t: Tree, node: Field, p: number, flags: number): void {
  const text = `Flags: ${hex(flags, 3)} (${tcpFlagNames(flags)})`;
  const f = t.add(node, 'tcp.flags', p, 2, text, hex(flags, 3), flags)!;
  const res = (flags >> 9) & 7;
  const resText = `${bitPrefix(flags, 0xe00, 12)}Reserved: ${setOrNot(res !== 0)}`;
  t.add(f, 'tcp.flags.res', p, 1, resText, String(res !== 0 ? 1 : 0), res !== 0 ? 1 : 0);
  for (const [mask, name, title] of FLAGS) {
    const on = flags & mask ? 1 : 0;
    const text = `${bitPrefix(flags, mask, 12)}${title}: ${setOrNot(on === 1)}`;
    t.add(f, name, p, 2, text, String(on), on);
  }
  const str = tcpFlagString(flags);
  f.children.push(leaf('tcp.flags.str', `[TCP Flags: ${str}]`, str, p, p + 2, str));
}
