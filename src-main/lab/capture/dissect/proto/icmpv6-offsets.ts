/**
 * Byte offsets of ICMPv6's fields (RFC 4443, Linux's struct icmp6hdr), of Neighbor Discovery's
 * messages and options (RFC 4861) and of MLD's (RFC 2710, RFC 3810), from the message's start.
 * The lab has no ICMPv6 wire view: the dissector is the only reader, and this its one table.
 */
export const ICMP6_OFF = {
  type: 0,
  code: 1,
  checksum: 2,
  /** The second word: echo id and sequence, Packet Too Big's MTU, Parameter Problem's pointer. */
  identifier: 4,
  sequence: 6,
  mtu: 4,
  pointer: 4,
} as const;
export const ICMP6_HLEN = 8;

export const ND_OFF = {
  /** Neighbor Solicitation, Advertisement and Redirect: the target. */
  target: 8,
  /** Neighbor Advertisement: the R, S and O flags in the second word. */
  naFlags: 4,
  /** Redirect: the destination after the target. */
  redirectDest: 24,
  /** Router Advertisement. */
  curHopLimit: 4,
  raFlags: 5,
  routerLifetime: 6,
  reachableTime: 8,
  retransTimer: 12,
} as const;

/** Where each ND message's options start. */
export const ND_OPTIONS_AT: Readonly<Record<number, number>> = {
  133: 8,
  134: 16,
  135: 24,
  136: 24,
  137: 40,
};

/** An ND option: type, length in 8-byte units; then each type's fields. */
export const ND_OPT_OFF = {
  type: 0,
  length: 1,
  linkAddr: 2,
  prefixLength: 2,
  prefixFlags: 3,
  validLifetime: 4,
  preferredLifetime: 8,
  prefix: 16,
  mtu: 4,
} as const;

export const MLD_OFF = {
  maxResponse: 4,
  address: 8,
  /** MLDv2 query (28 bytes or more). */
  flags: 24,
  qqic: 25,
  numSources: 26,
  sources: 28,
  /** MLDv2 report. */
  numRecords: 6,
  records: 8,
} as const;
export const MLDV2_QUERY_LEN = 28;

/** An MLDv2 multicast address record. */
export const MLD_REC_OFF = { type: 0, auxLen: 1, numSources: 2, address: 4, sources: 20 } as const;

export const ICMPV6_DEST_UNREACH = 1;
export const ICMPV6_PKT_TOOBIG = 2;
export const ICMPV6_TIME_EXCEED = 3;
export const ICMPV6_PARAMPROB = 4;
export const ICMPV6_ECHO_REQUEST = 128;
export const ICMPV6_ECHO_REPLY = 129;
export const ICMPV6_MGM_QUERY = 130;
export const ICMPV6_MGM_REPORT = 131;
export const ICMPV6_MGM_REDUCTION = 132;
export const NDISC_ROUTER_SOLICITATION = 133;
export const NDISC_ROUTER_ADVERTISEMENT = 134;
export const NDISC_NEIGHBOUR_SOLICITATION = 135;
export const NDISC_NEIGHBOUR_ADVERTISEMENT = 136;
export const NDISC_REDIRECT = 137;
export const ICMPV6_MLD2_REPORT = 143;

/** Where an MLDv2 record at `rec` ends: after its sources and auxiliary words. */
export function mldRecordEnd(b: Uint8Array, rec: number): number {
  const n = (b[rec + MLD_REC_OFF.numSources] << 8) | b[rec + MLD_REC_OFF.numSources + 1];
  return rec + MLD_REC_OFF.sources + 16 * n + 4 * b[rec + MLD_REC_OFF.auxLen];
}
