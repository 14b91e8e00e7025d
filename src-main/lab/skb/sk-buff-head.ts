import { SkbError } from './skb-error';
import type { SkBuff, SkbOwner } from './sk-buff';

/**
 * A queue of buffers, as Linux's `struct sk_buff_head`: a doubly linked list
 * threaded through the buffers themselves, so queueing allocates nothing.
 * A buffer sits on at most one queue, and the queue is its owner meanwhile.
 */
export class SkBuffHead implements SkbOwner {
  qlen = 0;
  private first: SkBuff | null = null;
  private last: SkBuff | null = null;

  constructor(readonly ownerName: string) {}

  peek(): SkBuff | null {
    return this.first;
  }

  /** `skb_queue_tail` */
  enqueueTail(skb: SkBuff): void {
    this.adopt(skb);
    skb.prev = this.last;
    if (this.last) this.last.next = skb;
    else this.first = skb;
    this.last = skb;
  }

  /** `skb_queue_head` */
  enqueueHead(skb: SkBuff): void {
    this.adopt(skb);
    skb.next = this.first;
    if (this.first) this.first.prev = skb;
    else this.last = skb;
    this.first = skb;
  }

  /** `skb_dequeue`: takes the first buffer off, or returns null. */
  dequeue(): SkBuff | null {
    const skb = this.first;
    if (skb === null) return null;
    this.first = skb.next;
    if (this.first) this.first.prev = null;
    else this.last = null;
    skb.next = null;
    skb.list = null;
    skb.owner = null;
    this.qlen--;
    return skb;
  }

  /** `skb_queue_purge`: frees every buffer on the queue; returns how many. */
  purge(): number {
    let n = 0;
    for (let skb = this.dequeue(); skb; skb = this.dequeue()) {
      skb.free();
      n++;
    }
    return n;
  }

  private adopt(skb: SkBuff): void {
    skb.check('enqueue');
    if (skb.list !== null) {
      throw new SkbError(
        `${skb.describe()} queued on ${this.ownerName} while still on ${skb.list.ownerName}`,
      );
    }
    skb.list = this;
    skb.owner = this;
    this.qlen++;
  }
}
