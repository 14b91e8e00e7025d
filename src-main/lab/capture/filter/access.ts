import {
  PAYLOAD_HLEN,
  PAYLOAD_OFF_ID,
  PAYLOAD_OFF_SEQ,
  PAYLOAD_OFF_TIME,
} from '../../traffic/payload';
import { ARPHRD_ETHER, ARPHRD_IEEE802, arpOffsets } from '../../wire/arp';
import { getU16, getU32 } from '../../wire/bytes';
import { ETH_P_IP } from '../../wire/ethernet';
import { verifyInternetChecksum } from '../../wire/checksum';
import { crc32 } from '../../wire/crc32';
import {
  IGMP_HLEN,
  IGMP_HOST_LEAVE_MESSAGE,
  IGMP_HOST_MEMBERSHIP_QUERY,
  IGMPV1_HOST_MEMBERSHIP_REPORT,
  IGMPV2_HOST_MEMBERSHIP_REPORT,
  IGMPV3_HOST_MEMBERSHIP_REPORT,
  IGMPV3_QUERY_HLEN,
  IGMPV3_RECORD_HLEN,
  igmpv3DecodeTime,
} from '../../wire/igmp';
import { IPV4_HLEN } from '../../wire/ipv4';
import { macKey } from '../../wire/mac';
import { UDP_HLEN } from '../../wire/udp';
import { CHECKSUM_BAD, CHECKSUM_GOOD, CHECKSUM_UNVERIFIED } from '../dissect/fields';
import {
  FrameLayers,
  icmpHasIdSeq,
  L_ARP,
  L_DATA,
  L_ICMP,
  L_IGMP,
  L_IP,
  L_NETLAB,
  L_UDP,
  L_VLAN,
  L_SVLAN,
  isTag,
} from '../dissect/layers';
import { labTimeNs, type FrameMeta } from '../dissect/meta';
import { igmpVersion } from '../dissect/text';
import type { Values } from './values';

/**
 * The compiled filter's fast path: for each field, a function that pushes its
 * occurrences in the current frame straight from the bytes, over the layer
 * offsets `FrameLayers` found, without building the dissection tree. Each one
 * mirrors what `dissect` shows for that field, occurrence for occurrence
 * (a test checks the two agree on thousands of frames, mutated ones included).
 */

/** The frame a compiled filter is looking at. One per compiled filter, reused. */
export class FastFrame {
  readonly L = new FrameLayers();
  bytes: Uint8Array = new Uint8Array(0);
  at = 0;
  len = 0;
  meta!: FrameMeta;
}

export type Collect = (f: FastFrame, V: Values) => void;

type PerLayer = (
  L: FrameLayers,
  i: number,
  at: number,
  stop: number,
  V: Values,
  f: FastFrame,
) => void;

/** Runs `fn` for every layer of `kind` in the frame. */
function each(kind: number, fn: PerLayer): Collect {
  return (f, V) => {
    const L = f.L;
    let i = L.first[kind];
    if (i < 0) return;
    for (; i < L.n; i++) if (L.kind[i] === kind) fn(L, i, L.start[i], L.stop[i], V, f);
  };
}

function u8(kind: number, rel: number): Collect {
  return each(kind, (L, _i, at, stop, V) => {
    if (at + rel + 1 <= stop) V.push(L.bytes[at + rel], at + rel, 1);
  });
}

function u16(kind: number, rel: number): Collect {
  return each(kind, (L, _i, at, stop, V) => {
    if (at + rel + 2 <= stop) V.push(getU16(L.bytes, at + rel), at + rel, 2);
  });
}

function u32(kind: number, rel: number): Collect {
  return each(kind, (L, _i, at, stop, V) => {
    if (at + rel + 4 <= stop) V.push(getU32(L.bytes, at + rel), at + rel, 4);
  });
}

/** A field of `size` bytes at `rel` whose value `value` computes from the byte(s) at `at + rel`. */
function bits(
  kind: number,
  rel: number,
  size: number,
  need: number,
  value: (b: Uint8Array, p: number) => number,
): Collect {
  return each(kind, (L, _i, at, stop, V) => {
    if (at + rel + need <= stop) V.push(value(L.bytes, at + rel), at + rel, size);
  });
}

function both(a: Collect, b: Collect): Collect {
  return (f, V) => {
    a(f, V);
    b(f, V);
  };
}

function protocol(
  kind: number,
  headerLen: (L: FrameLayers, i: number, at: number, stop: number) => number,
  dataEnd: (L: FrameLayers, i: number, at: number, stop: number) => number,
): Collect {
  return each(kind, (L, i, at, stop, V) => {
    const end = Math.min(at + headerLen(L, i, at, stop), stop);
    V.push(0, at, end - at, dataEnd(L, i, at, stop));
  });
}

// ---- frame

const frameCollectors: Record<string, Collect> = {
  frame: (f, V) => V.push(0, f.at, f.len, f.at + f.len),
  'frame.number': (f, V) => V.push(f.meta.number, f.at, 0),
  'frame.time': (f, V) => V.push(0, f.at, 0),
  'frame.time_epoch': (f, V) => V.push(f.meta.timeNs, f.at, 0),
  'frame.time_delta': (f, V) => V.push(f.meta.sincePrevious(), f.at, 0),
  'frame.time_relative': (f, V) => V.push(f.meta.sinceFirst(), f.at, 0),
  'frame.len': (f, V) => V.push(f.meta.wireLength, f.at, 0),
  'frame.cap_len': (f, V) => V.push(f.len, f.at, 0),
  point: (f, V) => {
    const s = f.meta.point();
    if (s !== '') V.pushString(s);
  },
  direction: (f, V) => {
    const s = f.meta.direction();
    if (s !== '') V.pushString(s);
  },
  fate: (f, V) => {
    const s = f.meta.fate();
    if (s !== '') V.pushString(s);
  },
};

// ---- Ethernet

function ethHas(L: FrameLayers, at: number): boolean {
  return L.len >= at - L.base;
}

const ethAddr =
  (rel: number): Collect =>
  (f, V) => {
    const L = f.L;
    if (ethHas(L, L.base + rel + 6)) V.push(macKey(L.bytes, L.base + rel), L.base + rel, 6);
  };

const ethBit =
  (rel: number, shift: number): Collect =>
  (f, V) => {
    const L = f.L;
    if (ethHas(L, L.base + rel + 6)) V.push((L.bytes[L.base + rel] >> shift) & 1, L.base + rel, 3);
  };

const ethTypeOrLen =
  (wantLen: boolean): Collect =>
  (f, V) => {
    const L = f.L;
    if (L.len < 14) return;
    if (L.badType && L.tags === 0) return;
    const isLen = L.is8023 && L.tags === 0;
    if (isLen === wantLen) V.push(getU16(L.bytes, L.base + 12), L.base + 12, 2);
  };

/** Padding, trailer or FCS: what follows the outermost packet. */
function ethTail(which: 'padding' | 'trailer' | 'fcs' | 'fcs.status'): Collect {
  return (f, V) => {
    const L = f.L;
    if (L.len < 14) return;
    const padEnd = L.paddingEnd;
    if (which === 'padding') {
      if (padEnd > L.packetEnd) V.push(0, L.packetEnd, padEnd - L.packetEnd);
      return;
    }
    const fcsAt = L.fcsStart;
    if (which === 'trailer') {
      const end = fcsAt >= 0 ? fcsAt : L.end;
      if (end > padEnd) V.push(0, padEnd, end - padEnd);
      return;
    }
    if (fcsAt < 0) return;
    const b = L.bytes;
    if (which === 'fcs') {
      V.push(getU32(b, fcsAt), fcsAt, 4);
      return;
    }
    const sent =
      ((b[fcsAt + 3] << 24) | (b[fcsAt + 2] << 16) | (b[fcsAt + 1] << 8) | b[fcsAt]) >>> 0;
    V.push(crc32(b, L.base, fcsAt) === sent ? CHECKSUM_GOOD : CHECKSUM_BAD, fcsAt, 0);
  };
}

const ethCollectors: Record<string, Collect> = {
  eth: (f, V) => {
    const L = f.L;
    V.push(0, L.base, Math.min(14, L.len), L.end);
  },
  'eth.dst': ethAddr(0),
  'eth.src': ethAddr(6),
  'eth.addr': both(ethAddr(0), ethAddr(6)),
  'eth.dst.lg': ethBit(0, 1),
  'eth.dst.ig': ethBit(0, 0),
  'eth.src.lg': ethBit(6, 1),
  'eth.src.ig': ethBit(6, 0),
  'eth.lg': both(ethBit(0, 1), ethBit(6, 1)),
  'eth.ig': both(ethBit(0, 0), ethBit(6, 0)),
  'eth.type': ethTypeOrLen(false),
  'eth.len': ethTypeOrLen(true),
  'eth.invalid_lentype': (f, V) => {
    const L = f.L;
    if (L.len >= 14 && L.badType && L.tags === 0)
      V.push(getU16(L.bytes, L.base + 12), L.base + 12, 2);
  },
  'eth.padding': ethTail('padding'),
  'eth.trailer': ethTail('trailer'),
  'eth.fcs': ethTail('fcs'),
  'eth.fcs.status': ethTail('fcs.status'),
};

// ---- 802.1Q

const vlanTci = (value: (tci: number) => number, kind = L_VLAN): Collect =>
  each(kind, (L, _i, at, stop, V) => {
    if (at + 4 <= stop) V.push(value(getU16(L.bytes, at)), at, 2);
  });

const vlanType = (wantLen: boolean): Collect =>
  each(L_VLAN, (L, i, at, stop, V) => {
    if (at + 4 > stop) return;
    const last = i + 1 >= L.n || !isTag(L.kind[i + 1]);
    if ((last && L.is8023) === wantLen) V.push(getU16(L.bytes, at + 2), at + 2, 2);
  });

const vlanCollectors: Record<string, Collect> = {
  vlan: protocol(
    L_VLAN,
    () => 4,
    (L) => L.end,
  ),
  'vlan.priority': vlanTci((t) => t >> 13),
  'vlan.dei': vlanTci((t) => (t >> 12) & 1),
  'vlan.id': vlanTci((t) => t & 0xfff),
  'vlan.etype': vlanType(false),
  'vlan.len': vlanType(true),
  ieee8021ad: protocol(
    L_SVLAN,
    () => 4,
    (L) => L.end,
  ),
  'ieee8021ad.priority': vlanTci((t) => t >> 13, L_SVLAN),
  'ieee8021ad.dei': vlanTci((t) => (t >> 12) & 1, L_SVLAN),
  'ieee8021ad.id': vlanTci((t) => t & 0xfff, L_SVLAN),
};

// ---- ARP

/**
 * An ARP address (arpOffsets: `which` of sha, spa, tha, tpa), present as the tree shows it: only
 * when the whole packet was captured; a MAC (`mac`) for Ethernet hardware of 6 bytes, an IPv4
 * address (`ipv4`) for protocol 0x0800 of 4 bytes, else bytes (`bytes`).
 */
const arpAddr = (which: 'sha' | 'spa' | 'tha' | 'tpa', as: 'mac' | 'ipv4' | 'bytes'): Collect =>
  each(L_ARP, (L, _i, at, stop, V) => {
    const b = L.bytes;
    if (at + 8 > stop) return;
    const hln = b[at + 4];
    const pln = b[at + 5];
    const o = arpOffsets(hln, pln);
    if (at + o.len > stop) return;
    const hw = which === 'sha' || which === 'tha';
    const p = at + o[which];
    const size = hw ? hln : pln;
    const ether = hln === 6 && (getU16(b, at) === ARPHRD_ETHER || getU16(b, at) === ARPHRD_IEEE802);
    const ipv4 = pln === 4 && getU16(b, at + 2) === ETH_P_IP;
    const special = hw ? ether : ipv4;
    if (as === 'bytes') {
      if (!special && size > 0) V.push(0, p, size);
    } else if (special) V.push(as === 'mac' ? macKey(b, p) : getU32(b, p), p, size);
  });

const arpCollectors: Record<string, Collect> = {
  arp: protocol(
    L_ARP,
    () => 28,
    (_L, _i, at, stop) => Math.min(at + 28, stop),
  ),
  'arp.hw.type': u16(L_ARP, 0),
  'arp.proto.type': u16(L_ARP, 2),
  'arp.hw.size': u8(L_ARP, 4),
  'arp.proto.size': u8(L_ARP, 5),
  'arp.opcode': u16(L_ARP, 6),
  'arp.src.hw_mac': arpAddr('sha', 'mac'),
  'arp.src.hw': arpAddr('sha', 'bytes'),
  'arp.src.proto_ipv4': arpAddr('spa', 'ipv4'),
  'arp.src.proto': arpAddr('spa', 'bytes'),
  'arp.dst.hw_mac': arpAddr('tha', 'mac'),
  'arp.dst.hw': arpAddr('tha', 'bytes'),
  'arp.dst.proto_ipv4': arpAddr('tpa', 'ipv4'),
  'arp.dst.proto': arpAddr('tpa', 'bytes'),
};

// ---- IPv4

function ipHeaderLen(L: FrameLayers, _i: number, at: number): number {
  return Math.max((L.bytes[at] & 15) << 2, IPV4_HLEN);
}

function ipDataEnd(L: FrameLayers, i: number, at: number, stop: number): number {
  if (L.bad[i] !== '') return stop;
  const total = at + 4 <= stop ? getU16(L.bytes, at + 2) : 0;
  return Math.min(at + total, stop);
}

const ipFlag = (fn: (b: number) => number): Collect => bits(L_IP, 6, 1, 2, (b, p) => fn(b[p]));

const ipAddr = (rel: number): Collect => u32(L_IP, rel);

const ipCollectors: Record<string, Collect> = {
  ip: protocol(L_IP, ipHeaderLen, ipDataEnd),
  'ip.version': bits(L_IP, 0, 1, 1, (b, p) => b[p] >> 4),
  'ip.hdr_len': bits(L_IP, 0, 1, 1, (b, p) => (b[p] & 15) << 2),
  'ip.dsfield': u8(L_IP, 1),
  'ip.dsfield.dscp': bits(L_IP, 1, 1, 1, (b, p) => b[p] >> 2),
  'ip.dsfield.ecn': bits(L_IP, 1, 1, 1, (b, p) => b[p] & 3),
  'ip.len': u16(L_IP, 2),
  'ip.id': u16(L_IP, 4),
  'ip.flags': ipFlag((v) => v >> 5),
  'ip.flags.rb': ipFlag((v) => v >> 7),
  'ip.flags.df': ipFlag((v) => (v >> 6) & 1),
  'ip.flags.mf': ipFlag((v) => (v >> 5) & 1),
  'ip.frag_offset': bits(L_IP, 6, 2, 2, (b, p) => getU16(b, p) & 0x1fff),
  'ip.ttl': u8(L_IP, 8),
  'ip.proto': u8(L_IP, 9),
  'ip.checksum': u16(L_IP, 10),
  'ip.checksum.status': each(L_IP, (L, _i, at, stop, V) => {
    if (at + 12 > stop) return;
    const hl = (L.bytes[at] & 15) << 2;
    const status =
      hl >= IPV4_HLEN && at + hl <= stop
        ? verifyInternetChecksum(L.bytes, at, hl)
          ? CHECKSUM_GOOD
          : CHECKSUM_BAD
        : CHECKSUM_UNVERIFIED;
    V.push(status, at + 10, 0);
  }),
  'ip.src': ipAddr(12),
  'ip.dst': each(L_IP, (L, i, at, stop, V) => {
    if (at + 20 > stop) return;
    const d = L.ipDestination(i);
    V.push(getU32(L.bytes, d), d, 4);
  }),
  'ip.cur_rt': each(L_IP, (L, i, at, stop, V) => {
    if (at + 20 <= stop && L.ipDestination(i) !== at + 16)
      V.push(getU32(L.bytes, at + 16), at + 16, 4);
  }),
  'ip.addr': each(L_IP, (L, i, at, stop, V) => {
    if (at + 16 <= stop) V.push(getU32(L.bytes, at + 12), at + 12, 4);
    if (at + 20 > stop) return;
    const d = L.ipDestination(i);
    V.push(getU32(L.bytes, d), d, 4);
  }),
  'ip.opt.type': ipOptions(false),
  'ip.opt.len': ipOptions(true),
};

/** Each IP option's type byte, or its length byte (`len`), walking the options as the tree does. */
function ipOptions(len: boolean): Collect {
  return each(L_IP, (L, _i, at, stop, V) => {
    const b = L.bytes;
    const end = at + ((b[at] & 15) << 2);
    if (at >= stop || end <= at + IPV4_HLEN || end > stop) return;
    let p = at + IPV4_HLEN;
    while (p < end) {
      const type = b[p];
      if (!len) V.push(type, p, 1);
      if (type === 0) return;
      if (type === 1) {
        p++;
        continue;
      }
      if (p + 1 >= end) return;
      const n = b[p + 1];
      if (len) V.push(n, p + 1, 1);
      if (n < 2) return;
      p += n;
    }
  });
}

// ---- ICMP

/** An ICMP field of the second header word, present for the types `when` accepts. */
function icmpRest(
  rel: number,
  size: number,
  when: (type: number, code: number) => boolean,
  value: (b: Uint8Array, p: number) => number,
): Collect {
  return each(L_ICMP, (L, _i, at, stop, V) => {
    const b = L.bytes;
    // Each field as far as its own bytes were captured (an echo's id without its seq).
    if (at + rel + size > stop || at + 2 > stop || !when(b[at], b[at + 1])) return;
    if (at + 8 > stop && !isIdSeq(b[at])) return;
    V.push(value(b, at + rel), at + rel, size);
  });
}

const isIdSeq = (type: number): boolean => icmpHasIdSeq(type);
const swap16 = (v: number): number => ((v & 0xff) << 8) | (v >> 8);
const noValue = (): number => 0;
const isUnused4 = (t: number, c: number): boolean => (t === 3 && c !== 4) || t === 4 || t === 11;

const icmpCollectors: Record<string, Collect> = {
  icmp: protocol(
    L_ICMP,
    (_L, _i, at, stop) => stop - at,
    (_L, _i, _at, stop) => stop,
  ),
  'icmp.type': u8(L_ICMP, 0),
  'icmp.code': u8(L_ICMP, 1),
  'icmp.checksum': u16(L_ICMP, 2),
  'icmp.checksum.status': each(L_ICMP, (L, i, at, stop, V) => {
    if (at + 4 > stop) return;
    const whole = L.quoted[i] === 0 && !L.snapped && stop - at >= 8;
    const status = whole
      ? verifyInternetChecksum(L.bytes, at, stop - at)
        ? CHECKSUM_GOOD
        : CHECKSUM_BAD
      : CHECKSUM_UNVERIFIED;
    V.push(status, at + 2, 0);
  }),
  'icmp.ident': icmpRest(4, 2, isIdSeq, getU16),
  'icmp.ident_le': icmpRest(4, 2, isIdSeq, (b, p) => swap16(getU16(b, p))),
  'icmp.seq': icmpRest(6, 2, isIdSeq, getU16),
  'icmp.seq_le': icmpRest(6, 2, isIdSeq, (b, p) => swap16(getU16(b, p))),
  'icmp.unused': both(
    icmpRest(4, 2, (t, c) => t === 3 && c === 4, noValue),
    both(
      icmpRest(5, 3, (t) => t === 12, noValue),
      icmpRest(4, 4, isUnused4, noValue),
    ),
  ),
  'icmp.mtu': icmpRest(6, 2, (t, c) => t === 3 && c === 4, getU16),
  'icmp.redir_gw': icmpRest(4, 4, (t) => t === 5, getU32),
  'icmp.pointer': icmpRest(
    4,
    1,
    (t) => t === 12,
    (b, p) => b[p],
  ),
};

// ---- IGMP

function igmpVer(L: FrameLayers, at: number, stop: number): number {
  const length = stop - at;
  return igmpVersion(L.bytes[at], length, length > 1 ? L.bytes[at + 1] : 0);
}

function igmpKnown(type: number): boolean {
  return (
    type === IGMP_HOST_MEMBERSHIP_QUERY ||
    type === IGMPV1_HOST_MEMBERSHIP_REPORT ||
    type === IGMPV2_HOST_MEMBERSHIP_REPORT ||
    type === IGMP_HOST_LEAVE_MESSAGE
  );
}

/** A field of a v3 query (12 bytes or more). */
function igmpQuery(
  rel: number,
  size: number,
  value: (b: Uint8Array, p: number) => number,
): Collect {
  return each(L_IGMP, (L, _i, at, stop, V) => {
    if (at >= stop || !igmpKnown(L.bytes[at]) || igmpVer(L, at, stop) !== 3) return;
    if (at + 8 + 1 > stop) return; // the flags byte opens the v3 part
    if (at + rel + size <= stop) V.push(value(L.bytes, at + rel), at + rel, size);
  });
}

/** Each v3 report record: calls `fn(rec, next)` for the records that start inside the message. */
function igmpRecords(fn: (L: FrameLayers, rec: number, stop: number, V: Values) => void): Collect {
  return each(L_IGMP, (L, _i, at, stop, V) => {
    const b = L.bytes;
    if (at >= stop || b[at] !== IGMPV3_HOST_MEMBERSHIP_REPORT || at + 8 > stop) return;
    const count = getU16(b, at + 6);
    let rec = at + IGMP_HLEN;
    for (let k = 0; k < count && rec + 1 <= stop; k++) {
      fn(L, rec, stop, V);
      const aux = rec + 2 <= stop ? b[rec + 1] : 0;
      const n = rec + 4 <= stop ? getU16(b, rec + 2) : 0;
      rec += IGMPV3_RECORD_HLEN + 4 * (n + aux);
    }
  });
}

function recordSources(L: FrameLayers, rec: number, stop: number, V: Values): void {
  const n = rec + 4 <= stop ? getU16(L.bytes, rec + 2) : 0;
  let p = rec + IGMPV3_RECORD_HLEN;
  for (let k = 0; k < n && p + 4 <= stop; k++, p += 4) V.push(getU32(L.bytes, p), p, 4);
}

function recordField(
  rel: number,
  size: number,
  value: (b: Uint8Array, p: number) => number,
): (L: FrameLayers, rec: number, stop: number, V: Values) => void {
  return (L, rec, stop, V) => {
    if (rec + rel + size <= stop) V.push(value(L.bytes, rec + rel), rec + rel, size);
  };
}

const igmpCollectors: Record<string, Collect> = {
  igmp: protocol(
    L_IGMP,
    (_L, _i, at, stop) => stop - at,
    (_L, _i, _at, stop) => stop,
  ),
  'igmp.version': each(L_IGMP, (L, _i, at, stop, V) => {
    if (at >= stop) return;
    const v = igmpVer(L, at, stop);
    if (v > 0) V.push(v, at, 0);
  }),
  'igmp.type': u8(L_IGMP, 0),
  'igmp.max_resp': each(L_IGMP, (L, _i, at, stop, V) => {
    if (at + 2 > stop) return;
    const v = igmpVer(L, at, stop);
    if ((v === 2 || v === 3) && L.bytes[at] !== IGMPV3_HOST_MEMBERSHIP_REPORT) {
      const code = L.bytes[at + 1];
      V.push(v === 3 ? igmpv3DecodeTime(code) : code, at + 1, 1);
    }
  }),
  'igmp.reserved': each(L_IGMP, (L, _i, at, stop, V) => {
    if (at + 2 > stop) return;
    const report = L.bytes[at] === IGMPV3_HOST_MEMBERSHIP_REPORT;
    if (igmpVer(L, at, stop) === 1 || report) V.push(0, at + 1, 1);
    if (report && at + 6 <= stop) V.push(0, at + 4, 2);
  }),
  'igmp.checksum': u16(L_IGMP, 2),
  'igmp.checksum.status': each(L_IGMP, (L, _i, at, stop, V) => {
    if (at + 4 > stop) return;
    const whole = !L.snapped && stop - at >= IGMP_HLEN;
    const status = whole
      ? verifyInternetChecksum(L.bytes, at, stop - at)
        ? CHECKSUM_GOOD
        : CHECKSUM_BAD
      : CHECKSUM_UNVERIFIED;
    V.push(status, at + 2, 0);
  }),
  'igmp.maddr': both(
    each(L_IGMP, (L, _i, at, stop, V) => {
      if (at < stop && igmpKnown(L.bytes[at]) && at + 8 <= stop)
        V.push(getU32(L.bytes, at + 4), at + 4, 4);
    }),
    igmpRecords(recordField(4, 4, getU32)),
  ),
  'igmp.s': igmpQuery(8, 1, (b, p) => (b[p] >> 3) & 1),
  'igmp.qrv': igmpQuery(8, 1, (b, p) => b[p] & 7),
  'igmp.qqic': igmpQuery(9, 1, (b, p) => b[p]),
  'igmp.num_src': both(igmpQuery(10, 2, getU16), igmpRecords(recordField(2, 2, getU16))),
  'igmp.saddr': both(
    each(L_IGMP, (L, _i, at, stop, V) => {
      if (at >= stop || !igmpKnown(L.bytes[at]) || igmpVer(L, at, stop) !== 3 || at + 12 > stop)
        return;
      const n = getU16(L.bytes, at + 10);
      let p = at + IGMPV3_QUERY_HLEN;
      for (let k = 0; k < n && p + 4 <= stop; k++, p += 4) V.push(getU32(L.bytes, p), p, 4);
    }),
    igmpRecords(recordSources),
  ),
  'igmp.num_grp_recs': each(L_IGMP, (L, _i, at, stop, V) => {
    if (at < stop && L.bytes[at] === IGMPV3_HOST_MEMBERSHIP_REPORT && at + 8 <= stop)
      V.push(getU16(L.bytes, at + 6), at + 6, 2);
  }),
  'igmp.record': igmpRecords((L, rec, stop, V) => {
    const b = L.bytes;
    const aux = rec + 2 <= stop ? b[rec + 1] : 0;
    const n = rec + 4 <= stop ? getU16(b, rec + 2) : 0;
    const end = Math.min(rec + IGMPV3_RECORD_HLEN + 4 * (n + aux), stop);
    V.push(0, rec, end - rec);
  }),
  'igmp.record_type': igmpRecords(recordField(0, 1, (b, p) => b[p])),
  'igmp.aux_data_len': igmpRecords(recordField(1, 1, (b, p) => b[p])),
  'igmp.aux_data': igmpRecords((L, rec, stop, V) => {
    const b = L.bytes;
    const aux = rec + 2 <= stop ? b[rec + 1] : 0;
    if (aux === 0 || rec + 4 > stop) return;
    const p = rec + IGMPV3_RECORD_HLEN + 4 * getU16(b, rec + 2);
    if (p > stop) return; // the sources did not all fit
    const end = Math.min(p + 4 * aux, stop);
    if (end > p) V.push(0, p, end - p);
  }),
};

// ---- UDP

function udpLengthValid(L: FrameLayers, i: number, at: number, stop: number): boolean {
  if (L.bad[i] !== '' || at + 6 > stop) return false;
  const length = getU16(L.bytes, at + 4);
  return length >= UDP_HLEN && at + length <= stop;
}

function udpDataEnd(L: FrameLayers, i: number, at: number, stop: number): number {
  return udpLengthValid(L, i, at, stop) ? at + getU16(L.bytes, at + 4) : stop;
}

const udpCollectors: Record<string, Collect> = {
  udp: protocol(L_UDP, () => UDP_HLEN, udpDataEnd),
  'udp.srcport': u16(L_UDP, 0),
  'udp.dstport': u16(L_UDP, 2),
  'udp.port': both(u16(L_UDP, 0), u16(L_UDP, 2)),
  'udp.length': u16(L_UDP, 4),
  'udp.checksum': u16(L_UDP, 6),
  'udp.checksum.status': each(L_UDP, (L, i, at, stop, V) => {
    if (at + 8 <= stop) V.push(L.udpChecksumStatus(i), at + 6, 0);
  }),
  'udp.payload': each(L_UDP, (L, i, at, stop, V) => {
    const end = udpDataEnd(L, i, at, stop);
    if (end > at + UDP_HLEN) V.push(0, at + UDP_HLEN, end - at - UDP_HLEN);
  }),
};

// ---- the generators' payload

const netlabCollectors: Record<string, Collect> = {
  netlab: protocol(
    L_NETLAB,
    () => PAYLOAD_HLEN,
    (_L, _i, at, stop) => Math.min(at + PAYLOAD_HLEN, stop),
  ),
  'netlab.magic': each(L_NETLAB, (_L, _i, at, stop, V) => {
    if (at + 4 <= stop) V.push(0, at, 4);
  }),
  'netlab.gen': u16(L_NETLAB, PAYLOAD_OFF_ID),
  'netlab.seq': u32(L_NETLAB, PAYLOAD_OFF_SEQ),
  'netlab.sent': each(L_NETLAB, (L, _i, at, stop, V) => {
    if (at + PAYLOAD_OFF_TIME + 8 <= stop)
      V.push(L.payload.at(L.bytes, at, stop - at).sendTime, at + PAYLOAD_OFF_TIME, 8);
  }),
  'netlab.latency': each(L_NETLAB, (L, _i, at, stop, V, f) => {
    if (at + PAYLOAD_OFF_TIME + 8 <= stop) {
      V.push(
        labTimeNs(f.meta) - L.payload.at(L.bytes, at, stop - at).sendTime,
        at + PAYLOAD_OFF_TIME,
        0,
      );
    }
  }),
};

// ---- data and the malformed marker

const dataCollectors: Record<string, Collect> = {
  data: protocol(
    L_DATA,
    (_L, _i, at, stop) => stop - at,
    (_L, _i, _at, stop) => stop,
  ),
  'data.data': each(L_DATA, (_L, _i, at, stop, V) => V.push(0, at, stop - at)),
  'data.len': each(L_DATA, (_L, _i, at, stop, V) => V.push(stop - at, at, 0)),
  '_ws.short': (f, V) => {
    if (f.L.limited) V.push(0, f.at + f.len, 0);
  },
  '_ws.malformed': (f, V) => {
    const L = f.L;
    for (let i = 0; i < L.n; i++) if (L.bad[i] !== '') V.push(0, L.start[i], 0);
  },
};

const COLLECTORS: Record<string, Collect> = {
  ...frameCollectors,
  ...ethCollectors,
  ...vlanCollectors,
  ...arpCollectors,
  ...ipCollectors,
  ...icmpCollectors,
  ...igmpCollectors,
  ...udpCollectors,
  ...netlabCollectors,
  ...dataCollectors,
};

/** The fast collector of a field, or undefined for a name the dissector does not produce. */
export function fastCollector(name: string): Collect | undefined {
  return COLLECTORS[name];
}

/** Fields read from the capture's metadata alone: a filter of only these never parses the bytes. */
export const META_FIELDS = new Set(Object.keys(frameCollectors).filter((n) => n !== 'frame'));

/** Fields of the Ethernet header and its tags: a filter of only these (and metadata) parses no further. */
export const LINK_FIELDS = new Set([
  ...Object.keys(ethCollectors).filter((n) => !/^eth\.(padding|trailer|fcs)/.test(n)),
  ...Object.keys(vlanCollectors),
]);

/** Every field with a collector, for tests: every field in the registry has one. */
export const COLLECTED_FIELDS = Object.keys(COLLECTORS);
