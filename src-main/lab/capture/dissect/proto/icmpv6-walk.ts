import { getU16, getU32 } from '../../../wire/bytes';
import { formatIpv6 } from '../../../wire/ipv6-addr';
import { formatMac } from '../../../wire/mac';
import { CHECKSUM_STATUS_NAMES, field, type FieldDef } from '../field-types';
import type { FrameLayers } from '../layers';
import { hex, hexBytes } from '../names';
import type { Sink } from '../sink';
import {
  ICMP6_OFF,
  ICMPV6_DEST_UNREACH,
  ICMPV6_ECHO_REPLY,
  ICMPV6_ECHO_REQUEST,
  ICMPV6_MGM_QUERY,
  ICMPV6_MGM_REDUCTION,
  ICMPV6_MGM_REPORT,
  ICMPV6_MLD2_REPORT,
  ICMPV6_PARAMPROB,
  ICMPV6_PKT_TOOBIG,
  ICMPV6_TIME_EXCEED,
  MLD_OFF,
  MLD_REC_OFF,
  MLDV2_QUERY_LEN,
  mldRecordEnd,
  ND_OFF,
  ND_OPT_OFF,
  ND_OPTIONS_AT,
  NDISC_NEIGHBOUR_ADVERTISEMENT,
  NDISC_NEIGHBOUR_SOLICITATION,
  NDISC_REDIRECT,
  NDISC_ROUTER_ADVERTISEMENT,
} from './icmpv6-offsets';
import { icmpv6ChecksumStatus } from './icmpv6';

/**
 * The one walk over an ICMPv6 message: every field it has, in tree order, sent to a `Sink`
 * (the tree's, or a filter reader's). Field names and words are Wireshark's.
 */

export const ICMPV6_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'Destination Unreachable',
  2: 'Packet Too Big',
  3: 'Time Exceeded',
  4: 'Parameter Problem',
  128: 'Echo (ping) request',
  129: 'Echo (ping) reply',
  130: 'Multicast Listener Query',
  131: 'Multicast Listener Report',
  132: 'Multicast Listener Done',
  133: 'Router Solicitation',
  134: 'Router Advertisement',
  135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement',
  137: 'Redirect',
  143: 'Multicast Listener Report Message v2',
};

const CODE_NAMES: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  1: {
    0: 'no route to destination',
    1: 'communication with destination administratively prohibited',
    2: 'beyond scope of source address',
    3: 'address unreachable',
    4: 'Port unreachable',
    5: 'source address failed ingress/egress policy',
    6: 'reject route to destination',
    7: 'Error in Source Routing Header',
  },
  3: { 0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded' },
  4: {
    0: 'erroneous header field encountered',
    1: 'unrecognized Next Header type encountered',
    2: 'unrecognized IPv6 option encountered',
  },
};

/** The name of a code where the type names its codes, else ''. */
export function icmpv6CodeName(type: number, code: number): string {
  const names = CODE_NAMES[type];
  return names ? (names[code] ?? 'Unknown') : '';
}

const OPTION_NAMES: Readonly<Record<number, string>> = {
  1: 'Source link-layer address',
  2: 'Target link-layer address',
  3: 'Prefix information',
  4: 'Redirected header',
  5: 'MTU',
};

const RECORD_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'Include',
  2: 'Exclude',
  3: 'Changed to include',
  4: 'Changed to exclude',
  5: 'Allow new sources',
  6: 'Block old sources',
};

export const icmpv6FieldDefs: FieldDef[] = [
  field('icmpv6.type', 'uint', 'Type', ICMPV6_TYPE_NAMES),
  field('icmpv6.code', 'uint', 'Code'),
  field('icmpv6.checksum', 'uint', 'Checksum'),
  field('icmpv6.checksum.status', 'uint', 'Checksum Status', CHECKSUM_STATUS_NAMES),
  field('icmpv6.reserved', 'bytes', 'Reserved'),
  field('icmpv6.mtu', 'uint', 'MTU'),
  field('icmpv6.pointer', 'uint', 'Pointer'),
  field('icmpv6.echo.identifier', 'uint', 'Identifier'),
  field('icmpv6.echo.sequence_number', 'uint', 'Sequence'),
  field('icmpv6.nd.ns.target_address', 'ipv6', 'Target Address'),
  field('icmpv6.nd.na.flag', 'uint', 'Flags'),
  field('icmpv6.nd.na.flag.r', 'bool', 'Router'),
  field('icmpv6.nd.na.flag.s', 'bool', 'Solicited'),
  field('icmpv6.nd.na.flag.o', 'bool', 'Override'),
  field('icmpv6.nd.na.target_address', 'ipv6', 'Target Address'),
  field('icmpv6.nd.ra.cur_hop_limit', 'uint', 'Cur hop limit'),
  field('icmpv6.nd.ra.flag', 'uint', 'Flags'),
  field('icmpv6.nd.ra.flag.m', 'bool', 'Managed address configuration'),
  field('icmpv6.nd.ra.flag.o', 'bool', 'Other configuration'),
  field('icmpv6.nd.ra.router_lifetime', 'uint', 'Router lifetime (s)'),
  field('icmpv6.nd.ra.reachable_time', 'uint', 'Reachable time (ms)'),
  field('icmpv6.nd.ra.retrans_timer', 'uint', 'Retrans timer (ms)'),
  field('icmpv6.nd.rd.target_address', 'ipv6', 'Target Address'),
  field('icmpv6.opt', 'none', 'ICMPv6 Option'),
  field('icmpv6.opt.type', 'uint', 'Type', OPTION_NAMES),
  field('icmpv6.opt.length', 'uint', 'Length (8-byte units)'),
  field('icmpv6.opt.linkaddr', 'bytes', 'Link-layer address'),
  field('icmpv6.opt.src_linkaddr', 'bytes', 'Source Link-layer address'),
  field('icmpv6.opt.target_linkaddr', 'bytes', 'Target Link-layer address'),
  field('icmpv6.opt.prefix.length', 'uint', 'Prefix Length'),
  field('icmpv6.opt.prefix.flag', 'uint', 'Flag'),
  field('icmpv6.opt.prefix.flag.l', 'bool', 'On-link flag (L)'),
  field('icmpv6.opt.prefix.flag.a', 'bool', 'Autonomous address-configuration flag (A)'),
  field('icmpv6.opt.prefix.valid_lifetime', 'uint', 'Valid Lifetime'),
  field('icmpv6.opt.prefix.preferred_lifetime', 'uint', 'Preferred Lifetime'),
  field('icmpv6.opt.prefix', 'ipv6', 'Prefix'),
  field('icmpv6.opt.mtu', 'uint', 'MTU'),
  field('icmpv6.mld.maximum_response_delay', 'uint', 'Maximum Response Delay [ms]'),
  field('icmpv6.mld.maximum_response_code', 'uint', 'Maximum Response Code'),
  field('icmpv6.mld.multicast_address', 'ipv6', 'Multicast Address'),
  field('icmpv6.mld.flag.s', 'bool', 'Suppress Router-Side Processing'),
  field('icmpv6.mld.flag.qrv', 'uint', "Querier's Robustness Variable"),
  field('icmpv6.mld.qqi', 'uint', "QQIC (Querier's Query Interval Code)"),
  field('icmpv6.mld.nb_sources', 'uint', 'Number of Sources'),
  field('icmpv6.mld.source_address', 'ipv6', 'Source Address'),
  field('icmpv6.mldr.nb_mcast_records', 'uint', 'Number of Multicast Address Records'),
  field('icmpv6.mldr.mar', 'none', 'Multicast Address Record'),
  field('icmpv6.mldr.mar.record_type', 'uint', 'Record Type', RECORD_TYPE_NAMES),
  field('icmpv6.mldr.mar.aux_data_len', 'uint', 'Aux Data Len'),
  field('icmpv6.mldr.mar.nb_sources', 'uint', 'Number of Sources'),
  field('icmpv6.mldr.mar.multicast_address', 'ipv6', 'Multicast Address'),
  field('icmpv6.mldr.mar.source_address', 'ipv6', 'Source Address'),
];

/** Sends each field of ICMPv6 layer i, as far as its bytes go, to `s`. */
export function walkIcmpv6(L: FrameLayers, i: number, s: Sink): void {
  const b = L.bytes;
  const at = L.start[i];
  const stop = L.stop[i];
  const fits = (p: number, n: number) => p + n <= stop;
  const u8 = (name: string, p: number, title: string, text?: string) => {
    if (fits(p, 1)) s.field(name, p, 1, `${title}: ${text ?? b[p]}`, String(b[p]), b[p]);
  };
  const u16 = (name: string, p: number, title: string) => {
    if (fits(p, 2)) {
      const v = getU16(b, p);
      s.field(name, p, 2, `${title}: ${v}`, String(v), v);
    }
  };
  const u32 = (name: string, p: number, title: string) => {
    if (fits(p, 4)) {
      const v = getU32(b, p);
      s.field(name, p, 4, `${title}: ${v}`, String(v), v);
    }
  };
  const addr = (name: string, p: number, title: string) => {
    if (fits(p, 16)) {
      const v = formatIpv6(b, p);
      s.field(name, p, 16, `${title}: ${v}`, v);
    }
  };
  const bytes = (name: string, p: number, n: number, title: string) => {
    if (n > 0 && fits(p, n)) {
      const v = hexBytes(b, p, p + n);
      s.field(name, p, n, `${title}: ${v}`, v);
    }
  };
  if (!fits(at, 1)) return;
  const type = b[at];
  u8('icmpv6.type', at, 'Type', `${ICMPV6_TYPE_NAMES[type] ?? 'Unknown'} (${type})`);
  if (!fits(at + 1, 1)) return;
  const code = b[at + 1];
  const codeName = icmpv6CodeName(type, code);
  u8('icmpv6.code', at + 1, 'Code', codeName ? `${code} (${codeName})` : String(code));
  if (fits(at + ICMP6_OFF.checksum, 2)) {
    const sum = getU16(b, at + ICMP6_OFF.checksum);
    const status = icmpv6ChecksumStatus(L, i);
    const word = ['incorrect', 'correct', 'unverified', 'not present'][status];
    const p = at + ICMP6_OFF.checksum;
    s.field('icmpv6.checksum', p, 2, `Checksum: ${hex(sum, 4)} [${word}]`, hex(sum, 4), sum);
    const name = CHECKSUM_STATUS_NAMES[status];
    s.field('icmpv6.checksum.status', p, 0, `Checksum Status: ${name}`, name, status);
  }
  switch (type) {
    case ICMPV6_DEST_UNREACH:
    case ICMPV6_TIME_EXCEED:
      bytes('icmpv6.reserved', at + 4, 4, 'Reserved');
      return;
    case ICMPV6_PKT_TOOBIG:
      u32('icmpv6.mtu', at + ICMP6_OFF.mtu, 'MTU');
      return;
    case ICMPV6_PARAMPROB:
      u32('icmpv6.pointer', at + ICMP6_OFF.pointer, 'Pointer');
      return;
    case ICMPV6_ECHO_REQUEST:
    case ICMPV6_ECHO_REPLY:
      if (!fits(at + 4, 2)) return;
      s.field(
        'icmpv6.echo.identifier',
        at + 4,
        2,
        `Identifier: ${hex(getU16(b, at + 4), 4)}`,
        hex(getU16(b, at + 4), 4),
        getU16(b, at + 4),
      );
      u16('icmpv6.echo.sequence_number', at + ICMP6_OFF.sequence, 'Sequence');
      return;
    case ICMPV6_MGM_QUERY:
    case ICMPV6_MGM_REPORT:
    case ICMPV6_MGM_REDUCTION:
      mld(L, at, stop, type, s, u16, u8, addr, bytes);
      return;
    case ICMPV6_MLD2_REPORT:
      bytes('icmpv6.reserved', at + 4, 2, 'Reserved');
      mld2Report(b, at, stop, s, u8, u16, addr);
      return;
  }
  const opts = ND_OPTIONS_AT[type];
  if (opts === undefined) return;
  if (type === NDISC_ROUTER_ADVERTISEMENT) {
    u8('icmpv6.nd.ra.cur_hop_limit', at + ND_OFF.curHopLimit, 'Cur hop limit');
    if (fits(at + ND_OFF.raFlags, 1)) {
      const f = b[at + ND_OFF.raFlags];
      const p = at + ND_OFF.raFlags;
      s.field('icmpv6.nd.ra.flag', p, 1, `Flags: ${hex(f, 2)}`, hex(f, 2), f);
      s.field(
        'icmpv6.nd.ra.flag.m',
        p,
        1,
        `Managed address configuration: ${f >> 7}`,
        String(f >> 7),
        f >> 7,
      );
      s.field(
        'icmpv6.nd.ra.flag.o',
        p,
        1,
        `Other configuration: ${(f >> 6) & 1}`,
        String((f >> 6) & 1),
        (f >> 6) & 1,
      );
    }
    u16('icmpv6.nd.ra.router_lifetime', at + ND_OFF.routerLifetime, 'Router lifetime (s)');
    u32('icmpv6.nd.ra.reachable_time', at + ND_OFF.reachableTime, 'Reachable time (ms)');
    u32('icmpv6.nd.ra.retrans_timer', at + ND_OFF.retransTimer, 'Retrans timer (ms)');
  } else if (type === NDISC_NEIGHBOUR_ADVERTISEMENT) {
    if (fits(at + ND_OFF.naFlags, 4)) {
      const p = at + ND_OFF.naFlags;
      const f = getU32(b, p);
      s.field('icmpv6.nd.na.flag', p, 4, `Flags: ${hex(f, 8)}`, hex(f, 8), f);
      s.field('icmpv6.nd.na.flag.r', p, 4, `Router: ${f >>> 31}`, String(f >>> 31), f >>> 31);
      s.field(
        'icmpv6.nd.na.flag.s',
        p,
        4,
        `Solicited: ${(f >>> 30) & 1}`,
        String((f >>> 30) & 1),
        (f >>> 30) & 1,
      );
      s.field(
        'icmpv6.nd.na.flag.o',
        p,
        4,
        `Override: ${(f >>> 29) & 1}`,
        String((f >>> 29) & 1),
        (f >>> 29) & 1,
      );
    }
    addr('icmpv6.nd.na.target_address', at + ND_OFF.target, 'Target Address');
  } else {
    bytes('icmpv6.reserved', at + 4, 4, 'Reserved');
    if (type === NDISC_NEIGHBOUR_SOLICITATION)
      addr('icmpv6.nd.ns.target_address', at + ND_OFF.target, 'Target Address');
    if (type === NDISC_REDIRECT) {
      addr('icmpv6.nd.rd.target_address', at + ND_OFF.target, 'Target Address');
    }
  }
  ndOptions(b, at + opts, stop, s, u8, u32, addr);
}

type U = (name: string, p: number, title: string, text?: string) => void;
type A = (name: string, p: number, title: string) => void;
type B = (name: string, p: number, n: number, title: string) => void;

function ndOptions(
  b: Uint8Array,
  start: number,
  stop: number,
  s: Sink,
  u8: U,
  u32: U,
  addr: A,
): void {
  for (let p = start; p + 2 <= stop;) {
    const type = b[p];
    const units = b[p + ND_OPT_OFF.length];
    const len = units * 8;
    const name = OPTION_NAMES[type] ?? 'Unknown';
    const end = Math.min(p + Math.max(len, 2), stop);
    const mac = type <= 2 && len >= 8 && p + 8 <= stop ? ` : ${formatMac(b, p + 2)}` : '';
    s.open('icmpv6.opt', `ICMPv6 Option (${name}${mac})`, p, end);
    u8('icmpv6.opt.type', p, 'Type', `${name} (${type})`);
    u8('icmpv6.opt.length', p + 1, 'Length', `${units} (${len} bytes)`);
    if (len === 0 || p + len > stop) {
      s.close();
      return;
    }
    if ((type === 1 || type === 2) && len === 8) {
      const q = p + ND_OPT_OFF.linkAddr;
      const v = hexBytes(b, q, q + 6);
      s.field('icmpv6.opt.linkaddr', q, 6, `Link-layer address: ${formatMac(b, q)}`, v);
      const which = type === 1 ? 'icmpv6.opt.src_linkaddr' : 'icmpv6.opt.target_linkaddr';
      s.field(which, q, 6, `${name}: ${formatMac(b, q)}`, v);
    } else if (type === 3 && len === 32) {
      u8('icmpv6.opt.prefix.length', p + ND_OPT_OFF.prefixLength, 'Prefix Length');
      const f = b[p + ND_OPT_OFF.prefixFlags];
      const q = p + ND_OPT_OFF.prefixFlags;
      s.field('icmpv6.opt.prefix.flag', q, 1, `Flag: ${hex(f, 2)}`, hex(f, 2), f);
      s.field(
        'icmpv6.opt.prefix.flag.l',
        q,
        1,
        `On-link flag (L): ${f >> 7}`,
        String(f >> 7),
        f >> 7,
      );
      s.field(
        'icmpv6.opt.prefix.flag.a',
        q,
        1,
        `Autonomous address-configuration flag (A): ${(f >> 6) & 1}`,
        String((f >> 6) & 1),
        (f >> 6) & 1,
      );
      u32('icmpv6.opt.prefix.valid_lifetime', p + ND_OPT_OFF.validLifetime, 'Valid Lifetime');
      u32(
        'icmpv6.opt.prefix.preferred_lifetime',
        p + ND_OPT_OFF.preferredLifetime,
        'Preferred Lifetime',
      );
      addr('icmpv6.opt.prefix', p + ND_OPT_OFF.prefix, 'Prefix');
    } else if (type === 5 && len === 8) {
      u32('icmpv6.opt.mtu', p + ND_OPT_OFF.mtu, 'MTU');
    }
    s.close();
    p += len;
  }
}

function mld(
  L: FrameLayers,
  at: number,
  stop: number,
  type: number,
  s: Sink,
  u16: (name: string, p: number, title: string) => void,
  u8: U,
  addr: A,
  bytes: B,
): void {
  const b = L.bytes;
  const v2 = type === ICMPV6_MGM_QUERY && stop - at >= MLDV2_QUERY_LEN;
  if (v2)
    u16('icmpv6.mld.maximum_response_code', at + MLD_OFF.maxResponse, 'Maximum Response Code');
  else
    u16(
      'icmpv6.mld.maximum_response_delay',
      at + MLD_OFF.maxResponse,
      'Maximum Response Delay [ms]',
    );
  bytes('icmpv6.reserved', at + 6, 2, 'Reserved');
  addr('icmpv6.mld.multicast_address', at + MLD_OFF.address, 'Multicast Address');
  if (!v2) return;
  const f = b[at + MLD_OFF.flags];
  const p = at + MLD_OFF.flags;
  s.field(
    'icmpv6.mld.flag.s',
    p,
    1,
    `Suppress Router-Side Processing: ${(f >> 3) & 1}`,
    String((f >> 3) & 1),
    (f >> 3) & 1,
  );
  s.field('icmpv6.mld.flag.qrv', p, 1, `QRV: ${f & 7}`, String(f & 7), f & 7);
  u8('icmpv6.mld.qqi', at + MLD_OFF.qqic, 'QQIC');
  u16('icmpv6.mld.nb_sources', at + MLD_OFF.numSources, 'Number of Sources');
  const n = getU16(b, at + MLD_OFF.numSources);
  for (let k = 0, q = at + MLD_OFF.sources; k < n && q + 16 <= stop; k++, q += 16)
    addr('icmpv6.mld.source_address', q, 'Source Address');
}

function mld2Report(
  b: Uint8Array,
  at: number,
  stop: number,
  s: Sink,
  u8: U,
  u16: (name: string, p: number, title: string) => void,
  addr: A,
): void {
  if (at + MLD_OFF.numRecords + 2 > stop) return;
  u16(
    'icmpv6.mldr.nb_mcast_records',
    at + MLD_OFF.numRecords,
    'Number of Multicast Address Records',
  );
  const count = getU16(b, at + MLD_OFF.numRecords);
  let rec = at + MLD_OFF.records;
  for (let k = 0; k < count && rec + 4 <= stop; k++) {
    const type = b[rec + MLD_REC_OFF.type];
    const next = mldRecordEnd(b, rec);
    const group = rec + 20 <= stop ? formatIpv6(b, rec + MLD_REC_OFF.address) : '?';
    const typeName = RECORD_TYPE_NAMES[type] ?? 'Unknown';
    s.open(
      'icmpv6.mldr.mar',
      `Multicast Address Record ${typeName}: ${group}`,
      rec,
      Math.min(next, stop),
    );
    u8(
      'icmpv6.mldr.mar.record_type',
      rec + MLD_REC_OFF.type,
      'Record Type',
      `${typeName} (${type})`,
    );
    u8('icmpv6.mldr.mar.aux_data_len', rec + MLD_REC_OFF.auxLen, 'Aux Data Len');
    u16('icmpv6.mldr.mar.nb_sources', rec + MLD_REC_OFF.numSources, 'Number of Sources');
    addr('icmpv6.mldr.mar.multicast_address', rec + MLD_REC_OFF.address, 'Multicast Address');
    const n = getU16(b, rec + MLD_REC_OFF.numSources);
    for (let j = 0, q = rec + MLD_REC_OFF.sources; j < n && q + 16 <= stop; j++, q += 16)
      addr('icmpv6.mldr.mar.source_address', q, 'Source Address');
    s.close();
    rec = next;
  }
}
