import { ByteVerdicts, type SkbLender } from '../skb/lender';
import { NET_SKB_PAD } from '../skb/truesize';
import { hashBin512, hashBin64 } from '../wire/crc32';
import { macKey } from '../wire/mac';

/** The last destination whose hash bin was computed, and its bin (a pure function's memo). */
let lastBinKey = -1;
let lastBin = 0;

/**
 * The boundary between a NIC's MAC and the cable, as the NIC sees it. The
 * segment implements `Phy` for each attached NIC and calls the NIC's `MacPort`.
 * Keeping the interface here lets drivers know nothing of the medium.
 */

/**
 * A frame as it crosses the wire: destination first, FCS last. Pooled by the
 * medium. Once on the wire its bytes do not change (a bit error strikes before
 * any NIC sees them), so receivers reference them instead of copying them
 * (`SkbLender`), and the medium reuses the frame when the last lets go.
 */
export class PhyFrame implements SkbLender {
  readonly verdicts = new ByteVerdicts();
  /** Length on the wire after the preamble, FCS included. */
  len = 0;
  /** Destination MAC as a 48-bit integer (see `addressChanged`). */
  destKey = 0;
  /** False once a bit error has hit the frame: every receiver's FCS check fails. */
  fcsOk = true;
  /** Serial number on the medium: the frame's identity in captures and fate records. */
  seq = 0;
  /** Simulated time its first bit went on the wire. */
  startTime = 0;
  /** The number (SkBuff.id) of the buffer the sending NIC made it from, 0 if none. */
  txSkbId = 0;
  /** The medium's reference and the receive buffers' that read the bytes. */
  private refs = 0;
  private bin = -1;
  private bin512 = -1;
  /** `buf` as a DataView: word reads for the FCS (`padAndAppendFcs`). */
  readonly view: DataView;

  /**
   * A frame whose bytes are `buf`. Only a frame made by `withHeadroom` can be
   * lent to receive buffers; others are copied into them.
   */
  constructor(
    /** The frame's bytes, destination first. */
    readonly buf: Uint8Array,
    private readonly recycle: ((frame: PhyFrame) => void) | null = null,
    /** `buf` with NET_SKB_PAD bytes in front: where a receive buffer's data starts. */
    readonly backing: Uint8Array | null = null,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** A frame of `capacity` bytes laid out to be lent; `recycle` takes it back when no one holds it. */
  static withHeadroom(capacity: number, recycle: (frame: PhyFrame) => void): PhyFrame {
    const backing = new Uint8Array(NET_SKB_PAD + capacity);
    return new PhyFrame(backing.subarray(NET_SKB_PAD), recycle, backing);
  }

  /** SkbLender: the bytes as a receive buffer lays out its data area. */
  get lent(): Uint8Array {
    return this.backing!;
  }

  hold(): void {
    this.refs++;
  }

  release(): void {
    if (--this.refs === 0) this.recycle?.(this);
    else if (this.refs < 0) throw new Error(`wire frame #${this.seq} released more than held`);
  }

  /** The destination's 64-bin multicast hash, computed once however many NICs ask. */
  hashBin(): number {
    if (this.bin < 0) {
      // A flood sends one address over and over: its CRC (48 rounds of bit shifts) once.
      if (this.destKey !== lastBinKey) {
        lastBinKey = this.destKey;
        lastBin = hashBin64(this.buf, 0);
      }
      this.bin = lastBin;
    }
    return this.bin;
  }

  /** The destination's 512-bin hash (a 21x4x's setup frame), computed once however many ask. */
  hashBin512(): number {
    if (this.bin512 < 0) this.bin512 = hashBin512(this.buf, 0);
    return this.bin512;
  }

  /** Re-reads the destination after the bytes changed (a new frame, or a bit error). */
  addressChanged(): void {
    this.destKey = macKey(this.buf, 0);
    this.bin = -1;
    this.bin512 = -1;
  }

  /** Makes the frame ready for new contents; the medium holds it until `release`. */
  reset(): void {
    this.len = 0;
    this.fcsOk = true;
    this.bin = -1;
    this.bin512 = -1;
    this.refs = 1;
    this.txSkbId = 0;
    this.verdicts.clear();
  }
}

/** How a transmission ended. */
export const TX_OK = 0;
/** Sixteen collisions in a row: the frame was given up (`tx_aborted_errors`). */
export const TX_ABORTED = 1;
/** No carrier: the cable is unplugged (`tx_carrier_errors`). */
export const TX_CARRIER = 2;
/** A collision after the first slot time (`tx_window_errors`): the segment is too long. */
export const TX_LATE_COLLISION = 3;

/** A card's answer to `MacPort.rxVerdict`, which the medium may remember per destination. */
/** The card may take the frame: its whole receive path runs. */
export const RXV_TAKE = 1;
/** The card's address filter turns the frame away. */
export const RXV_REJECT = 2;
/** The card's receiver is off: the frame passes it by without a trace. */
export const RXV_IGNORE = 3;

/** What the medium offers one NIC. */
export interface Phy {
  /** A free frame buffer, for at least `len` bytes (FCS included), to fill and pass to `transmit`. */
  allocFrame(len?: number): PhyFrame;
  /** Starts sending when the medium allows; `MacPort.txDone` follows. One frame at a time. */
  transmit(frame: PhyFrame): void;
  /** Whether the cable is plugged in. */
  readonly carrier: boolean;
  /** The card's `rxVerdict` may have changed (filter, own address, receiver on or off). */
  rxFilterChanged?(): void;
  /** Frames the medium saw this card's filter reject since the last call (see `rxVerdict`). */
  takeRejects?(): number;
}

/** What the medium calls on a NIC. */
export interface MacPort {
  readonly name: string;
  /**
   * A whole frame reached this NIC; `frame` may be reused once the call
   * returns, unless the NIC holds it (`hold`, then `release`).
   */
  receive(frame: PhyFrame): void;
  /**
   * What `receive` would do with a frame to this destination, without doing it
   * (RXV_*): with it the medium may skip `receive` for a reject and count it
   * for the card instead (`Phy.takeRejects`). The answer must depend only on
   * the destination and state whose changes the card reports (`rxFilterChanged`).
   */
  rxVerdict?(frame: PhyFrame): number;
  /** The frame passed to `transmit` is gone: `status` is one of TX_*. */
  txDone(status: number, collisions: number): void;
  carrierChanged(on: boolean): void;
}
