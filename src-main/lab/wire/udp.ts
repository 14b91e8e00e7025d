import { EMPTY_BYTES, getU16, setU16 } from './bytes';
import { onesSum, foldChecksum, pseudoHeaderSum } from './checksum';
import { IPPROTO_UDP } from './ipv4';

/**
 * The UDP header (RFC 768) as a view over the datagram. The checksum covers an
 * IPv4 pseudo-header (source, destination, protocol 17, UDP length) and the
 * datagram of `udpLength` bytes. Over IPv4 a zero checksum means "none"; a
 * computed zero is therefore sent as 0xffff.
 */

export const UDP_HLEN = 8;

/** Byte offsets of the header's fields (Linux's struct udphdr): the view and the dissector read them here. */
export const UDP_OFF = {
  source: 0,
  dest: 2,
  len: 4,
  check: 6,
} as const;

export const UDP_ERR_SHORT = 'shorter than a UDP header (8 bytes)';
export const UDP_ERR_LENGTH = 'length field below 8';
export const UDP_ERR_TRUNCATED = 'length field beyond the IP payload';

export class UdpView {
  constructor(
    public bytes: Uint8Array = EMPTY_BYTES,
    public offset = 0,
    public length = bytes.length - offset,
  ) {}

  /** Re-points this view at another datagram and returns it. */
  at(bytes: Uint8Array, offset = 0, length = bytes.length - offset): this {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
    return this;
  }

  get srcPort(): number {
    return getU16(this.bytes, this.offset);
  }

  set srcPort(value: number) {
    setU16(this.bytes, this.offset, value);
  }

  get dstPort(): number {
    return getU16(this.bytes, this.offset + UDP_OFF.dest);
  }

  set dstPort(value: number) {
    setU16(this.bytes, this.offset + UDP_OFF.dest, value);
  }

  /** The header's length field (header and data), Linux's `uh->len`; not the view's `length`. */
  get udpLength(): number {
    return getU16(this.bytes, this.offset + UDP_OFF.len);
  }

  set udpLength(value: number) {
    setU16(this.bytes, this.offset + UDP_OFF.len, value);
  }

  get checksum(): number {
    return getU16(this.bytes, this.offset + UDP_OFF.check);
  }

  set checksum(value: number) {
    setU16(this.bytes, this.offset + UDP_OFF.check, value);
  }

  /** Where the data starts in `bytes`. */
  get payloadOffset(): number {
    return this.offset + UDP_HLEN;
  }

  get payloadLength(): number {
    return this.udpLength - UDP_HLEN;
  }

  /** True when the datagram checks against the pseudo-header, or carries no checksum (0). */
  verifyChecksum(src: number, dst: number): boolean {
    if (this.checksum === 0) return true;
    const length = this.udpLength;
    const sum = onesSum(
      this.bytes,
      this.offset,
      length,
      pseudoHeaderSum(src, dst, IPPROTO_UDP, length),
    );
    return foldChecksum(sum) === 0;
  }

  /** Computes the checksum over pseudo-header and `udpLength` bytes and stores it (0 as 0xffff). */
  fillChecksum(src: number, dst: number): void {
    const length = this.udpLength;
    setU16(this.bytes, this.offset + UDP_OFF.check, 0);
    const sum = onesSum(
      this.bytes,
      this.offset,
      length,
      pseudoHeaderSum(src, dst, IPPROTO_UDP, length),
    );
    setU16(this.bytes, this.offset + UDP_OFF.check, foldChecksum(sum) || 0xffff);
  }

  /**
   * '' when the header is whole and its length field fits in `available` bytes
   * (by default the view's length: the IP payload); else one of UDP_ERR_*,
   * all of which Linux counts as UDP InErrors. Bytes past `udpLength` are not
   * part of the datagram.
   */
  check(available = this.length): string {
    const inBuffer = this.bytes.length - this.offset;
    if (available > inBuffer) available = inBuffer;
    if (available < UDP_HLEN) return UDP_ERR_SHORT;
    const length = this.udpLength;
    if (length > available) return UDP_ERR_TRUNCATED;
    if (length < UDP_HLEN) return UDP_ERR_LENGTH;
    return '';
  }

  /** Writes the header at `at` with a zero checksum: fill it once the data is in place. */
  static write(
    bytes: Uint8Array,
    at: number,
    srcPort: number,
    dstPort: number,
    udpLength: number,
  ): void {
    setU16(bytes, at, srcPort);
    setU16(bytes, at + UDP_OFF.dest, dstPort);
    setU16(bytes, at + UDP_OFF.len, udpLength);
    setU16(bytes, at + UDP_OFF.check, 0);
  }
}
