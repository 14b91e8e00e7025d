import type { SkbLender } from './lender';
import { SkbError } from './skb-error';
import type { SkBuffHead } from './sk-buff-head';
import type { SkbPool, SizeClass } from './skb-pool';

/** Whoever holds a buffer right now: a queue, a ring, a socket. Named for reports. */
export interface SkbOwner {
  readonly ownerName: string;
}

/** The device a buffer arrived on or leaves by; only its name matters to this layer. */
export interface SkbDevice {
  readonly name: string;
}

/**
 * The data area of one or more buffers, with Linux's `dataref`: clones share it,
 * and it returns to the pool when the last of them is freed. Its bytes are its
 * own (`own`), or a lender's that it references read-only (see lender.ts).
 */
export class SkbData {
  dataref = 0;
  /** The bytes the area reads now: `own`, or `lender.lent` while it borrows. */
  buf: Uint8Array;
  lender: SkbLender | null = null;
  /** The pool's size class, whose free list the area joins when its last buffer is freed. */
  sizeClass: SizeClass | null = null;
  /** The next free area of the class while this one is free (the list runs through them, as a slab's freelist). */
  nextFree: SkbData | null = null;
  constructor(readonly own: Uint8Array) {
    this.buf = own;
  }

  /** Gives the borrowed bytes back: the area reads its own again. */
  returnLoan(): void {
    const lender = this.lender;
    if (lender === null) return;
    this.lender = null;
    this.buf = this.own;
    lender.release();
  }
}

/** Linux's `skb->pkt_type`, set by `eth_type_trans`. */
export const PACKET_HOST = 0;
export const PACKET_BROADCAST = 1;
export const PACKET_MULTICAST = 2;
export const PACKET_OTHERHOST = 3;
export const PACKET_OUTGOING = 4;
/** A copy of this host's own multicast looped back to it (`dev_loopback_xmit`). */
export const PACKET_LOOPBACK = 5;

/**
 * One frame's buffer, as Linux's `struct sk_buff`: offsets `head` (always 0),
 * `data`, `tail` and `end` into a shared data area. Layers move `data` as they
 * add (`push`) or strip (`pull`) their headers, so the bytes never move.
 *
 *     head      data           tail        end
 *      |headroom |=== len ======| tailroom  |
 *
 * Buffers come from an `SkbPool` and go back with exactly one `free()` per
 * allocation; anything else throws an `SkbError` naming the buffer.
 */
export class SkBuff {
  /** Serial number of the current allocation: names the buffer in reports. */
  id = 0;
  shared: SkbData;
  /** The shared data area (same as `shared.buf`). */
  buf: Uint8Array;
  readonly head = 0;
  data = 0;
  tail = 0;
  end = 0;
  /** What this buffer costs its owner, in bytes (see truesize.ts). */
  truesize = 0;
  /** Extra references taken with `get()` (Linux's `skb->users`). */
  users = 1;
  owner: SkbOwner | null = null;
  dev: SkbDevice | null = null;
  /** EtherType, host order, set by `eth_type_trans`. */
  protocol = 0;
  pktType = PACKET_HOST;
  /** Simulated time (ns) the NIC received or the stack created it. */
  tstamp = 0;
  /** The frame's number on the wire (PhyFrame.seq) for received buffers; 0 otherwise. */
  wireSeq = 0;
  /**
   * For a buffer a router forwarded: the wire number it came in as (whose fate record says
   * `forwarded`, amended if its next hop's ARP fails); -1 otherwise.
   */
  fwdSeq = -1;
  /** The receiving NIC's filter verdict (drivers/rx-filter.ts HW_*), -1 for sent buffers. */
  rxVerdict = -1;
  /** The ifindex of the device it came in on (Linux's `skb_iif`), 0 for sent buffers. */
  iif = 0;
  /** Header offsets into `buf`, -1 until a layer sets them. */
  macHeader = -1;
  networkHeader = -1;
  transportHeader = -1;

  /** Intrusive links for `SkBuffHead`: no allocation to queue a buffer. */
  next: SkBuff | null = null;
  prev: SkBuff | null = null;
  list: SkBuffHead | null = null;

  freed = false;
  /** Who held it when it was freed, for use-after-free reports. */
  freedFrom = '';

  constructor(
    readonly pool: SkbPool,
    shared: SkbData,
  ) {
    this.shared = shared;
    this.buf = shared.buf;
  }

  get len(): number {
    return this.tail - this.data;
  }

  get headroom(): number {
    this.check('headroom');
    return this.data;
  }

  get tailroom(): number {
    this.check('tailroom');
    return this.end - this.tail;
  }

  /** True when another buffer shares this data area: writers must copy first. */
  get cloned(): boolean {
    return this.shared.dataref > 1;
  }

  /** The current data as a view (no copy). */
  bytes(): Uint8Array {
    this.check('bytes');
    return this.buf.subarray(this.data, this.tail);
  }

  /** `skb_reserve`: moves data and tail forward on an empty buffer to make headroom. */
  reserve(n: number): void {
    this.check('reserve');
    if (this.tail !== this.data) throw this.error('reserve', 'on a buffer that already holds data');
    if (n < 0 || this.tail + n > this.end)
      throw this.error('reserve', `${n} bytes: only ${this.end - this.tail} available`);
    this.data += n;
    this.tail += n;
  }

  /**
   * Makes the data area's bytes this buffer's own to write: a buffer that
   * reads a lender's bytes gets a copy first (as `skb_cow` copies a shared
   * area), so a frame on the wire is never written through a receiver.
   */
  unshare(): void {
    this.check('unshare');
    const shared = this.shared;
    if (shared.lender === null) return;
    const n = Math.min(this.end, shared.buf.length);
    if (shared.dataref === 1) {
      shared.own.set(shared.buf.subarray(0, n));
      shared.returnLoan();
      this.buf = shared.buf;
      return;
    }
    // Clones read the loan too: this buffer alone moves to a private copy.
    const mine = this.pool.allocData(shared.own.length);
    mine.own.set(shared.buf.subarray(0, n));
    this.pool.dropData(shared);
    this.shared = mine;
    this.buf = mine.buf;
  }

  /**
   * Reads `lender`'s bytes instead of holding a copy of them (the receive
   * DMA of a frame on the wire): the area's own bytes stay allocated and
   * charged. The lender lays the bytes out at this buffer's offsets.
   */
  borrow(lender: SkbLender): void {
    this.check('borrow');
    const shared = this.shared;
    if (shared.dataref !== 1) throw this.error('borrow', 'on a cloned buffer');
    lender.hold();
    shared.returnLoan();
    shared.lender = lender;
    shared.buf = lender.lent;
    this.buf = lender.lent;
  }

  /**
   * `borrow`, taking over a reference to `lender` the caller already holds
   * (a ring slot's, passed to the buffer handed up) instead of taking another.
   */
  takeLoan(lender: SkbLender): void {
    this.check('takeLoan');
    const shared = this.shared;
    if (shared.dataref !== 1) throw this.error('takeLoan', 'on a cloned buffer');
    shared.returnLoan();
    shared.lender = lender;
    shared.buf = lender.lent;
    this.buf = lender.lent;
  }

  /** Reads its own bytes again (a ring buffer whose frame was copied out). */
  returnLoan(): void {
    this.check('returnLoan');
    this.shared.returnLoan();
    this.buf = this.shared.buf;
  }

  /** `skb_put`: extends the data at the tail; returns the offset of the added bytes. */
  put(n: number): number {
    this.check('put');
    if (this.shared.lender !== null) this.unshare();
    const at = this.tail;
    if (n < 0 || at + n > this.end) {
      throw this.error('put', `over panic: ${n} bytes with ${this.end - at} tailroom`);
    }
    this.tail = at + n;
    return at;
  }

  /** `skb_push`: extends the data at the front; returns the new data offset. */
  push(n: number): number {
    this.check('push');
    if (this.shared.lender !== null) this.unshare();
    if (n < 0 || n > this.data) {
      throw this.error('push', `under panic: ${n} bytes with ${this.data} headroom`);
    }
    this.data -= n;
    return this.data;
  }

  /**
   * `skb_pull`: strips `n` bytes from the front as a layer takes its header.
   * Returns the new data offset, or -1 (Linux's NULL) when fewer than `n` remain.
   */
  pull(n: number): number {
    this.check('pull');
    if (n < 0 || n > this.len) return -1;
    this.data += n;
    return this.data;
  }

  /** `skb_trim`: shortens the data to `len` bytes if it is longer. */
  trim(len: number): void {
    this.check('trim');
    if (len < this.len) this.tail = this.data + Math.max(0, len);
  }

  /** `skb_get`: takes another reference; each needs its own `free()`. */
  get(): this {
    this.check('get');
    this.users++;
    return this;
  }

  /** `skb_clone`: a new buffer sharing this data area (refcounted), with its own offsets. */
  clone(): SkBuff {
    this.check('clone');
    const n = this.pool.allocHead(this.shared, this.truesize);
    n.copyHeaderFrom(this);
    return n;
  }

  /** `skb_copy`: a new buffer with its own copy of the whole data area. */
  copy(): SkBuff {
    this.check('copy');
    const n = this.pool.alloc(this.end);
    n.buf.set(this.buf.subarray(0, Math.min(this.end, this.buf.length)));
    n.copyHeaderFrom(this);
    return n;
  }

  /** `kfree_skb`: drops one reference; the last returns the buffer to its pool. */
  free(): void {
    if (this.freed) {
      throw new SkbError(
        `double free of ${this.describe()} (freed while held by ${this.freedFrom})`,
      );
    }
    if (this.users > 1) {
      this.users--;
      return;
    }
    if (this.list !== null) {
      throw this.error('free', `while still queued on ${this.list.ownerName}`);
    }
    this.pool.release(this);
  }

  describe(): string {
    return `skb#${this.id}`;
  }

  /** Throws when the buffer has been freed: every operation calls this first. */
  check(op: string): void {
    if (this.freed) {
      throw new SkbError(
        `use after free: ${op} on ${this.describe()} (freed while held by ${this.freedFrom})`,
      );
    }
  }

  private error(op: string, what: string): SkbError {
    const owner = this.owner ? ` held by ${this.owner.ownerName}` : '';
    return new SkbError(`${op} ${what} on ${this.describe()}${owner}`);
  }

  private copyHeaderFrom(o: SkBuff): void {
    this.data = o.data;
    this.tail = o.tail;
    this.dev = o.dev;
    this.protocol = o.protocol;
    this.pktType = o.pktType;
    this.tstamp = o.tstamp;
    this.rxVerdict = o.rxVerdict;
    this.wireSeq = o.wireSeq;
    this.fwdSeq = o.fwdSeq;
    this.iif = o.iif;
    this.macHeader = o.macHeader;
    this.networkHeader = o.networkHeader;
    this.transportHeader = o.transportHeader;
  }
}
