import type { SkbLender } from '../skb/lender';
import type { SkBuff, SkbOwner } from '../skb/sk-buff';
import type { SkbPool } from '../skb/skb-pool';
import { NET_SKB_PAD } from '../skb/truesize';

/**
 * The receive descriptor ring: `size` buffers handed to the NIC in advance.
 * The NIC fills them in order at `fill` and writes back each descriptor's
 * status (length, time, filter verdict, wire frame number); the driver's poll
 * takes them at `clean` and gives the slot a fresh buffer. When every
 * descriptor holds an unprocessed frame the ring is full and the NIC misses
 * what comes next.
 *
 * A slot's frame is in its buffer, by copy, or by reference to the wire
 * frame's bytes (`lent`), which are the same bytes and cannot change: the
 * buffer is the slot's all the same, allocated and charged as before.
 */
/**
 * A descriptor's write-back, as numbers at `DESC_STRIDE * slot` in `RxRing.desc`: the frame's
 * length without FCS, when it was received (ns), the filter's verdict on it (rx-filter.ts
 * HW_*) and its number on the wire. Side by side, as a real ring's descriptors are, so that a
 * frame's write-back is one cache line and not one in each of four arrays (a segment of 256
 * hosts touches 256 rings per frame, and those lines were most of the misses).
 */
export const DESC_LEN = 0;
export const DESC_TSTAMP = 1;
export const DESC_VERDICT = 2;
export const DESC_WIRE_SEQ = 3;
export const DESC_STRIDE = 4;

export class RxRing implements SkbOwner {
  /**
   * Each slot's buffer, or null while it is only booked (SkbPool.book): allocated and charged
   * like any, its head and data area made when first written or handed up (`slot`). Most
   * never are, as a frame is referenced or copied out; 256 hosts' rings made eagerly were
   * 65,536 heads and data areas, three quarters of a host's heap.
   */
  private readonly bufs: (SkBuff | null)[];
  /** The number (SkBuff.id) each slot's buffer was booked as. */
  private readonly ids: Float64Array;
  /** Descriptor write-back by slot (DESC_*). */
  readonly desc: Float64Array;
  /** The wire frame whose bytes the slot's buffer reads, or null when they were copied in. */
  readonly lent: (SkbLender | null)[];
  /** Next descriptor the hardware fills. */
  fill = 0;
  /** Next descriptor the driver cleans. */
  clean = 0;
  /** Descriptors holding frames the driver has not taken yet. */
  pending = 0;

  constructor(
    readonly ownerName: string,
    readonly size: number,
    /** Bytes each buffer must hold: the largest frame the MTU allows. */
    readonly bufSize: number,
    private readonly pool: SkbPool,
  ) {
    this.bufs = new Array<SkBuff | null>(size).fill(null);
    this.ids = new Float64Array(size);
    for (let i = 0; i < size; i++) this.ids[i] = pool.book(NET_SKB_PAD + bufSize);
    this.desc = new Float64Array(size * DESC_STRIDE);
    this.lent = new Array<SkbLender | null>(size).fill(null);
  }

  /** The wire frame number in slot `i`'s descriptor. */
  wireSeq(i: number): number {
    return this.desc[i * DESC_STRIDE + DESC_WIRE_SEQ];
  }

  get full(): boolean {
    return this.pending === this.size;
  }

  /** Slot `i`'s buffer (made now if it was only booked). */
  slot(i: number): SkBuff {
    const skb = this.bufs[i];
    if (skb !== null) return skb;
    // `netdev_alloc_skb` + reserve: an empty buffer for a descriptor.
    const made = this.pool.make(NET_SKB_PAD + this.bufSize, this.ids[i]);
    made.reserve(NET_SKB_PAD);
    made.owner = this;
    this.bufs[i] = made;
    return made;
  }

  /**
   * Takes slot `i`'s buffer out to hand it up, and books the slot a fresh one, as a driver
   * refills a descriptor after passing its buffer to the stack.
   */
  takeBuffer(i: number): SkBuff {
    const skb = this.slot(i);
    skb.owner = null;
    this.bufs[i] = null;
    this.ids[i] = this.pool.book(NET_SKB_PAD + this.bufSize);
    return skb;
  }

  /** Slot `i`'s buffer reads `lender`'s bytes (laid out as the buffer's data area). */
  lend(i: number, lender: SkbLender): void {
    lender.hold();
    this.lent[i] = lender;
  }

  /** Slot `i` is done with the wire frame it referenced, if any. */
  unlend(i: number): void {
    const lender = this.lent[i];
    if (lender === null) return;
    this.lent[i] = null;
    lender.release();
  }

  /** Frees every buffer; the ring is unusable afterwards. Returns frames lost unprocessed. */
  release(): number {
    const lost = this.pending;
    for (let i = 0; i < this.size; i++) {
      this.unlend(i);
      const skb = this.bufs[i];
      if (skb === null) this.pool.unbook(NET_SKB_PAD + this.bufSize);
      else {
        skb.owner = null;
        skb.free();
      }
      this.bufs[i] = null;
    }
    this.pending = 0;
    return lost;
  }
}
