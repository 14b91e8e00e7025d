import { getU16 } from '../../../wire/bytes';
import { UDP_ERR_LENGTH, UDP_ERR_TRUNCATED, UDP_HLEN, UDP_OFF } from '../../../wire/udp';
import {
  CHECKSUM_NOT_PRESENT,
  CHECKSUM_STATUS_NAMES,
  CHECKSUM_UNVERIFIED,
  field,
} from '../field-types';
import { L_DATA, L_UDP } from '../kinds';
import type { FrameLayers } from '../layers';
import { hexBytes } from '../names';
import type { Protocol, Summary } from '../protocol';
import { both, each, protocol, u16, type Collect } from '../readers';
import type { Field, Tree } from '../tree';
import { carrierOf, pseudoChecksumStatus } from '../transport';
import { parseNetlab } from './netlab';

/**
 * UDP: ports, length, the checksum verified against the IP layer's source and (final)
 * destination, and the payload. Offsets: the wire view's UDP_OFF.
 */

const fields = [
  field('udp', 'protocol', 'User Datagram Protocol'),
  field('udp.srcport', 'uint', 'Source Port'),
  field('udp.dstport', 'uint', 'Destination Port'),
  field('udp.port', 'uint', 'Source or Destination Port'),
  field('udp.length', 'uint', 'Length'),
  field('udp.checksum', 'uint', 'Checksum'),
  field('udp.checksum.status', 'uint', 'Checksum Status', CHECKSUM_STATUS_NAMES),
  field('udp.payload', 'bytes', 'UDP payload'),
];

const O = UDP_OFF;

export function parseUdp(L: FrameLayers, p: number, stop: number, quoted: number): void {
  const udp = L.udp;
  const i = L.push(L_UDP, p, stop, quoted);
  const why = udp.at(L.bytes, p, stop - p).check();
  const cut = why === UDP_ERR_TRUNCATED;
  L.short(p + UDP_HLEN);
  if (why !== '' && !(cut && (quoted === 1 || L.snapped))) L.markBad(i, why);
  if (p + UDP_HLEN > stop) return;
  const dataStart = p + UDP_HLEN;
  const dataEnd = why === '' ? p + udp.udpLength : stop;
  if (dataEnd <= dataStart) return;
  // The quoted datagram's payload, as far as the error quotes it, is data, as in Wireshark.
  if (quoted === 1) L.push(L_DATA, dataStart, dataEnd, 1);
  else parseNetlab(L, dataStart, dataEnd);
}

/** Whether UDP layer i's length is sound and its whole datagram is here. */
function whole(L: FrameLayers, i: number, at: number, stop: number): boolean {
  if (L.bad[i] !== '' || at + O.len + 2 > stop) return false;
  const length = getU16(L.bytes, at + O.len);
  return length >= UDP_HLEN && at + length <= stop;
}

/** Where the bytes UDP layer i carries end: its length when sound, else the layer's end. */
function dataEnd(L: FrameLayers, i: number, at: number, stop: number): number {
  return whole(L, i, at, stop) ? at + getU16(L.bytes, at + O.len) : stop;
}

/**
 * UDP layer i's checksum status: verified against its IP layer's source and (final)
 * destination whenever the whole datagram is here, a quoted one (in an ICMP error) too.
 */
function checksumStatus(L: FrameLayers, i: number): number {
  const at = L.start[i];
  if (getU16(L.bytes, at + O.check) === 0) return CHECKSUM_NOT_PRESENT;
  if (!whole(L, i, at, L.stop[i])) return CHECKSUM_UNVERIFIED;
  if (L.quoted[i] === 0 && L.snapped) return CHECKSUM_UNVERIFIED;
  const length = getU16(L.bytes, at + O.len);
  return pseudoChecksumStatus(L, carrierOf(L, i), 17, at, length);
}

// ---- the tree

function tree(t: Tree, i: number): Field {
  const b = t.bytes;
  const L = t.L;
  const at = L.start[i];
  const hasPorts = t.fits(at, 4);
  const sport = getU16(b, at + O.source);
  const dport = getU16(b, at + O.dest);
  const label = hasPorts
    ? `User Datagram Protocol, Src Port: ${sport}, Dst Port: ${dport}`
    : 'User Datagram Protocol';
  const end = dataEnd(L, i, at, t.stop);
  const node = t.proto('udp', label, at, at + UDP_HLEN, end);
  const s = String(sport);
  const d = String(dport);
  if (t.fits(at + O.source, 2)) t.add(node, 'udp.srcport', at, 2, `Source Port: ${s}`, s, sport);
  if (hasPorts) t.add(node, 'udp.dstport', at + O.dest, 2, `Destination Port: ${d}`, d, dport);
  const either = 'Source or Destination Port';
  if (t.fits(at + O.source, 2)) t.hidden(node, 'udp.port', at, 2, `${either}: ${s}`, s, sport);
  if (hasPorts) t.hidden(node, 'udp.port', at + O.dest, 2, `${either}: ${d}`, d, dport);
  if (t.fits(at + O.len, 2)) {
    const length = getU16(b, at + O.len);
    t.add(node, 'udp.length', at + O.len, 2, `Length: ${length}`, String(length), length);
  }
  if (t.fits(at + O.check, 2)) {
    const sum = getU16(b, at + O.check);
    const status = checksumStatus(L, i);
    t.checksum(node, 'udp.checksum', 'Checksum', 'Checksum Status', at + O.check, sum, status);
  }
  if (end > at + UDP_HLEN) {
    const n = end - at - UDP_HLEN;
    const v = hexBytes(b, at + UDP_HLEN, end);
    t.add(node, 'udp.payload', at + UDP_HLEN, n, `UDP payload (${n} bytes)`, v);
  }
  return node;
}

// ---- the filter's readers

const readers: Record<string, Collect> = {
  udp: protocol(L_UDP, () => UDP_HLEN, dataEnd),
  'udp.srcport': u16(L_UDP, O.source),
  'udp.dstport': u16(L_UDP, O.dest),
  'udp.port': both(u16(L_UDP, O.source), u16(L_UDP, O.dest)),
  'udp.length': u16(L_UDP, O.len),
  'udp.checksum': u16(L_UDP, O.check),
  'udp.checksum.status': each(L_UDP, (L, i, at, stop, V) => {
    if (at + UDP_HLEN <= stop) V.push(checksumStatus(L, i), at + O.check, 0);
  }),
  'udp.payload': each(L_UDP, (L, i, at, stop, V) => {
    const end = dataEnd(L, i, at, stop);
    if (end > at + UDP_HLEN) V.push(0, at + UDP_HLEN, end - at - UDP_HLEN);
  }),
};

// ---- the Info column

/** UDP layer i's Info text; returns how many malformations it states (its length's). */
export function udpInfo(L: FrameLayers, i: number, out: Summary): number {
  const why = L.bad[i];
  out.info = udpInfoText(L, i);
  return why === UDP_ERR_LENGTH || why === UDP_ERR_TRUNCATED ? 1 : 0;
}

function udpInfoText(L: FrameLayers, i: number): string {
  const b = L.bytes;
  const p = L.start[i];
  const stop = L.stop[i];
  if (p + 4 > stop) return '';
  const ports = `${getU16(b, p + O.source)} → ${getU16(b, p + O.dest)}`;
  if (p + 6 > stop) return ports;
  const length = getU16(b, p + O.len);
  if (L.bad[i] === UDP_ERR_LENGTH) return `${ports} [BAD UDP LENGTH ${length} < 8]`;
  if (L.bad[i] === UDP_ERR_TRUNCATED)
    return `${ports} [BAD UDP LENGTH ${length} > IP PAYLOAD LENGTH] Len=${length - 8}`;
  return `${ports} Len=${length - 8}`;
}

export const UDP: Protocol = {
  name: 'udp',
  kind: L_UDP,
  fields,
  readers,
  tree,
  info: (L, i, out) => {
    out.protocol = 'UDP';
    return udpInfo(L, i, out);
  },
};
