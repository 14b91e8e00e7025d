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
  readonly slots: SkBuff[] = [];
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
    for (let i = 0; i < size; i++) this.slots.push(this.newBuffer());
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

  /** `netdev_alloc_skb` + reserve: an empty buffer for a descriptor. */
  newBuffer(): SkBuff {
    const skb = this.pool.alloc(NET_SKB_PAD + this.bufSize);
    skb.reserve(NET_SKB_PAD);
    skb.owner = this;
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
    for (let i = 0; i < this.size; i++) this.unlend(i);
    for (const skb of this.slots) {
      skb.owner = null;
      skb.free();
    }
    this.slots.length = 0;
    this.pending = 0;
    return lost;
  }
}
