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
/** Request sizes below this are looked up in an array, larger ones in a map. */
const SMALL_SIZES = 4096;

/**
 * One kmalloc size class: its data area size, the truesize it charges, and its
 * free areas, a list through `SkbData.nextFree` (no array to grow or shrink).
 */
export interface SizeClass {
  readonly dataSize: number;
  readonly truesize: number;
  free: SkbData | null;
  /** The slab new areas are cut from, and the offset of its first uncut byte. */
  slab: ArrayBuffer | null;
  slabUsed: number;
}

/**
 * Data areas are cut from slabs (as kmalloc's caches cut objects from pages), not each given
 * its own ArrayBuffer: an ArrayBuffer costs an allocation and a GC-tracked backing store of
 * its own (256 hosts' RX rings are 65,536 of them), and a big slab's untouched pages are not
 * even resident (a ring buffer that only ever references wire frames is never written). A
 * class's first slab holds FIRST_SLAB_AREAS areas, each next one twice as many, up to
 * MAX_SLAB_BYTES; an area larger than that gets a buffer of its own.
 */
const FIRST_SLAB_AREAS = 16;
const MAX_SLAB_BYTES = 1 << 20;

export class SkbPool {
  allocated = 0;
  freed = 0;
  /** Sum of truesize over outstanding buffers. */
  bytes = 0;
  peakOutstanding = 0;

  private nextId = 1;
  /** Size classes by data size, and by the request sizes seen so far. */
  private readonly classes = new Map<number, SizeClass>();
  private readonly bySmallSize: (SizeClass | undefined)[] = new Array<SizeClass | undefined>(
    SMALL_SIZES,
  ).fill(undefined);
  private readonly byLargeSize = new Map<number, SizeClass>();
  /**
   * Freed heads waiting to be reused, oldest at `quarantineHead`: a ring that
   * doubles when full, so freeing a buffer allocates nothing.
   */
  private quarantine: (SkBuff | null)[] = new Array<SkBuff | null>(1024).fill(null);
  private quarantineHead = 0;
  private quarantined = 0;
  /** Every head ever created, to list the outstanding ones in a leak report. */
  private readonly heads: SkBuff[] = [];

  get outstanding(): number {
    return this.allocated - this.freed;
  }

  /** `alloc_skb`: a buffer with at least `size` bytes of data area, empty (data = tail = 0). */
  alloc(size: number): SkBuff {
    const cls = this.sizeClass(size);
    const shared = this.takeData(cls);
    const skb = this.allocHead(shared, cls.truesize);
    skb.data = 0;
    skb.tail = 0;
    return skb;
  }

  /** A data area of exactly `dataSize` bytes (a size class's), with no buffer on it yet. */
  allocData(dataSize: number): SkbData {
    const cls = this.sizeClass(dataSize);
    if (cls.dataSize !== dataSize) throw new RangeError(`${dataSize} bytes is not a size class`);
    const shared = this.takeData(cls);
    shared.dataref++;
    return shared;
  }

  /** Drops a buffer's reference to its data area; the last one returns it (and any loan). */
  dropData(shared: SkbData): void {
    if (--shared.dataref > 0) return;
    if (shared.lender !== null) shared.returnLoan();
    const cls = shared.sizeClass!;
    shared.nextFree = cls.free;
    cls.free = shared;
  }

  /** The most recently freed area of `cls` (last in, first out), or a new one. */
  private takeData(cls: SizeClass): SkbData {
    const shared = cls.free;
    if (shared === null) return this.newData(cls);
    cls.free = shared.nextFree;
    shared.nextFree = null;
    return shared;
  }

  /**
   * The kmalloc size class a request of `size` bytes lands in, with its free
   * areas. Requests repeat (every frame of a flood asks for the same size), so
   * each size is worked out once.
   */
  private sizeClass(size: number): SizeClass {
    const known = size < SMALL_SIZES ? this.bySmallSize[size] : this.byLargeSize.get(size);
    if (known !== undefined) return known;
    const dataSize = skbDataSize(size);
    let cls = this.classes.get(dataSize);
    if (cls === undefined) {
      cls = { dataSize, truesize: skbTruesize(dataSize), free: null, slab: null, slabUsed: 0 };
      this.classes.set(dataSize, cls);
    }
    if (size < SMALL_SIZES) this.bySmallSize[size] = cls;
    else this.byLargeSize.set(size, cls);
    return cls;
  }

  private newData(cls: SizeClass): SkbData {
    const size = cls.dataSize;
    let bytes: Uint8Array;
    if (size > MAX_SLAB_BYTES / 2) bytes = new Uint8Array(size);
    else {
      let slab = cls.slab;
      if (slab === null || cls.slabUsed + size > slab.byteLength) {
        const last = slab === null ? FIRST_SLAB_AREAS * size : slab.byteLength * 2;
        slab = cls.slab = new ArrayBuffer(Math.min(last, MAX_SLAB_BYTES - (MAX_SLAB_BYTES % size)));
        cls.slabUsed = 0;
      }
      bytes = new Uint8Array(slab, cls.slabUsed, size);
      cls.slabUsed += size;
    }
    const shared = new SkbData(bytes);
    shared.sizeClass = cls;
    return shared;
  }

  /**
   * Books an allocation of `size` bytes (its number, the counts, the truesize) without making
   * the buffer, and returns its number: a receive ring's buffers are allocated when the ring
   * is, but most are never written (frames are referenced, or copied out at copybreak), and
   * 256 hosts' rings would be 65,536 heads and data areas. `make` gives a booked buffer its
   * head and data area when it is first used; `unbook` frees one never made. The books read
   * as if every buffer had been made at booking.
   */
  book(size: number): number {
    const cls = this.sizeClass(size);
    this.count(cls.truesize);
    return this.nextId++;
  }

  /** The buffer booked as number `id` for `size` bytes, made now: empty, as `alloc` gives it. */
  make(size: number, id: number): SkBuff {
    const cls = this.sizeClass(size);
    const skb = this.newHead(this.takeData(cls), cls.truesize);
    skb.id = id;
    skb.data = 0;
    skb.tail = 0;
    return skb;
  }

  /** Frees a booked buffer that was never made. */
  unbook(size: number): void {
    this.freed++;
    this.bytes -= this.sizeClass(size).truesize;
  }

  /** A fresh head on `shared` (used by `alloc` and `SkBuff.clone`). */
  allocHead(shared: SkbData, truesize: number): SkBuff {
    const skb = this.newHead(shared, truesize);
    skb.id = this.nextId++;
    this.count(truesize);
    return skb;
  }

  /** Counts an allocation of `truesize` bytes. */
  private count(truesize: number): void {
    this.bytes += truesize;
    this.allocated++;
    const out = this.allocated - this.freed;
    if (out > this.peakOutstanding) this.peakOutstanding = out;
  }

  /** A head on `shared`, reused from the quarantine or new, not yet numbered or counted. */
  private newHead(shared: SkbData, truesize: number): SkBuff {
    let skb: SkBuff;
    if (this.quarantined > QUARANTINE) {
      const ring = this.quarantine;
      skb = ring[this.quarantineHead]!;
      ring[this.quarantineHead] = null;
      this.quarantineHead = (this.quarantineHead + 1) & (ring.length - 1);
      this.quarantined--;
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
      skb.fwdSeq = -1;
      skb.iif = 0;
      skb.macHeader = -1;
      skb.networkHeader = -1;
      skb.transportHeader = -1;
    } else {
      skb = new SkBuff(this, shared);
      this.heads.push(skb);
    }
    shared.dataref++;
    skb.end = shared.own.length;
    skb.truesize = truesize;
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
    this.dropData(skb.shared);
    if (this.quarantined === this.quarantine.length) this.growQuarantine();
    const ring = this.quarantine;
    ring[(this.quarantineHead + this.quarantined) & (ring.length - 1)] = skb;
    this.quarantined++;
  }

  /** Doubles the quarantine ring, oldest first at 0. */
  private growQuarantine(): void {
    const old = this.quarantine;
    const ring = new Array<SkBuff | null>(old.length * 2).fill(null);
    for (let i = 0; i < this.quarantined; i++)
      ring[i] = old[(this.quarantineHead + i) & (old.length - 1)];
    this.quarantine = ring;
    this.quarantineHead = 0;
  }

  /** Buffers allocated and not yet freed, with their current owners (booked ones once made). */
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
