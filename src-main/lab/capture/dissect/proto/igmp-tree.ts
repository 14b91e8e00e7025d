import { getU16, getU32 } from '../../../wire/bytes';
import {
  IGMP_HLEN,
  IGMP_OFF,
  IGMPV3_GREC_OFF,
  IGMPV3_HOST_MEMBERSHIP_REPORT,
  IGMPV3_QUERY_HLEN,
  IGMPV3_RECORD_HLEN,
  igmpv3DecodeTime,
} from '../../../wire/igmp';
import { formatIpv4 } from '../../../wire/ipv4-addr';
import { valueName } from '../field-types';
import { bitPrefix, hex, hexBytes } from '../names';
import type { Field, Tree } from '../tree';
import { leaf } from '../tree';
import {
  IGMP_RECORD_TYPE_NAMES,
  IGMP_TYPE_NAMES,
  igmpChecksumStatus,
  igmpKnown,
  igmpVersion,
} from './igmp';

/** The IGMP module's details tree: the header, a v3 query's sources, a v3 report's records. */

const O = IGMP_OFF;
const G = IGMPV3_GREC_OFF;

export function igmpTree(t: Tree, i: number): Field {
  const b = t.bytes;
  const at = t.L.start[i];
  const stop = t.stop;
  const length = stop - at;
  const node = t.proto('igmp', 'Internet Group Management Protocol', at, stop, stop);
  if (!t.fits(at, 1)) return node;
  const type = b[at + O.type];
  const version = igmpVersion(type, length, t.fits(at + O.code, 1) ? b[at + O.code] : 0);
  if (version > 0)
    node.children.push(
      leaf('igmp.version', `IGMP Version: ${version}`, String(version), at, at, version),
    );
  const typeText = `Type: ${valueName(IGMP_TYPE_NAMES, type)} (${hex(type, 2)})`;
  t.add(node, 'igmp.type', at + O.type, 1, typeText, hex(type, 2), type);
  const isV3Report = type === IGMPV3_HOST_MEMBERSHIP_REPORT;
  const reserved = (p: number, size: number) => {
    const v = hexBytes(b, p, p + size);
    t.add(node, 'igmp.reserved', p, size, `Reserved: ${v}`, v);
  };
  if (t.fits(at + O.code, 1)) {
    const code = b[at + O.code];
    if (version === 1 || isV3Report) reserved(at + O.code, 1);
    else if (version === 2 || version === 3) {
      // As Wireshark: the time in tenths of a second (a v3 code of 128 or more is a float).
      const tenths = version === 3 ? igmpv3DecodeTime(code) : code;
      const text = `Max Resp Time: ${(tenths / 10).toFixed(1)} sec (${hex(code, 2)})`;
      t.add(node, 'igmp.max_resp', at + O.code, 1, text, String(tenths), tenths);
    }
  }
  if (t.fits(at + O.csum, 2)) {
    const sum = getU16(b, at + O.csum);
    const status = igmpChecksumStatus(t.L, at, stop);
    t.checksum(node, 'igmp.checksum', 'Checksum', 'Checksum Status', at + O.csum, sum, status);
  }
  if (isV3Report) {
    reserved(at + O.resv2, 2);
    if (!t.fits(at + O.ngrec, 2)) return node;
    const count = getU16(b, at + O.ngrec);
    const text = `Num Group Records: ${count}`;
    t.add(node, 'igmp.num_grp_recs', at + O.ngrec, 2, text, String(count), count);
    let rec = at + IGMP_HLEN;
    for (let k = 0; k < count && t.fits(rec, 1); k++) rec = record(t, node, rec);
    return node;
  }
  if (!igmpKnown(type)) return node;
  t.ipv4(node, 'igmp.maddr', 'Multicast Address', at + O.group);
  if (version !== 3 || !t.fits(at + O.qrv, 1)) return node;
  const flags = b[at + O.qrv];
  const s = (flags >> 3) & 1;
  const sText = `${bitPrefix(flags, 0x08, 8)}S: ${s ? 'Suppress router side processing' : 'Do not suppress router side processing'}`;
  t.add(node, 'igmp.s', at + O.qrv, 1, sText, String(s), s);
  const qrv = flags & 7;
  t.add(
    node,
    'igmp.qrv',
    at + O.qrv,
    1,
    `${bitPrefix(flags, 0x07, 8)}QRV: ${qrv}`,
    String(qrv),
    qrv,
  );
  if (t.fits(at + O.qqic, 1)) {
    const q = b[at + O.qqic];
    t.add(node, 'igmp.qqic', at + O.qqic, 1, `QQIC: ${q}`, String(q), q);
  }
  if (!t.fits(at + O.nsrcs, 2)) return node;
  const n = getU16(b, at + O.nsrcs);
  t.add(node, 'igmp.num_src', at + O.nsrcs, 2, `Num Src: ${n}`, String(n), n);
  for (let k = 0, p = at + IGMPV3_QUERY_HLEN; k < n && t.fits(p, 4); k++, p += 4) {
    t.ipv4(node, 'igmp.saddr', 'Source Address', p);
  }
  return node;
}

/** A v3 group record at `rec`; returns where the next one starts. */
function record(t: Tree, parent: Field, rec: number): number {
  const b = t.bytes;
  const type = b[rec + G.type];
  const aux = t.fits(rec + G.auxwords, 1) ? b[rec + G.auxwords] : 0;
  const n = t.fits(rec + G.nsrcs, 2) ? getU16(b, rec + G.nsrcs) : 0;
  const next = rec + IGMPV3_RECORD_HLEN + 4 * (n + aux);
  const group = t.fits(rec + G.mca, 4) ? formatIpv4(getU32(b, rec + G.mca)) : '?';
  const typeName = valueName(IGMP_RECORD_TYPE_NAMES, type);
  const label = `Group Record : ${group}  ${typeName}`;
  const node = leaf('igmp.record', label, group, rec, Math.min(next, t.stop));
  parent.children.push(node);
  t.add(
    node,
    'igmp.record_type',
    rec + G.type,
    1,
    `Record Type: ${typeName} (${type})`,
    String(type),
    type,
  );
  t.add(node, 'igmp.aux_data_len', rec + G.auxwords, 1, `Aux Data Len: ${aux}`, String(aux), aux);
  if (t.fits(rec + G.nsrcs, 2))
    t.add(node, 'igmp.num_src', rec + G.nsrcs, 2, `Num Src: ${n}`, String(n), n);
  t.ipv4(node, 'igmp.maddr', 'Multicast Address', rec + G.mca);
  let p = rec + IGMPV3_RECORD_HLEN;
  let k = 0;
  for (; k < n && t.fits(p, 4); k++, p += 4) t.ipv4(node, 'igmp.saddr', 'Source Address', p);
  if (aux > 0 && k === n) {
    const end = Math.min(p + 4 * aux, t.stop);
    if (end > p) {
      const v = hexBytes(b, p, end);
      t.add(node, 'igmp.aux_data', p, end - p, `Aux Data: ${v}`, v);
    }
  }
  return next;
}
