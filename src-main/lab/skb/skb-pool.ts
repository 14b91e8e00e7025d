import { SkBuff, SkbData, PACKET_HOST } from './sk-buff';
import { skbDataSize, skbTruesize } from './truesize';

/**
 * Where every buffer of one lab comes from and returns to, and the books on
 * them: allocated, freed, outstanding and their bytes, readable at any time.
 *
 * Data areas are recycled per kmalloc size class, last in first out. Buffer
 * heads are recycled first in first out, and only once `QUARANTINE` others are
 * waiting, so a stale reference finds its buffer still marked freed and the
 * use after free is caught (the idea of KASAN's quarantine).
 */
const QUARANTINE = 256;

export class SkbPool {
  allocated = 0;
  freed = 0;
  /** Sum of truesize over outstanding buffers. */
  bytes = 0;
  peakOutstanding = 0;

  private nextId = 1;
  private readonly freeData = new Map<number, SkbData[]>();
  private freeHeads: SkBuff[] = [];
  private freeHeadsStart = 0;
  /** Every head ever created, to list the outstanding ones in a leak report. */
  private readonly heads: SkBuff[] = [];

  get outstanding(): number {
    return this.allocated - this.freed;
  }

  /** `alloc_skb`: a buffer with at least `size` bytes of data area, empty (data = tail = 0). */
  alloc(size: number): SkBuff {
    const dataSize = skbDataSize(size);
    let free = this.freeData.get(dataSize);
    if (free === undefined) {
      free = [];
      this.freeData.set(dataSize, free);
    }
    const shared = free.pop() ?? new SkbData(new Uint8Array(dataSize));
    const skb = this.allocHead(shared, skbTruesize(dataSize));
    skb.data = 0;
    skb.tail = 0;
    return skb;
  }

  /** A fresh head on `shared` (used by `alloc` and `SkBuff.clone`). */
  allocHead(shared: SkbData, truesize: number): SkBuff {
    let skb: SkBuff;
    if (this.freeHeads.length - this.freeHeadsStart > QUARANTINE) {
      skb = this.freeHeads[this.freeHeadsStart++];
      if (this.freeHeadsStart > 4096 && this.freeHeadsStart * 2 > this.freeHeads.length) {
        this.freeHeads = this.freeHeads.slice(this.freeHeadsStart);
        this.freeHeadsStart = 0;
      }
      skb.shared = shared;
      skb.buf = shared.buf;
      skb.freed = false;
      skb.freedFrom = '';
      skb.users = 1;
      skb.owner = null;
      skb.dev = null;
      skb.protocol = 0;
      skb.pktType = PACKET_HOST;
      skb.tstamp = 0;
      skb.rxVerdict = -1;
      skb.wireSeq = 0;
      skb.macHeader = -1;
      skb.networkHeader = -1;
      skb.transportHeader = -1;
    } else {
      skb = new SkBuff(this, shared);
      this.heads.push(skb);
    }
    shared.dataref++;
    skb.id = this.nextId++;
    skb.end = shared.buf.length;
    skb.truesize = truesize;
    this.bytes += truesize;
    this.allocated++;
    const out = this.allocated - this.freed;
    if (out > this.peakOutstanding) this.peakOutstanding = out;
    return skb;
  }

  /** Called by `SkBuff.free` for the last reference. */
  release(skb: SkBuff): void {
    skb.freed = true;
    skb.freedFrom = skb.owner ? skb.owner.ownerName : 'no owner';
    skb.owner = null;
    skb.dev = null;
    this.freed++;
    this.bytes -= skb.truesize;
    const shared = skb.shared;
    if (--shared.dataref === 0) this.freeData.get(shared.buf.length)?.push(shared);
    this.freeHeads.push(skb);
  }

  /** Buffers allocated and not yet freed, with their current owners. */
  outstandingBuffers(): SkBuff[] {
    return this.heads.filter((skb) => !skb.freed);
  }

  /** A one-line account, e.g. for a leak report. */
  report(): string {
    const leaks = this.outstandingBuffers()
      .slice(0, 8)
      .map((skb) => `${skb.describe()} (${skb.owner ? skb.owner.ownerName : 'no owner'})`);
    return (
      `${this.allocated} allocated, ${this.freed} freed, ${this.outstanding} outstanding` +
      (leaks.length ? `: ${leaks.join(', ')}${this.outstanding > leaks.length ? ', …' : ''}` : '')
    );
  }
}
