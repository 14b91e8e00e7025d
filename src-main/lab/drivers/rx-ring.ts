import type { SkBuff, SkbOwner } from '../skb/sk-buff';
import type { SkbPool } from '../skb/skb-pool';
import { NET_SKB_PAD } from '../skb/truesize';

/**
 * The receive descriptor ring: `size` buffers handed to the NIC in advance.
 * The NIC fills them in order at `fill`; the driver's poll takes them at
 * `clean` and gives the slot a fresh buffer. When every descriptor holds an
 * unprocessed frame the ring is full and the NIC misses what comes next.
 */
export class RxRing implements SkbOwner {
  readonly slots: SkBuff[] = [];
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

  /** Resets a descriptor's buffer for reuse after its contents were copied out. */
  recycle(skb: SkBuff): void {
    skb.data = NET_SKB_PAD;
    skb.tail = NET_SKB_PAD;
  }

  /** Frees every buffer; the ring is unusable afterwards. Returns frames lost unprocessed. */
  release(): number {
    const lost = this.pending;
    for (const skb of this.slots) {
      skb.owner = null;
      skb.free();
    }
    this.slots.length = 0;
    this.pending = 0;
    return lost;
  }
}
