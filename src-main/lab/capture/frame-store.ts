import { FrameCopies } from './frame-copies';
import { PAGE, pageNo, slotOf } from './record-paging';

/** Recent wire frames whose bytes a later record may share (direct-mapped by frame number). */
const SHARE_SLOTS = 1 << 12;

/**
 * The share-table slot of a wire or buffer number: its low bits. Numbers are
 * doubles (they may pass 2^31), and `%` on a double is a call; `>>> 0` takes
 * the low 32 bits of an integer exactly.
 */
function shareSlot(key: number): number {
  return (key >>> 0) & (SHARE_SLOTS - 1);
}

export const DIR_UNKNOWN = 0;
export const DIR_IN = 1;
export const DIR_OUT = 2;
/** Set in a record's direction byte when it has no wire number of its own (a sent frame's). */
const NO_WIRE_SEQ = 0x80;

/** Limits of a ring capture: the oldest frames go when either is passed. 0 means no limit. */
export interface RingLimits {
  maxFrames: number;
  maxBytes: number;
}

/**
 * PAGE consecutive records: when each was seen, and two words side by side,
 * the copy of bytes it reads (its ordinal modulo 2^32; FrameCopies.ordinal
 * restores it) and `point | dir << 16 | aux << 24`. A capture everywhere
 * writes nine records per frame on the wire: two arrays and 16 bytes per
 * record, not five and 17, show in what capturing costs.
 */
class RecordPage {
  static readonly BYTES = PAGE * (8 + 4 + 4);
  readonly time = new Float64Array(PAGE);
  readonly meta = new Uint32Array(PAGE * 2);
}

/** The largest capture point id a record holds (a Capture refuses more points). */
export const MAX_POINT_ID = 0xffff;
/** The largest `aux` a record holds: callers keep small values there (a wire outcome). */
export const MAX_AUX = 0xff;

/**
 * Captured frames, packed: their bytes in chunks (`FrameCopies`), their
 * records in pages of parallel typed arrays (added as frames come, so a
 * growing capture never copies what it holds). Frame numbers start at 1 and
 * keep counting in ring mode, where the oldest frames are overwritten (and
 * counted) once a limit is reached.
 *
 * One frame on the wire is seen by several capture points (the segment, the
 * receiving devices): `appendWireFrame` stores its bytes, lengths and wire
 * number once and has the later records read them, so a capture everywhere
 * costs one copy per frame and 16 bytes per record. Each record still counts
 * its captured length in `bytes` (what an exported file holds), so ring
 * limits evict exactly the same frames as if every record had its own copy.
 */
export class FrameStore {
  /** Frames overwritten in ring mode. */
  overwritten = 0;
  /** Frame number of the oldest frame still held (1 until something is overwritten). */
  first = 1;
  /** Frames stored since the start (the newest frame's number). */
  last = 0;
  /** Bytes of frame data held. */
  bytes = 0;

  private readonly copies = new FrameCopies();
  /** Pages of held records: pages[k] holds numbers from (pageBase + k) * PAGE on. */
  private readonly pages: RecordPage[] = [];
  private pageBase = 0;
  /** A page the ring let go of, kept for the next one. */
  private spare: RecordPage | null = null;
  /**
   * Wire frame number → the record that stored its bytes and their copy, for
   * the last SHARE_SLOTS frames; made on the first wire frame (an imported
   * file's store stays small).
   */
  private shareSeq: Float64Array | null = null;
  private shareRecord: Float64Array | null = null;
  private shareCopy: Float64Array | null = null;
  /** The same for frames a device sent, by the sent buffer's number (`appendSent`). */
  private sentKey: Float64Array | null = null;
  private sentRecord: Float64Array | null = null;
  private sentCopy: Float64Array | null = null;
  /**
   * The wire frame of the last `appendWireFrame`, the copy it reads (with that
   * copy's lengths) and the newest record reading it. One frame's records come
   * one after another (the segment's, then each receiving device's), so most
   * find their copy here rather than through the tables and the copy's pages.
   */
  private lastSeq = 0;
  private lastCopy = 0;
  private lastCapLen = -1;
  private lastWireLen = -1;
  private lastOwner = 0;

  constructor(readonly limits: RingLimits = { maxFrames: 0, maxBytes: 0 }) {}

  get count(): number {
    return this.last - this.first + 1;
  }

  /** Appends a frame; returns its number. `aux` is a small per-frame value for the caller (e.g. the wire outcome). */
  append(
    time: number,
    pointId: number,
    direction: number,
    data: Uint8Array,
    at: number,
    captured: number,
    onWire: number,
    wireSeq: number,
    aux = 0,
  ): number {
    const maxBytes = this.limits.maxBytes;
    if (maxBytes > 0 && captured > maxBytes) captured = maxBytes;
    this.makeRoom(captured);
    const c = this.copies.add(data, at, captured, onWire, wireSeq);
    const dir = wireSeq === 0 ? direction | NO_WIRE_SEQ : direction;
    return this.record(time, pointId, dir, c, captured, aux);
  }

  /**
   * `append` for a frame a device is sending, buffer number `sentKey` (> 0):
   * when the same buffer goes on the wire whole (at least 60 bytes: no
   * padding) the segment's record of it reads this copy (`appendWireFrame`).
   */
  appendSent(
    time: number,
    pointId: number,
    direction: number,
    data: Uint8Array,
    at: number,
    captured: number,
    onWire: number,
    sentKey: number,
    aux = 0,
  ): number {
    if (this.sentKey === null) {
      this.sentKey = new Float64Array(SHARE_SLOTS);
      this.sentRecord = new Float64Array(SHARE_SLOTS);
      this.sentCopy = new Float64Array(SHARE_SLOTS);
    }
    const i = shareSlot(sentKey);
    // The driver may be handed the same buffer twice (its ring was full the first time).
    const c = this.shared(
      this.sentKey![i] === sentKey,
      this.sentRecord![i],
      this.sentCopy![i],
      captured,
      onWire,
    );
    if (c >= 0) return this.record(time, pointId, direction | NO_WIRE_SEQ, c, captured, aux);
    const n = this.append(time, pointId, direction, data, at, captured, onWire, 0, aux);
    this.sentKey![i] = sentKey;
    this.sentRecord![i] = n;
    this.sentCopy![i] = this.copies.last;
    return n;
  }

  /**
   * `append` for a frame seen on the wire as wire frame `wireSeq` (> 0): the
   * segment's copy of it, or a device's as it received it. Those bytes are the
   * same wherever the frame is seen, so when a record of the same wire frame
   * and lengths is still held, the new record reads its copy.
   */
  appendWireFrame(
    time: number,
    pointId: number,
    direction: number,
    data: Uint8Array,
    at: number,
    captured: number,
    onWire: number,
    wireSeq: number,
    aux = 0,
    /** The sent buffer the frame was made of (`appendSent`), or 0. */
    sentKey = 0,
  ): number {
    if (
      wireSeq === this.lastSeq &&
      captured === this.lastCapLen &&
      onWire === this.lastWireLen &&
      this.lastOwner >= this.first
    ) {
      this.makeRoom(captured);
      if (this.lastOwner >= this.first) {
        const m = this.record(time, pointId, direction, this.lastCopy, captured, aux);
        this.lastOwner = m;
        this.shareRecord![shareSlot(wireSeq)] = m;
        return m;
      }
    }
    this.shareTables();
    const shareSeq = this.shareSeq!;
    const shareRecord = this.shareRecord!;
    const shareCopy = this.shareCopy!;
    const i = shareSlot(wireSeq);
    const maxBytes = this.limits.maxBytes;
    if (!(maxBytes > 0 && captured > maxBytes)) {
      let n = this.shared(shareSeq[i] === wireSeq, shareRecord[i], shareCopy[i], captured, onWire);
      if (n < 0 && sentKey > 0 && this.sentKey !== null) {
        // The sender's record of the same buffer: its copy is the frame on the wire, FCS aside.
        const j = shareSlot(sentKey);
        const c = this.sentCopy![j];
        const owner = this.sentRecord![j];
        // (Its copy is read only while its record is held: a gone one's page may be gone too.)
        if (this.sentKey[j] === sentKey && owner >= this.first && this.copies.wireSeq(c) === 0) {
          n = this.shared(true, owner, c, captured, onWire);
          if (n >= 0) this.copies.setWireSeq(c, wireSeq);
        }
      }
      if (n >= 0) {
        const m = this.record(time, pointId, direction, n, captured, aux);
        shareSeq[i] = wireSeq;
        shareRecord[i] = m;
        shareCopy[i] = n;
        this.noteLast(wireSeq, n, m);
        return m;
      }
    }
    const n = this.append(time, pointId, direction, data, at, captured, onWire, wireSeq, aux);
    shareSeq[i] = wireSeq;
    shareRecord[i] = n;
    shareCopy[i] = this.copies.last;
    this.noteLast(wireSeq, this.copies.last, n);
    return n;
  }

  private noteLast(wireSeq: number, c: number, owner: number): void {
    this.lastSeq = wireSeq;
    this.lastCopy = c;
    this.lastCapLen = this.copies.capLen(c);
    this.lastWireLen = this.copies.wireLen(c);
    this.lastOwner = owner;
  }

  /**
   * Copy `c`, which record `owner` reads, when `match` and a record of
   * `captured` bytes (`onWire` on the wire) may read it too; else -1. Makes room
   * first, as `append` does: the owner may go meanwhile.
   */
  private shared(
    match: boolean,
    owner: number,
    c: number,
    captured: number,
    onWire: number,
  ): number {
    if (!match || owner < this.first) return -1;
    if (this.copies.capLen(c) !== captured || this.copies.wireLen(c) !== onWire) return -1;
    this.makeRoom(captured);
    return owner >= this.first ? c : -1;
  }

  private shareTables(): void {
    if (this.shareSeq !== null) return;
    this.shareSeq = new Float64Array(SHARE_SLOTS);
    this.shareRecord = new Float64Array(SHARE_SLOTS);
    this.shareCopy = new Float64Array(SHARE_SLOTS);
  }

  has(n: number): boolean {
    return n >= this.first && n <= this.last;
  }

  /** The frame's bytes as a view into its chunk (valid until the frame is overwritten). */
  data(n: number): Uint8Array {
    return this.copies.data(this.copyOf(n));
  }

  timeOf(n: number): number {
    return this.held(n).time[slotOf(n)];
  }

  wireSeqOf(n: number): number {
    if (this.dirByte(n) & NO_WIRE_SEQ) return 0;
    return this.copies.wireSeq(this.copyOf(n));
  }

  capturedLength(n: number): number {
    return this.copies.capLen(this.copyOf(n));
  }

  wireLength(n: number): number {
    return this.copies.wireLen(this.copyOf(n));
  }

  pointOf(n: number): number {
    return this.held(n).meta[2 * slotOf(n) + 1] & MAX_POINT_ID;
  }

  directionOf(n: number): number {
    return this.dirByte(n) & ~NO_WIRE_SEQ;
  }

  auxOf(n: number): number {
    return this.held(n).meta[2 * slotOf(n) + 1] >>> 24;
  }

  /** The direction with the NO_WIRE_SEQ flag. */
  private dirByte(n: number): number {
    return (this.held(n).meta[2 * slotOf(n) + 1] >>> 16) & 0xff;
  }

  /** Bytes of memory held: frame data chunks plus metadata pages. */
  memoryBytes(): number {
    return (
      this.copies.memoryBytes() +
      (this.pages.length + (this.spare ? 1 : 0)) * RecordPage.BYTES +
      (this.shareSeq !== null ? SHARE_SLOTS * 3 * 8 : 0) +
      (this.sentKey !== null ? SHARE_SLOTS * 3 * 8 : 0)
    );
  }

  clear(): void {
    this.lastSeq = 0;
    this.shareSeq?.fill(0);
    this.sentKey?.fill(0);
    this.copies.clear();
    this.first = this.last + 1;
    this.bytes = 0;
    this.pages.length = 0;
    this.pageBase = pageNo(this.first);
  }

  /** Writes record `last + 1`, reading copy `c` of `captured` bytes. */
  private record(
    time: number,
    pointId: number,
    direction: number,
    c: number,
    captured: number,
    aux: number,
  ): number {
    const n = ++this.last;
    const k = slotOf(n);
    let p = this.pages[this.pages.length - 1];
    if (p === undefined || k === 0) {
      p = this.spare ?? new RecordPage();
      this.spare = null;
      if (this.pages.length === 0) this.pageBase = pageNo(n);
      this.pages.push(p);
    }
    p.time[k] = time;
    p.meta[2 * k] = c; // modulo 2^32, as a Uint32Array keeps it
    p.meta[2 * k + 1] = (pointId & MAX_POINT_ID) | (direction << 16) | ((aux & MAX_AUX) << 24);
    this.copies.retain(c);
    this.bytes += captured;
    return n;
  }

  /** The copy record `n` reads. */
  private copyOf(n: number): number {
    return this.copies.ordinal(this.held(n).meta[2 * slotOf(n)]);
  }

  /** The page of record `n`, which must be held. */
  private pageOf(n: number): RecordPage {
    return this.pages[pageNo(n) - this.pageBase];
  }

  private held(n: number): RecordPage {
    if (n < this.first || n > this.last)
      throw new RangeError(`frame ${n} is not held (${this.first}..${this.last})`);
    return this.pageOf(n);
  }

  /** Drops the oldest frames until one of `captured` bytes fits the ring's limits. */
  private makeRoom(captured: number): void {
    const { maxFrames, maxBytes } = this.limits;
    if (maxFrames === 0 && maxBytes === 0) return;
    while (
      this.count > 0 &&
      ((maxFrames > 0 && this.count >= maxFrames) ||
        (maxBytes > 0 && this.bytes + captured > maxBytes))
    ) {
      this.dropOldest();
    }
  }

  private dropOldest(): void {
    const n = this.first;
    const k = slotOf(n);
    const c = this.copies.ordinal(this.pageOf(n).meta[2 * k]);
    this.bytes -= this.copies.capLen(c);
    this.copies.release(c);
    this.first++;
    this.overwritten++;
    if (k === PAGE - 1 || this.first > this.last) {
      // The page's last held record went: the page goes too (kept as the spare).
      this.spare = this.pages.shift()!;
      this.pageBase++;
    }
  }
}
