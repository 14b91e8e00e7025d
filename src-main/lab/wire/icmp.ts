import { EMPTY_BYTES, getU16, getU32, setU16, setU32 } from './bytes';
import { internetChecksum, verifyInternetChecksum } from './checksum';

/**
 * ICMP for IPv4 (RFC 792) as a view over the message: the 8-byte header read in
 * place, the checksum over the whole message (the IP payload, `length` bytes).
 * Echo messages use the second word as identifier and sequence; errors carry
 * the offending IP header and 8 bytes of its payload at `payloadOffset`.
 */

export const ICMP_HLEN = 8;

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
    return this.bytes[this.offset + 1];
  }

  set code(value: number) {
    this.bytes[this.offset + 1] = value;
  }

  get checksum(): number {
    return getU16(this.bytes, this.offset + 2);
  }

  set checksum(value: number) {
    setU16(this.bytes, this.offset + 2, value);
  }

  /** Echo identifier (Linux ping uses its socket's port here). */
  get echoId(): number {
    return getU16(this.bytes, this.offset + 4);
  }

  get echoSequence(): number {
    return getU16(this.bytes, this.offset + 6);
  }

  /** The second header word whole: unused (0) in most errors, the next-hop MTU in FRAG_NEEDED. */
  get restOfHeader(): number {
    return getU32(this.bytes, this.offset + 4);
  }

  set restOfHeader(value: number) {
    setU32(this.bytes, this.offset + 4, value);
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
    setU16(this.bytes, this.offset + 2, 0);
    setU16(this.bytes, this.offset + 2, internetChecksum(this.bytes, this.offset, length));
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
    bytes[at + 1] = code;
    setU16(bytes, at + 2, 0);
    setU32(bytes, at + 4, rest);
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
    bytes[at + 1] = 0;
    setU16(bytes, at + 2, 0);
    setU16(bytes, at + 4, id);
    setU16(bytes, at + 6, sequence);
  }
}
