import { EMPTY_BYTES, getU16, setU16, setU32 } from './bytes';
import { foldChecksum, internetChecksum, verifyInternetChecksum } from './checksum';

/**
 * The IPv4 header (RFC 791) as a view over the packet's bytes: getters read in
 * place, setters write in place, nothing is copied or allocated. Options are
 * left raw (`optionsOffset`, `optionsLength`). `at` re-points one view at the
 * next packet, so the receive path keeps a single view.
 */

export const IPV4_HLEN = 20;
/** Byte offsets of the header's fields (Linux's struct iphdr): the view and the dissector read them here. */
export const IPV4_OFF = {
  vihl: 0,
  tos: 1,
  totLen: 2,
  id: 4,
  fragOff: 6,
  ttl: 8,
  protocol: 9,
  check: 10,
  saddr: 12,
  daddr: 16,
} as const;

export const IPPROTO_ICMP = 1;
export const IPPROTO_IGMP = 2;
export const IPPROTO_UDP = 17;

/** Flag and offset bits of the 16-bit `fragOff` field, as Linux names them. */
export const IP_CE = 0x8000;
export const IP_DF = 0x4000;
export const IP_MF = 0x2000;
export const IP_OFFSET = 0x1fff;

/** Router Alert (RFC 2113), which IGMP messages carry: type 148, length 4, value 0. */
export const IPOPT_RA = 0x94;

/*
 * Why `check` rejects a packet. Linux's ip_rcv_core counts IPV4_ERR_TRUNCATED as
 * InTruncatedPkts and every other reason as InHdrErrors. It verifies the
 * checksum (InCsumErrors, and InHdrErrors too) after the header checks and
 * before the length ones; `check` leaves the checksum to `verifyChecksum`.
 */
export const IPV4_ERR_SHORT = 'shorter than an IPv4 header (20 bytes)';
export const IPV4_ERR_VERSION = 'version is not 4';
export const IPV4_ERR_IHL = 'header length (IHL) below 20 bytes';
export const IPV4_ERR_HEADER_TRUNCATED = 'header longer than the bytes received';
export const IPV4_ERR_TRUNCATED = 'total length beyond the bytes received';
export const IPV4_ERR_TOTAL_LENGTH = 'total length shorter than the header';

export class Ipv4View {
  constructor(
    public bytes: Uint8Array = EMPTY_BYTES,
    public offset = 0,
    public length = bytes.length - offset,
  ) {}

  /** Re-points this view at another packet and returns it. */
  at(bytes: Uint8Array, offset = 0, length = bytes.length - offset): this {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
    return this;
  }

  get version(): number {
    return this.bytes[this.offset] >> 4;
  }

  /** The raw IHL field, in 32-bit words as in Linux's `iph->ihl`. */
  get ihl(): number {
    return this.bytes[this.offset] & 0x0f;
  }

  /** The header length in bytes: IHL × 4. */
  get headerLength(): number {
    return (this.bytes[this.offset] & 0x0f) << 2;
  }

  get tos(): number {
    return this.bytes[this.offset + IPV4_OFF.tos];
  }

  get dscp(): number {
    return this.bytes[this.offset + IPV4_OFF.tos] >> 2;
  }

  get ecn(): number {
    return this.bytes[this.offset + IPV4_OFF.tos] & 3;
  }

  get totalLength(): number {
    return getU16(this.bytes, this.offset + IPV4_OFF.totLen);
  }

  set totalLength(value: number) {
    setU16(this.bytes, this.offset + IPV4_OFF.totLen, value);
  }

  get id(): number {
    return getU16(this.bytes, this.offset + IPV4_OFF.id);
  }

  set id(value: number) {
    setU16(this.bytes, this.offset + IPV4_OFF.id, value);
  }

  /** The raw 16-bit flags-and-offset field (Linux's `frag_off`): test it with IP_DF, IP_MF. */
  get fragOff(): number {
    return getU16(this.bytes, this.offset + IPV4_OFF.fragOff);
  }

  /** The three flag bits: 0b010 is DF, 0b001 is MF. */
  get flags(): number {
    return this.bytes[this.offset + IPV4_OFF.fragOff] >> 5;
  }

  get dontFragment(): boolean {
    return (this.bytes[this.offset + IPV4_OFF.fragOff] & 0x40) !== 0;
  }

  get moreFragments(): boolean {
    return (this.bytes[this.offset + IPV4_OFF.fragOff] & 0x20) !== 0;
  }

  /** The fragment's offset in bytes (the field counts 8-byte units). */
  get fragmentOffset(): number {
    return (getU16(this.bytes, this.offset + IPV4_OFF.fragOff) & IP_OFFSET) << 3;
  }

  /** Linux's ip_is_fragment: MF set or a nonzero offset. */
  get isFragment(): boolean {
    return (getU16(this.bytes, this.offset + IPV4_OFF.fragOff) & (IP_MF | IP_OFFSET)) !== 0;
  }

  get ttl(): number {
    return this.bytes[this.offset + IPV4_OFF.ttl];
  }

  set ttl(value: number) {
    this.bytes[this.offset + IPV4_OFF.ttl] = value;
  }

  get protocol(): number {
    return this.bytes[this.offset + IPV4_OFF.protocol];
  }

  get checksum(): number {
    return getU16(this.bytes, this.offset + IPV4_OFF.check);
  }

  set checksum(value: number) {
    setU16(this.bytes, this.offset + IPV4_OFF.check, value);
  }

  get src(): number {
    // The word is read here rather than through getU32: every received datagram asks, and
    // a group address (over 2^31) must not go through a call that boxes it.
    const b = this.bytes;
    const o = this.offset + IPV4_OFF.saddr;
    return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  }

  set src(value: number) {
    setU32(this.bytes, this.offset + IPV4_OFF.saddr, value);
  }

  get dst(): number {
    const b = this.bytes;
    const o = this.offset + IPV4_OFF.daddr;
    return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  }

  set dst(value: number) {
    setU32(this.bytes, this.offset + IPV4_OFF.daddr, value);
  }

  /** Where the options start in `bytes` (right after the fixed header). */
  get optionsOffset(): number {
    return this.offset + IPV4_HLEN;
  }

  get optionsLength(): number {
    return this.headerLength - IPV4_HLEN;
  }

  /** Where the payload starts in `bytes`. */
  get payloadOffset(): number {
    return this.offset + this.headerLength;
  }

  /** Total length less the header: the bytes past it (Ethernet padding) are not payload. */
  get payloadLength(): number {
    return this.totalLength - this.headerLength;
  }

  /** True when the header, options included, sums to -0. Call `check` first. */
  verifyChecksum(): boolean {
    return verifyInternetChecksum(this.bytes, this.offset, this.headerLength);
  }

  /** Computes the header checksum (options included) and stores it. */
  fillChecksum(): void {
    setU16(this.bytes, this.offset + IPV4_OFF.check, 0);
    setU16(
      this.bytes,
      this.offset + IPV4_OFF.check,
      internetChecksum(this.bytes, this.offset, this.headerLength),
    );
  }

  /**
   * '' when the header is well formed and `available` bytes (by default the
   * view's length) hold the whole packet; else the reason, one of IPV4_ERR_*.
   */
  check(available = this.length): string {
    const inBuffer = this.bytes.length - this.offset;
    if (available > inBuffer) available = inBuffer;
    if (available < IPV4_HLEN) return IPV4_ERR_SHORT;
    if (this.version !== 4) return IPV4_ERR_VERSION;
    const headerLength = this.headerLength;
    if (headerLength < IPV4_HLEN) return IPV4_ERR_IHL;
    if (headerLength > available) return IPV4_ERR_HEADER_TRUNCATED;
    const totalLength = this.totalLength;
    if (totalLength > available) return IPV4_ERR_TRUNCATED;
    if (totalLength < headerLength) return IPV4_ERR_TOTAL_LENGTH;
    return '';
  }

  /**
   * Writes a header at `at` and fills its checksum: 20 bytes without options,
   * or 24 with `routerAlert` (the Router Alert option, as IGMP sends). Returns
   * the header length. `fragOff` is the raw field: IP_DF, or 0.
   */
  static write(
    bytes: Uint8Array,
    at: number,
    tos: number,
    totalLength: number,
    id: number,
    fragOff: number,
    ttl: number,
    protocol: number,
    src: number,
    dst: number,
    routerAlert = false,
  ): number {
    const headerLength = routerAlert ? IPV4_HLEN + 4 : IPV4_HLEN;
    bytes[at] = 0x40 | (headerLength >> 2);
    bytes[at + IPV4_OFF.tos] = tos;
    setU16(bytes, at + IPV4_OFF.totLen, totalLength);
    setU16(bytes, at + IPV4_OFF.id, id);
    setU16(bytes, at + IPV4_OFF.fragOff, fragOff);
    bytes[at + IPV4_OFF.ttl] = ttl;
    bytes[at + IPV4_OFF.protocol] = protocol;
    setU16(bytes, at + IPV4_OFF.check, 0);
    setU32(bytes, at + IPV4_OFF.saddr, src);
    setU32(bytes, at + IPV4_OFF.daddr, dst);
    if (routerAlert) setU32(bytes, at + IPV4_HLEN, (IPOPT_RA << 24) | (4 << 16));
    // The header's 16-bit words summed from the values just written, not read back from the
    // bytes: the same sum (each masked as its bytes hold it), without a pass over the header.
    // Every datagram sent goes through here.
    let sum =
      (((0x40 | (headerLength >> 2)) << 8) | (tos & 0xff)) +
      (totalLength & 0xffff) +
      (id & 0xffff) +
      (fragOff & 0xffff) +
      (((ttl & 0xff) << 8) | (protocol & 0xff)) +
      ((src >>> 16) & 0xffff) +
      (src & 0xffff) +
      ((dst >>> 16) & 0xffff) +
      (dst & 0xffff);
    if (routerAlert) sum += (IPOPT_RA << 8) | 4;
    setU16(bytes, at + IPV4_OFF.check, foldChecksum(sum));
    return headerLength;
  }
}

/** IP options that route a datagram through listed hops (RFC 791): loose and strict source route. */
export const IPOPT_LSRR = 0x83;
export const IPOPT_SSRR = 0x89;

/**
 * Where the final destination of a source-routed datagram lies: the last address of its LSRR or
 * SSRR option (the header's destination is only the next hop), as an offset into `bytes`; -1
 * when the header at `at` (`hl` bytes, captured) has no such option. UDP's pseudo-header and
 * Wireshark's ip.dst take this address.
 */
export function ipv4RouteDestination(bytes: Uint8Array, at: number, hl: number): number {
  const end = at + hl;
  let p = at + IPV4_HLEN;
  while (p < end) {
    const type = bytes[p];
    if (type === 0) return -1;
    if (type === 1) {
      p++;
      continue;
    }
    if (p + 1 >= end) return -1;
    const len = bytes[p + 1];
    if (len < 2 || p + len > end) return -1;
    if ((type === IPOPT_LSRR || type === IPOPT_SSRR) && len >= 7) return p + len - 4;
    p += len;
  }
  return -1;
}
