import { FrameCopies } from './frame-copies';
import { PAGE, pageNo, slotOf } from './record-paging';

/** Recent wire frames whose bytes a later record may share (direct-mapped by frame number). */
const SHARE_SLOTS = 1 << 12;
/**
 * A share-table slot, side by side in one Float64Array: the key (wire frame or
 * sent buffer number), the newest record reading the copy, the copy, and its
 * captured and on-wire lengths — so a later record of the same frame checks
 * one place in memory, not the copy's pages.
 */
const KEY = 0;
const OWNER = 1;
const COPY = 2;
const CAP_LEN = 3;
const WIRE_LEN = 4;
const SHARE_STRIDE = 5;

/**
 * The share-table slot of a wire or buffer number: its low bits, times the
 * stride. Numbers are doubles (they may pass 2^31), and `%` on a double is a
 * call; `>>> 0` takes the low 32 bits of an integer exactly.
 */
function shareSlot(key: number): number {
  return ((key >>> 0) & (SHARE_SLOTS - 1)) * SHARE_STRIDE;
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
  // One allocation for both arrays: a capture everywhere fills a page every few milliseconds.
  private readonly memory = new ArrayBuffer(RecordPage.BYTES);
  readonly time = new Float64Array(this.memory, 0, PAGE);
  readonly meta = new Uint32Array(this.memory, PAGE * 8, PAGE * 2);
  /** The oldest copy a record of this page reads (FrameCopies frees what no held record reads). */
  minCopy = Infinity;
  /** Captured bytes of the records written on this page. */
  bytes = 0;
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
  /**
   * Bytes of frame data held, plus those of dropped records not yet subtracted
   * (`summedFrom` up to `first`): an eviction reads nothing of the record it
   * drops (old memory, a cache miss or two) unless the byte limit may bind.
   */
  private bytesUpper = 0;
  /** The oldest record whose bytes `bytesUpper` still counts (on the oldest page, or `first`). */
  private summedFrom = 1;
  /** The bytes of the oldest page's records already subtracted from `bytesUpper`. */
  private settledOnOldest = 0;
  /** The first record stored since the start or the last clear. */
  private clearedAt = 1;
  /**
   * The time of the first frame stored since the start or the last clear (NaN before it):
   * frame.time_relative counts from it, as Wireshark counts from a file's first frame.
   */
  startTime = NaN;
  /** The time of the newest frame the ring let go of (NaN: none), for the next one's delta. */
  private droppedTime = NaN;

  private readonly copies = new FrameCopies(() => this.neededCopy());
  /** Pages of held records: pages[k] holds numbers from (pageBase + k) * PAGE on. */
  private readonly pages: RecordPage[] = [];
  private pageBase = 0;
  /** The newest page (null when none is held). */
  private newest: RecordPage | null = null;
  /** The ring's limits (0: none), read on every record. */
  private readonly maxFrames: number;
  private readonly maxBytes: number;
  /** A page the ring let go of, kept for the next one. */
  private spare: RecordPage | null = null;
  /**
   * Wire frame number → the newest record reading its bytes, their copy and
   * its lengths, for the last SHARE_SLOTS frames; made on the first wire frame
   * (an imported file's store stays small). A frame's records come close
   * together (the segment's, then each receiving device's as its NAPI poll
   * gets to it), so most find their copy here.
   */
  private wireShare: Float64Array | null = null;
  /** The same for frames a device sent, by the sent buffer's number (`appendSent`). */
  private sentShare: Float64Array | null = null;

  constructor(readonly limits: RingLimits = { maxFrames: 0, maxBytes: 0 }) {
    this.maxFrames = limits.maxFrames;
    this.maxBytes = limits.maxBytes;
  }

  get count(): number {
    return this.last - this.first + 1;
  }

  /** Bytes of frame data held. */
  get bytes(): number {
    this.settle();
    return this.bytesUpper;
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
    const maxBytes = this.maxBytes;
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
    const t = (this.sentShare ??= new Float64Array(SHARE_SLOTS * SHARE_STRIDE));
    const i = shareSlot(sentKey);
    // The driver may be handed the same buffer twice (its ring was full the first time).
    const c = t[i + KEY] === sentKey ? this.shared(t, i, captured, onWire) : -1;
    const n =
      c >= 0
        ? this.record(time, pointId, direction | NO_WIRE_SEQ, c, captured, aux)
        : this.append(time, pointId, direction, data, at, captured, onWire, 0, aux);
    this.remember(t, i, sentKey, n, c, captured, onWire);
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
    /**
     * Which segment's numbering `wireSeq` is (0, 1…: the capture's own count). Each segment
     * numbers its frames from 1, so lan2's frame 7 is another frame than lan1's frame 7: only
     * copies from the same segment are shared.
     */
    wire = 0,
  ): number {
    const t = (this.wireShare ??= new Float64Array(SHARE_SLOTS * SHARE_STRIDE));
    // A double holds the pair exactly (wire numbers stay far below 2^32 frames).
    const key = wireSeq + wire * 2 ** 32;
    const i = shareSlot(wireSeq);
    if (
      t[i + KEY] === key &&
      t[i + CAP_LEN] === captured &&
      t[i + WIRE_LEN] === onWire &&
      t[i + OWNER] >= this.first
    ) {
      // A later record of a frame whose copy is held (a receiving device's, mostly): the
      // slot's copy and lengths hold, only its newest reader changes. (A copy's captured
      // length is at most the ring's byte limit, so a frame cut to it never gets here.)
      this.makeRoom(captured);
      if (t[i + OWNER] >= this.first) {
        const n = this.record(time, pointId, direction, t[i + COPY], captured, aux);
        t[i + OWNER] = n;
        return n;
      }
    }
    const maxBytes = this.maxBytes;
    let c = -1;
    if (!(maxBytes > 0 && captured > maxBytes) && sentKey > 0 && this.sentShare !== null) {
      // The sender's record of the same buffer: its copy is the frame on the wire, FCS aside.
      const sent = this.sentShare;
      const j = shareSlot(sentKey);
      // (Its copy is read only while its record is held: a gone one's page may be gone too.)
      if (
        sent[j + KEY] === sentKey &&
        sent[j + OWNER] >= this.first &&
        this.copies.wireSeq(sent[j + COPY]) === 0
      ) {
        c = this.shared(sent, j, captured, onWire);
        if (c >= 0) this.copies.setWireSeq(c, wireSeq);
      }
    }
    const n =
      c >= 0
        ? this.record(time, pointId, direction, c, captured, aux)
        : this.append(time, pointId, direction, data, at, captured, onWire, wireSeq, aux);
    this.remember(t, i, key, n, c, captured, onWire);
    return n;
  }

  /**
   * Notes in share-table slot `i` of `t` that record `n` reads copy `c` of
   * frame or buffer `key` (-1: the copy it has just made, which `append` may
   * have cut to the ring's byte limit).
   */
  private remember(
    t: Float64Array,
    i: number,
    key: number,
    n: number,
    c: number,
    captured: number,
    onWire: number,
  ): void {
    if (c < 0) {
      c = this.copies.last;
      captured = this.copies.capLen(c);
    }
    t[i + KEY] = key;
    t[i + OWNER] = n;
    t[i + COPY] = c;
    t[i + CAP_LEN] = captured;
    t[i + WIRE_LEN] = onWire;
  }

  /**
   * The copy share-table slot `i` of `t` holds, when a record of `captured`
   * bytes (`onWire` on the wire) may read it too; else -1. Makes room first,
   * as `append` does: the copy's newest record may go meanwhile.
   */
  private shared(t: Float64Array, i: number, captured: number, onWire: number): number {
    if (t[i + CAP_LEN] !== captured || t[i + WIRE_LEN] !== onWire) return -1;
    if (t[i + OWNER] < this.first) return -1;
    this.makeRoom(captured);
    return t[i + OWNER] >= this.first ? t[i + COPY] : -1;
  }

  has(n: number): boolean {
    return n >= this.first && n <= this.last;
  }

  /** The frame's bytes as a view into its chunk (valid until the frame is overwritten). */
  data(n: number): Uint8Array {
    return this.copies.data(this.copyOf(n));
  }

  /** The frame's time: ns since its capture's origin (see time.ts). */
  timeOf(n: number): number {
    return this.held(n).time[slotOf(n)];
  }

  /** frame.time_delta: ns since the frame stored before it (0 for the first since a clear). */
  sincePrevious(n: number): number {
    const t = this.timeOf(n);
    if (n - 1 >= this.first) return t - this.timeOf(n - 1);
    // n is the oldest held: its predecessor is the frame the ring let go of last, if any
    // (still on the oldest page, unless that page went with it).
    if (n - 1 < this.clearedAt) return 0;
    const k = slotOf(n);
    return t - (k > 0 ? this.pages[0].time[k - 1] : this.droppedTime);
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
      (this.wireShare !== null ? this.wireShare.byteLength : 0) +
      (this.sentShare !== null ? this.sentShare.byteLength : 0)
    );
  }

  clear(): void {
    this.wireShare?.fill(0);
    this.sentShare?.fill(0);
    this.copies.clear();
    this.first = this.last + 1;
    this.clearedAt = this.first;
    this.summedFrom = this.first;
    this.bytesUpper = 0;
    this.settledOnOldest = 0;
    this.startTime = NaN;
    this.droppedTime = NaN;
    this.pages.length = 0;
    this.newest = null;
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
    let p = this.newest;
    if (p === null || k === 0) p = this.newPage(n);
    p.time[k] = time;
    if (Number.isNaN(this.startTime)) this.startTime = time;
    p.meta[2 * k] = c; // modulo 2^32, as a Uint32Array keeps it
    p.meta[2 * k + 1] = (pointId & MAX_POINT_ID) | (direction << 16) | ((aux & MAX_AUX) << 24);
    if (c < p.minCopy) p.minCopy = c;
    p.bytes += captured;
    this.bytesUpper += captured;
    return n;
  }

  private newPage(n: number): RecordPage {
    const p = this.spare ?? new RecordPage();
    this.spare = null;
    p.minCopy = Infinity;
    p.bytes = 0;
    if (this.pages.length === 0) this.pageBase = pageNo(n);
    this.pages.push(p);
    this.newest = p;
    return p;
  }

  /**
   * The oldest copy a held record reads (`copies.last + 1` when none): the
   * oldest page's held records', then the other pages' own minimum.
   */
  private neededCopy(): number {
    this.settle(); // the dropped records' bytes are read from their copies
    let needed = this.copies.last + 1;
    const pages = this.pages;
    if (pages.length === 0 || this.first > this.last) return needed;
    const oldest = pages[0];
    const end = pages.length === 1 ? slotOf(this.last) : PAGE - 1;
    for (let k = slotOf(this.first); k <= end; k++) {
      const c = this.copies.ordinal(oldest.meta[2 * k]);
      if (c < needed) needed = c;
    }
    for (let i = 1; i < pages.length; i++) if (pages[i].minCopy < needed) needed = pages[i].minCopy;
    return needed;
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
    const maxFrames = this.maxFrames;
    const maxBytes = this.maxBytes;
    if (maxFrames > 0) {
      while (this.last >= this.first && this.last - this.first + 1 >= maxFrames) this.dropOldest();
    }
    // (Dropping for either limit brings the other nearer: the order does not matter.)
    if (maxBytes > 0 && this.bytesUpper + captured > maxBytes) {
      this.settle();
      while (this.last >= this.first && this.bytesUpper + captured > maxBytes) {
        this.dropOldest();
        this.settle();
      }
    }
  }

  private dropOldest(): void {
    const k = slotOf(this.first);
    this.first++;
    this.overwritten++;
    if (k === PAGE - 1) {
      // The page's last record went: the page goes too (kept as the spare), and the copies
      // no held record reads with it. (A ring emptied mid-page keeps filling the same page.)
      const p = this.pages.shift()!;
      this.bytesUpper -= p.bytes - this.settledOnOldest;
      this.settledOnOldest = 0;
      this.summedFrom = this.first;
      this.droppedTime = p.time[PAGE - 1];
      this.spare = p;
      this.pageBase++;
      if (this.pages.length === 0) this.newest = null;
      this.copies.forget(this.neededCopy());
    }
  }

  /** Subtracts the bytes of the records dropped since the last time (all on the oldest page). */
  private settle(): void {
    const to = this.first;
    if (this.summedFrom >= to) return;
    const p = this.pages[0];
    let dropped = 0;
    for (let n = this.summedFrom; n < to; n++) {
      dropped += this.copies.capLen(this.copies.ordinal(p.meta[2 * slotOf(n)]));
    }
    this.bytesUpper -= dropped;
    this.settledOnOldest += dropped;
    this.summedFrom = to;
  }
}
