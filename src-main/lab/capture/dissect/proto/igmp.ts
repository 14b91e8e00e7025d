import { getU16, getU32 } from '../../../wire/bytes';
import { verifyInternetChecksum } from '../../../wire/checksum';
import {
  IGMP_HLEN,
  IGMP_HOST_LEAVE_MESSAGE,
  IGMP_HOST_MEMBERSHIP_QUERY,
  IGMP_OFF,
  IGMPV1_HOST_MEMBERSHIP_REPORT,
  IGMPV2_HOST_MEMBERSHIP_REPORT,
  IGMPV3_GREC_OFF,
  IGMPV3_HOST_MEMBERSHIP_REPORT,
  IGMPV3_QUERY_HLEN,
  IGMPV3_RECORD_HLEN,
  igmpv3DecodeTime,
} from '../../../wire/igmp';
import {
  CHECKSUM_BAD,
  CHECKSUM_GOOD,
  CHECKSUM_STATUS_NAMES,
  CHECKSUM_UNVERIFIED,
  field,
} from '../field-types';
import { L_IGMP } from '../kinds';
import type { Values } from '../../filter/values';
import type { FrameLayers } from '../layers';
import type { Protocol } from '../protocol';
import { both, each, u16, u8, wholeLayer, type Collect } from '../readers';
import { igmpInfo } from './igmp-info';
import { igmpTree } from './igmp-tree';

/**
 * IGMP v1, v2 and v3: queries (v3 with sources) and reports (v3 with group records). The
 * version is Wireshark's (`igmpVersion`); offsets are the wire view's IGMP_OFF and
 * IGMPV3_GREC_OFF.
 */

export const IGMP_TYPE_NAMES: Readonly<Record<number, string>> = {
  0x11: 'Membership Query',
  0x12: 'Membership Report',
  0x16: 'Membership Report',
  0x17: 'Leave Group',
  0x22: 'Membership Report',
};

export const IGMP_RECORD_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'Mode Is Include',
  2: 'Mode Is Exclude',
  3: 'Change To Include Mode',
  4: 'Change To Exclude Mode',
  5: 'Allow New Sources',
  6: 'Block Old Sources',
};

const fields = [
  field('igmp', 'protocol', 'Internet Group Management Protocol'),
  field('igmp.version', 'uint', 'IGMP Version'),
  field('igmp.type', 'uint', 'Type', IGMP_TYPE_NAMES),
  field('igmp.max_resp', 'uint', 'Max Resp Time (raw code, tenths of a second)'),
  field('igmp.reserved', 'bytes', 'Reserved'),
  field('igmp.checksum', 'uint', 'Checksum'),
  field('igmp.checksum.status', 'uint', 'Checksum Status', CHECKSUM_STATUS_NAMES),
  field('igmp.maddr', 'ipv4', 'Multicast Address'),
  field('igmp.s', 'bool', 'Suppress router side processing'),
  field('igmp.qrv', 'uint', "Querier's Robustness Variable"),
  field('igmp.qqic', 'uint', "Querier's Query Interval Code"),
  field('igmp.num_src', 'uint', 'Number of sources'),
  field('igmp.saddr', 'ipv4', 'Source Address'),
  field('igmp.num_grp_recs', 'uint', 'Number of group records'),
  field('igmp.record', 'none', 'Group record'),
  field('igmp.record_type', 'uint', 'Record Type', IGMP_RECORD_TYPE_NAMES),
  field('igmp.aux_data_len', 'uint', 'Aux Data Len (32-bit words)'),
  field('igmp.aux_data', 'bytes', 'Aux Data'),
];

/**
 * The IGMP version of a message, as Wireshark decides it: a query by its
 * length (RFC 3376 §7.1: 8 bytes with a zero Max Resp Time is v1, otherwise
 * v2; 12 or more is v3), reports and leaves by their type. 0 when unknown.
 */
export function igmpVersion(type: number, length: number, maxResp: number): number {
  switch (type) {
    case IGMP_HOST_MEMBERSHIP_QUERY:
      // 9 to 11 bytes is malformed (RFC 3376 §7.1); Wireshark calls it v1 or v2, as here.
      if (length >= IGMPV3_QUERY_HLEN) return 3;
      return maxResp === 0 ? 1 : 2;
    case IGMPV1_HOST_MEMBERSHIP_REPORT:
      return 1;
    case IGMPV2_HOST_MEMBERSHIP_REPORT:
    case IGMP_HOST_LEAVE_MESSAGE:
      return 2;
    case IGMPV3_HOST_MEMBERSHIP_REPORT:
      return 3;
    default:
      return 0;
  }
}

/** The types with a group address at IGMP_OFF.group (all but a v3 report). */
export function igmpKnown(type: number): boolean {
  return (
    type === IGMP_HOST_MEMBERSHIP_QUERY ||
    type === IGMPV1_HOST_MEMBERSHIP_REPORT ||
    type === IGMPV2_HOST_MEMBERSHIP_REPORT ||
    type === IGMP_HOST_LEAVE_MESSAGE
  );
}

/** Where a v3 group record at `rec` ends: after its sources and auxiliary words. */
export function igmpRecordEnd(b: Uint8Array, rec: number): number {
  const n = getU16(b, rec + IGMPV3_GREC_OFF.nsrcs);
  return rec + IGMPV3_RECORD_HLEN + 4 * (n + b[rec + IGMPV3_GREC_OFF.auxwords]);
}

export function parseIgmp(L: FrameLayers, p: number, stop: number): void {
  const i = L.push(L_IGMP, p, stop, 0);
  const why = L.igmp.at(L.bytes, p, stop - p).check();
  L.short(p + IGMP_HLEN);
  if (why !== '' && !L.snapped) L.markBad(i, why);
}

/** The checksum covers the whole message: verified when it is all here. */
export function igmpChecksumStatus(L: FrameLayers, at: number, stop: number): number {
  if (L.snapped || stop - at < IGMP_HLEN) return CHECKSUM_UNVERIFIED;
  return verifyInternetChecksum(L.bytes, at, stop - at) ? CHECKSUM_GOOD : CHECKSUM_BAD;
}

// ---- the filter's readers

function version(L: FrameLayers, at: number, stop: number): number {
  const length = stop - at;
  return igmpVersion(L.bytes[at], length, length > 1 ? L.bytes[at + IGMP_OFF.code] : 0);
}

/** A field of a v3 query (12 bytes or more). */
function query(rel: number, size: number, value: (b: Uint8Array, p: number) => number): Collect {
  return each(L_IGMP, (L, _i, at, stop, V) => {
    if (at >= stop || !igmpKnown(L.bytes[at]) || version(L, at, stop) !== 3) return;
    if (at + IGMP_OFF.qrv + 1 > stop) return; // the flags byte opens the v3 part
    if (at + rel + size <= stop) V.push(value(L.bytes, at + rel), at + rel, size);
  });
}

type PerRecord = (L: FrameLayers, rec: number, stop: number, V: Values) => void;

/** Each v3 report record: calls `fn` for the records that start inside the message. */
function records(fn: PerRecord): Collect {
  return each(L_IGMP, (L, _i, at, stop, V) => {
    const b = L.bytes;
    if (at >= stop || b[at] !== IGMPV3_HOST_MEMBERSHIP_REPORT || at + IGMP_HLEN > stop) return;
    const count = getU16(b, at + IGMP_OFF.ngrec);
    let rec = at + IGMP_HLEN;
    for (let k = 0; k < count && rec + 1 <= stop; k++) {
      fn(L, rec, stop, V);
      const aux = rec + 2 <= stop ? b[rec + IGMPV3_GREC_OFF.auxwords] : 0;
      const n = rec + 4 <= stop ? getU16(b, rec + IGMPV3_GREC_OFF.nsrcs) : 0;
      rec += IGMPV3_RECORD_HLEN + 4 * (n + aux);
    }
  });
}

const recordSources: PerRecord = (L, rec, stop, V) => {
  const n = rec + 4 <= stop ? getU16(L.bytes, rec + IGMPV3_GREC_OFF.nsrcs) : 0;
  let p = rec + IGMPV3_RECORD_HLEN;
  for (let k = 0; k < n && p + 4 <= stop; k++, p += 4) V.push(getU32(L.bytes, p), p, 4);
};

function recordField(
  rel: number,
  size: number,
  value: (b: Uint8Array, p: number) => number,
): PerRecord {
  return (L, rec, stop, V) => {
    if (rec + rel + size <= stop) V.push(value(L.bytes, rec + rel), rec + rel, size);
  };
}

const O = IGMP_OFF;
const G = IGMPV3_GREC_OFF;
const byte = (b: Uint8Array, p: number): number => b[p];

const readers: Record<string, Collect> = {
  igmp: wholeLayer(L_IGMP),
  'igmp.version': each(L_IGMP, (L, _i, at, stop, V) => {
    if (at >= stop) return;
    const v = version(L, at, stop);
    if (v > 0) V.push(v, at, 0);
  }),
  'igmp.type': u8(L_IGMP, O.type),
  'igmp.max_resp': each(L_IGMP, (L, _i, at, stop, V) => {
    if (at + 2 > stop) return;
    const v = version(L, at, stop);
    if ((v === 2 || v === 3) && L.bytes[at] !== IGMPV3_HOST_MEMBERSHIP_REPORT) {
      const code = L.bytes[at + O.code];
      V.push(v === 3 ? igmpv3DecodeTime(code) : code, at + O.code, 1);
    }
  }),
  'igmp.reserved': each(L_IGMP, (L, _i, at, stop, V) => {
    if (at + 2 > stop) return;
    const report = L.bytes[at] === IGMPV3_HOST_MEMBERSHIP_REPORT;
    if (version(L, at, stop) === 1 || report) V.push(0, at + O.code, 1);
    if (report && at + O.resv2 + 2 <= stop) V.push(0, at + O.resv2, 2);
  }),
  'igmp.checksum': u16(L_IGMP, O.csum),
  'igmp.checksum.status': each(L_IGMP, (L, _i, at, stop, V) => {
    if (at + 4 <= stop) V.push(igmpChecksumStatus(L, at, stop), at + O.csum, 0);
  }),
  'igmp.maddr': both(
    each(L_IGMP, (L, _i, at, stop, V) => {
      if (at < stop && igmpKnown(L.bytes[at]) && at + O.group + 4 <= stop)
        V.push(getU32(L.bytes, at + O.group), at + O.group, 4);
    }),
    records(recordField(G.mca, 4, getU32)),
  ),
  'igmp.s': query(O.qrv, 1, (b, p) => (b[p] >> 3) & 1),
  'igmp.qrv': query(O.qrv, 1, (b, p) => b[p] & 7),
  'igmp.qqic': query(O.qqic, 1, byte),
  'igmp.num_src': both(query(O.nsrcs, 2, getU16), records(recordField(G.nsrcs, 2, getU16))),
  'igmp.saddr': both(
    each(L_IGMP, (L, _i, at, stop, V) => {
      if (at >= stop || !igmpKnown(L.bytes[at]) || version(L, at, stop) !== 3) return;
      if (at + IGMPV3_QUERY_HLEN > stop) return;
      const n = getU16(L.bytes, at + O.nsrcs);
      let p = at + IGMPV3_QUERY_HLEN;
      for (let k = 0; k < n && p + 4 <= stop; k++, p += 4) V.push(getU32(L.bytes, p), p, 4);
    }),
    records(recordSources),
  ),
  'igmp.num_grp_recs': each(L_IGMP, (L, _i, at, stop, V) => {
    if (at < stop && L.bytes[at] === IGMPV3_HOST_MEMBERSHIP_REPORT && at + IGMP_HLEN <= stop)
      V.push(getU16(L.bytes, at + O.ngrec), at + O.ngrec, 2);
  }),
  'igmp.record': records((L, rec, stop, V) => {
    const b = L.bytes;
    const aux = rec + 2 <= stop ? b[rec + G.auxwords] : 0;
    const n = rec + 4 <= stop ? getU16(b, rec + G.nsrcs) : 0;
    const end = Math.min(rec + IGMPV3_RECORD_HLEN + 4 * (n + aux), stop);
    V.push(0, rec, end - rec);
  }),
  'igmp.record_type': records(recordField(G.type, 1, byte)),
  'igmp.aux_data_len': records(recordField(G.auxwords, 1, byte)),
  'igmp.aux_data': records((L, rec, stop, V) => {
    const b = L.bytes;
    const aux = rec + 2 <= stop ? b[rec + G.auxwords] : 0;
    if (aux === 0 || rec + 4 > stop) return;
    const p = rec + IGMPV3_RECORD_HLEN + 4 * getU16(b, rec + G.nsrcs);
    if (p > stop) return; // the sources did not all fit
    const end = Math.min(p + 4 * aux, stop);
    if (end > p) V.push(0, p, end - p);
  }),
};

export const IGMP: Protocol = {
  name: 'igmp',
  kind: L_IGMP,
  fields,
  readers,
  tree: igmpTree,
  info: igmpInfo,
};
