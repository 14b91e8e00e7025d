import { getU16, getU32 } from '../../../wire/bytes';
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
} from '../../../wire/igmp';
import { formatIpv4 } from '../../../wire/ipv4-addr';
import type { FrameLayers } from '../layers';
import { hex } from '../names';
import type { Summary } from '../protocol';
import { igmpRecordEnd, igmpVersion } from './igmp';

/** The IGMP module's Protocol and Info columns, worded as Wireshark words them. */

const O = IGMP_OFF;
const G = IGMPV3_GREC_OFF;

export function igmpInfo(L: FrameLayers, i: number, out: Summary): number {
  const b = L.bytes;
  const p = L.start[i];
  const stop = L.stop[i];
  const length = stop - p;
  out.protocol = 'IGMP';
  if (length < 1) return 0;
  const type = b[p + O.type];
  const version = igmpVersion(type, length, length > 1 ? b[p + O.code] : 0);
  if (version > 0) out.protocol = `IGMPv${version}`;
  out.info = text(b, p, stop, type, version);
  return 0;
}

function text(b: Uint8Array, p: number, stop: number, type: number, version: number): string {
  const group = p + 8 <= stop ? formatIpv4(getU32(b, p + O.group)) : '?';
  switch (type) {
    case IGMP_HOST_MEMBERSHIP_QUERY: {
      if (version === 1) return 'Membership Query';
      if (p + 8 > stop || getU32(b, p + O.group) === 0) return 'Membership Query, general';
      let s = `Membership Query, specific for group ${group}`;
      if (version === 3 && p + IGMPV3_QUERY_HLEN <= stop) {
        const n = getU16(b, p + O.nsrcs);
        if (n > 0)
          s += `, source${n > 1 ? 's' : ''} {${sources(b, p + IGMPV3_QUERY_HLEN, n, stop)}}`;
      }
      return s;
    }
    case IGMPV1_HOST_MEMBERSHIP_REPORT:
      return 'Membership Report';
    case IGMPV2_HOST_MEMBERSHIP_REPORT:
      return `Membership Report group ${group}`;
    case IGMP_HOST_LEAVE_MESSAGE:
      return `Leave Group ${group}`;
    case IGMPV3_HOST_MEMBERSHIP_REPORT: {
      let s = 'Membership Report';
      if (p + IGMP_HLEN > stop) return s;
      const count = getU16(b, p + O.ngrec);
      let rec = p + IGMP_HLEN;
      for (let k = 0; k < count && rec + IGMPV3_RECORD_HLEN <= stop; k++) {
        s += recordText(b, rec, stop);
        rec = igmpRecordEnd(b, rec);
      }
      return s;
    }
    default:
      return `Unknown Type:${hex(type, 2)}`;
  }
}

function sources(b: Uint8Array, at: number, n: number, stop: number): string {
  const list: string[] = [];
  for (let i = 0; i < n && at + 4 * i + 4 <= stop; i++)
    list.push(formatIpv4(getU32(b, at + 4 * i)));
  return list.join(', ');
}

/** Wireshark's words for a v3 group record in the Info column. */
function recordText(b: Uint8Array, rec: number, stop: number): string {
  const type = b[rec + G.type];
  const n = getU16(b, rec + G.nsrcs);
  const group = formatIpv4(getU32(b, rec + G.mca));
  const list = sources(b, rec + IGMPV3_RECORD_HLEN, n, stop);
  const s = n > 1 ? 's' : '';
  if (n === 0) {
    switch (type) {
      case 1:
      case 3:
        return ` / Leave group ${group}`;
      case 2:
      case 4:
        return ` / Join group ${group} for any sources`;
      case 5:
        return ` / Group ${group}, ALLOW_NEW_SOURCES but no source specified (?)`;
      case 6:
        return ` / Group ${group}, BLOCK_OLD_SOURCES but no source specified (?)`;
      default:
        return ` / Group ${group}, unknown record type (?)`;
    }
  }
  switch (type) {
    case 1:
    case 3:
      return ` / Join group ${group} for source${s} {${list}}`;
    case 2:
    case 4:
      return ` / Join group ${group}, for source${s} not in {${list}}`;
    case 5:
      return ` / Group ${group}, new source${s} {${list}}`;
    case 6:
      return ` / Group ${group}, block source${s} {${list}}`;
    default:
      return ` / Group ${group}, unknown record type (?)`;
  }
}
