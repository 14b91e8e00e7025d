/**
 * Byte offsets of the IPv6 header's fields (Linux's struct ipv6hdr) and of its extension
 * headers' (struct ipv6_opt_hdr, struct frag_hdr, struct ipv6_rt_hdr). The lab has no IPv6 wire
 * view: the dissector is the only reader, and this its one table.
 */
export const IPV6_OFF = {
  /** Version (4 bits), traffic class (8), flow label (20). */
  vtcflow: 0,
  payloadLen: 4,
  nexthdr: 6,
  hopLimit: 7,
  saddr: 8,
  daddr: 24,
} as const;
export const IPV6_HLEN = 40;

/** An extension header: next header, length in 8-byte units less one (not a fragment's). */
export const IPV6_EXT_OFF = { nexthdr: 0, hdrlen: 1 } as const;
/** A routing header's type and segments left, after the two above. */
export const IPV6_RT_OFF = { type: 2, segmentsLeft: 3 } as const;
/** A fragment header: offset (13 bits), two reserved bits, M; identification. */
export const IPV6_FRAG_OFF = { reserved: 1, fragOff: 2, identification: 4 } as const;
export const IPV6_FRAG_HLEN = 8;

export const NEXTHDR_HOP = 0;
export const NEXTHDR_TCP = 6;
export const NEXTHDR_UDP = 17;
export const NEXTHDR_ROUTING = 43;
export const NEXTHDR_FRAGMENT = 44;
export const NEXTHDR_ICMP = 58;
export const NEXTHDR_NONE = 59;
export const NEXTHDR_DEST = 60;
