import type { SkBuff, SkbOwner } from '../skb/sk-buff';

/**
 * The transmit descriptor ring: buffers the driver gave the NIC, sent in
 * order. The head is on the wire (or waiting for the medium); completion frees it.
 */
export class TxRing implements SkbOwner {
  private readonly slots: (SkBuff | null)[];
  private head = 0;
  count = 0;

  constructor(
    readonly ownerName: string,
    readonly size: number,
  ) {
    this.slots = new Array<SkBuff | null>(size).fill(null);
  }

  get full(): boolean {
    return this.count === this.size;
  }

  push(skb: SkBuff): void {
    const at = this.head + this.count;
    this.slots[at < this.size ? at : at - this.size] = skb;
    this.count++;
    skb.owner = this;
  }

  peek(): SkBuff | null {
    return this.count > 0 ? this.slots[this.head] : null;
  }

  shift(): SkBuff | null {
    if (this.count === 0) return null;
    const skb = this.slots[this.head];
    this.slots[this.head] = null;
    this.head = this.head + 1 === this.size ? 0 : this.head + 1;
    this.count--;
    if (skb) skb.owner = null;
    return skb;
  }

  /** Frees every buffer still waiting; returns how many. */
  release(): number {
    let n = 0;
    for (let skb = this.shift(); skb; skb = this.shift()) {
      skb.free();
      n++;
    }
    return n;
  }
}
