import { EMPTY_BYTES, getU16, getU32, setU16, setU32 } from './bytes';
import { internetChecksum, verifyInternetChecksum } from './checksum';

/**
 * ICMP for IPv4 (RFC 792) as a view over the message: the 8-byte header read in
 * place, the checksum over the whole message (the IP payload, `length` bytes).
 * Echo messages use the second word as identifier and sequence; errors carry
 * the offending IP header and 8 bytes of its payload at `payloadOffset`.
 */

export const ICMP_HLEN = 8;

/**
 * Byte offsets of the header's fields (Linux's struct icmphdr; the second word is its union `un`:
 * an echo's id and sequence, a redirect's gateway, frag-needed's mtu, a parameter problem's
 * pointer): the view and the dissector read them here.
 */
export const ICMP_OFF = {
  type: 0,
  code: 1,
  checksum: 2,
  id: 4,
  sequence: 6,
  gateway: 4,
  mtu: 6,
  pointer: 4,
} as const;

export const ICMP_ECHOREPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMP_PARAMETERPROB = 12;
/** Types above this are unknown and Linux counts them as InErrors (icmp_rcv). */
export const NR_ICMP_TYPES = 18;

/** Codes of ICMP_DEST_UNREACH. */
export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PROT_UNREACH = 2;
export const ICMP_PORT_UNREACH = 3;
export const ICMP_FRAG_NEEDED = 4;
/** Codes of ICMP_TIME_EXCEEDED. */
export const ICMP_EXC_TTL = 0;
export const ICMP_EXC_FRAGTIME = 1;

export const ICMP_ERR_SHORT = 'shorter than an ICMP header (8 bytes)';
export const ICMP_ERR_BEYOND_BUFFER = 'message length runs past the buffer';
export const ICMP_ERR_TYPE = 'unknown type';

export class IcmpView {
  constructor(
    public bytes: Uint8Array = EMPTY_BYTES,
    public offset = 0,
    public length = bytes.length - offset,
  ) {}

  /** Re-points this view at another message and returns it. */
  at(bytes: Uint8Array, offset = 0, length = bytes.length - offset): this {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
    return this;
  }

  get type(): number {
    return this.bytes[this.offset];
  }

  set type(value: number) {
    this.bytes[this.offset] = value;
  }

  get code(): number {
    return this.bytes[this.offset + ICMP_OFF.code];
  }

  set code(value: number) {
    this.bytes[this.offset + ICMP_OFF.code] = value;
  }

  get checksum(): number {
    return getU16(this.bytes, this.offset + ICMP_OFF.checksum);
  }

  set checksum(value: number) {
    setU16(this.bytes, this.offset + ICMP_OFF.checksum, value);
  }

  /** Echo identifier (Linux ping uses its socket's port here). */
  get echoId(): number {
    return getU16(this.bytes, this.offset + ICMP_OFF.id);
  }

  get echoSequence(): number {
    return getU16(this.bytes, this.offset + ICMP_OFF.sequence);
  }

  /** The second header word whole: unused (0) in most errors, the next-hop MTU in FRAG_NEEDED. */
  get restOfHeader(): number {
    return getU32(this.bytes, this.offset + ICMP_OFF.id);
  }

  set restOfHeader(value: number) {
    setU32(this.bytes, this.offset + ICMP_OFF.id, value);
  }

  /** Where the data after the header starts in `bytes`. */
  get payloadOffset(): number {
    return this.offset + ICMP_HLEN;
  }

  /** True when the first `length` bytes of the message sum to -0. */
  verifyChecksum(length = this.length): boolean {
    return verifyInternetChecksum(this.bytes, this.offset, length);
  }

  /** Computes the checksum over the first `length` bytes of the message and stores it. */
  fillChecksum(length = this.length): void {
    setU16(this.bytes, this.offset + ICMP_OFF.checksum, 0);
    setU16(
      this.bytes,
      this.offset + ICMP_OFF.checksum,
      internetChecksum(this.bytes, this.offset, length),
    );
  }

  /** '' when `length` bytes hold an ICMP header of a known type, else one of ICMP_ERR_*. */
  check(length = this.length): string {
    if (length < ICMP_HLEN) return ICMP_ERR_SHORT;
    if (length > this.bytes.length - this.offset) return ICMP_ERR_BEYOND_BUFFER;
    if (this.type > NR_ICMP_TYPES) return ICMP_ERR_TYPE;
    return '';
  }

  /** Writes an 8-byte header with a zero checksum: fill it once the payload is in place. */
  static write(bytes: Uint8Array, at: number, type: number, code: number, rest: number): void {
    bytes[at] = type;
    bytes[at + ICMP_OFF.code] = code;
    setU16(bytes, at + ICMP_OFF.checksum, 0);
    setU32(bytes, at + ICMP_OFF.id, rest);
  }

  /** Writes an echo request or reply header (checksum zero, as `write`). */
  static writeEcho(
    bytes: Uint8Array,
    at: number,
    type: number,
    id: number,
    sequence: number,
  ): void {
    bytes[at] = type;
    bytes[at + ICMP_OFF.code] = 0;
    setU16(bytes, at + ICMP_OFF.checksum, 0);
    setU16(bytes, at + ICMP_OFF.id, id);
    setU16(bytes, at + ICMP_OFF.sequence, sequence);
  }
}
