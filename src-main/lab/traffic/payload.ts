import { EMPTY_BYTES, getU16, getU32, setU16, setU32 } from '../wire/bytes';

/**
 * The header a traffic generator writes at the start of every UDP payload, so
 * that a sink (and a dissector) can tell whose datagram it is, where it falls
 * in its stream and when it left:
 *
 *   0  magic         'NLAB' (0x4e 0x4c 0x41 0x42)
 *   4  generator id  u16, big-endian
 *   6  sequence      u32, big-endian: the generator's datagrams sent before this one
 *  10  send time     IEEE 754 binary64, big-endian: simulated ns at `sendto`
 *  18  (anything after is filler: zeros)
 *
 * Why these choices:
 * - 18 bytes is exactly what the smallest Ethernet frame carries over UDP/IPv4
 *   (60 − 14 − 20 − 8), so minimum-size floods are still measurable.
 * - The send time is a float64, not a u64: simulated time is a JavaScript
 *   number of ns and is often fractional (10,000 pps at 3 per µs…); its eight
 *   bytes travel bit for bit, so a sink recovers the exact value it was sent.
 *
 * Payloads shorter than 18 bytes are allowed: the generator writes the header
 * and the datagram carries the prefix that fits. `check` then says what is
 * missing, and a sink counts such datagrams as `unmeasured` (received, but
 * not attributable to a stream).
 */

export const PAYLOAD_MAGIC = 0x4e4c4142; // 'NLAB'
export const PAYLOAD_HLEN = 18;
export const PAYLOAD_OFF_ID = 4;
export const PAYLOAD_OFF_SEQ = 6;
export const PAYLOAD_OFF_TIME = 10;

export const PAYLOAD_ERR_SHORT = 'shorter than the netlab magic (4 bytes)';
export const PAYLOAD_ERR_MAGIC = "no 'NLAB' magic: not a netlab generator's payload";
export const PAYLOAD_ERR_TRUNCATED = 'netlab header truncated (under 18 bytes)';

/**
 * One 8-byte scratch area converts between a float64 and its bytes without
 * creating a view per datagram (and faster than a DataView's byte accessors).
 * Its bytes are in the platform's order, so they are copied reversed on a
 * little-endian machine. The lab runs on one thread and each use completes
 * before returning, so sharing it is safe.
 */
const scratchF64 = new Float64Array(1);
const scratchBytes = new Uint8Array(scratchF64.buffer);
/** Index of the scratch byte that holds the i-th byte in network order is i ^ flip. */
const flip = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 7 : 0;

export class PayloadView {
  constructor(
    public bytes: Uint8Array = EMPTY_BYTES,
    public offset = 0,
    public length = bytes.length - offset,
  ) {}

  /** Re-points this view at another payload and returns it, so one view serves every datagram. */
  at(bytes: Uint8Array, offset = 0, length = bytes.length - offset): this {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
    return this;
  }

  get magic(): number {
    return getU32(this.bytes, this.offset);
  }

  get generatorId(): number {
    return getU16(this.bytes, this.offset + PAYLOAD_OFF_ID);
  }

  get seq(): number {
    return getU32(this.bytes, this.offset + PAYLOAD_OFF_SEQ);
  }

  /** Simulated ns at which the generator called `sendto`. */
  get sendTime(): number {
    const b = this.bytes;
    const at = this.offset + PAYLOAD_OFF_TIME;
    for (let i = 0; i < 8; i++) scratchBytes[i ^ flip] = b[at + i];
    return scratchF64[0];
  }

  /**
   * '' when a whole header lies in the first `available` bytes (by default the
   * view's length, the UDP payload length); else one of PAYLOAD_ERR_*. With
   * PAYLOAD_ERR_TRUNCATED the magic is right and the fields that end within
   * `available` can still be shown.
   */
  check(available = this.length): string {
    const inBuffer = this.bytes.length - this.offset;
    if (available > inBuffer) available = inBuffer;
    if (available < 4) return PAYLOAD_ERR_SHORT;
    if (this.magic !== PAYLOAD_MAGIC) return PAYLOAD_ERR_MAGIC;
    if (available < PAYLOAD_HLEN) return PAYLOAD_ERR_TRUNCATED;
    return '';
  }

  /** Writes a whole header at `at`; the caller makes sure 18 bytes fit. */
  static write(
    bytes: Uint8Array,
    at: number,
    generatorId: number,
    seq: number,
    sendTime: number,
  ): void {
    setU32(bytes, at, PAYLOAD_MAGIC);
    setU16(bytes, at + PAYLOAD_OFF_ID, generatorId);
    setU32(bytes, at + PAYLOAD_OFF_SEQ, seq);
    PayloadView.writeSendTime(bytes, at, sendTime);
  }

  /** Rewrites only the send time of a header at `at`. */
  static writeSendTime(bytes: Uint8Array, at: number, sendTime: number): void {
    scratchF64[0] = sendTime;
    const t = at + PAYLOAD_OFF_TIME;
    for (let i = 0; i < 8; i++) bytes[t + i] = scratchBytes[i ^ flip];
  }
}
