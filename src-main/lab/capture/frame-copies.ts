import { copyBytes } from '../wire/bytes';
import { PAGE, pageNo, slotOf } from './record-paging';

/** Bytes per data chunk: frames are packed into these, never one object per frame. */
const CHUNK_BYTES = 4 << 20;
/**
 * The first chunk's size; each next one doubles up to CHUNK_BYTES, so a store
 * of a few frames (a small imported file) holds kilobytes, not megabytes.
 */
const FIRST_CHUNK_BYTES = 64 << 10;
const TWO_32 = 2 ** 32;

/** Where PAGE consecutive copies are, and how long each is. */
class CopyPage {
  static readonly BYTES = PAGE * (8 + 4 + 4 + 4 + 4);
  // One allocation for the five arrays (the doubles first, for their alignment).
  private readonly memory = new ArrayBuffer(CopyPage.BYTES);
  readonly wireSeq = new Float64Array(this.memory, 0, PAGE);
  readonly chunkOf = new Uint32Array(this.memory, PAGE * 8, PAGE);
  readonly offset = new Uint32Array(this.memory, PAGE * 12, PAGE);
  readonly capLen = new Uint32Array(this.memory, PAGE * 16, PAGE);
  readonly wireLen = new Uint32Array(this.memory, PAGE * 20, PAGE);
}

/**
 * The bytes a capture stored, one copy per frame as it was seen, packed into
 * chunks, with each copy's place and lengths. Records of a `FrameStore` read
 * copies by ordinal (1, 2, …); several records may read the same copy (one
 * frame on the wire, seen at several capture points).
 *
 * Copies are not counted per record: a ring drops its oldest records first,
 * so the copies still read are those from the oldest one a held record reads
 * (`needed`, which the store works out) on, and pages and chunks go whole
 * from the front once every copy in them is older. Counting readers cost two
 * lookups and two writes per record and per eviction, in a capture everywhere
 * nine of each per frame on the wire.
 */
export class FrameCopies {
  /** Copies made so far: the newest's ordinal. */
  last = 0;
  /** Pages by number from `pageBase` on. */
  private readonly pages: CopyPage[] = [];
  private pageBase = 1;
  private spare: CopyPage | null = null;
  /** Chunks by number; freed ones (all before `oldestChunk`) are null. */
  private readonly chunks: (Uint8Array | null)[] = [];
  /** The first copy each chunk holds, by chunk number. */
  private readonly chunkFirst: number[] = [];
  /** The oldest chunk still held. */
  private oldestChunk = 0;
  private chunkUsed = 0;
  /** Bytes in the newest chunk (0 before the first). */
  private chunkSize = 0;
  /**
   * A full-size chunk whose copies are all gone (a ring capture dropped them),
   * kept for the next chunk: a ring then cycles through the same memory rather
   * than asking for 4 MiB of fresh pages each time (a fresh page's first
   * write costs 13 µs on the VMs we measure on: bench/README.md).
   */
  private spareChunk: Uint8Array | null = null;

  /** `needed()`: the oldest copy a held record reads (`last + 1` when none). */
  constructor(private readonly needed: () => number) {}

  /** Copies `captured` bytes of `data` from `at`; returns the copy's ordinal. No record reads it yet. */
  add(data: Uint8Array, at: number, captured: number, wireLen: number, wireSeq: number): number {
    if (this.chunkSize === 0 || this.chunkUsed + captured > this.chunkSize) this.newChunk(captured);
    const chunkNo = this.chunks.length - 1;
    const offset = this.chunkUsed;
    copyBytes(this.chunks[chunkNo]!, offset, data, at, captured);
    this.chunkUsed += captured;
    const c = ++this.last;
    const k = slotOf(c);
    const p =
      k === 0 || this.pages.length === 0 ? this.newPage(c) : this.pages[this.pages.length - 1];
    p.chunkOf[k] = chunkNo;
    p.offset[k] = offset;
    p.capLen[k] = captured;
    p.wireLen[k] = wireLen;
    p.wireSeq[k] = wireSeq;
    return c;
  }

  /**
   * No record reads a copy older than `needed` any more: the pages and chunks
   * holding only such copies go, but for the newest of each (still filling).
   */
  forget(needed: number): void {
    while (this.pages.length > 1 && (this.pageBase + 1) * PAGE <= needed) {
      this.spare = this.pages.shift()!;
      this.pageBase++;
    }
    const newest = this.chunks.length - 1;
    while (this.oldestChunk < newest && this.chunkFirst[this.oldestChunk + 1] <= needed) {
      this.dropChunk(this.oldestChunk++);
    }
  }

  /** The ordinal whose low 32 bits are `low`: the newest such (records keep only those bits). */
  ordinal(low: number): number {
    if (this.last < TWO_32) return low; // no copy past 2^32 yet: the low bits are all
    return this.last - (((this.last % TWO_32) - low + TWO_32) % TWO_32);
  }

  data(c: number): Uint8Array {
    const p = this.page(c);
    const k = slotOf(c);
    const at = p.offset[k];
    return this.chunks[p.chunkOf[k]]!.subarray(at, at + p.capLen[k]);
  }

  capLen(c: number): number {
    return this.page(c).capLen[slotOf(c)];
  }

  wireLen(c: number): number {
    return this.page(c).wireLen[slotOf(c)];
  }

  wireSeq(c: number): number {
    return this.page(c).wireSeq[slotOf(c)];
  }

  /** Copy `c` turned out to be wire frame `seq` too (a sent frame's copy, seen on the wire). */
  setWireSeq(c: number, seq: number): void {
    this.page(c).wireSeq[slotOf(c)] = seq;
  }

  memoryBytes(): number {
    let bytes = (this.pages.length + (this.spare !== null ? 1 : 0)) * CopyPage.BYTES;
    for (let i = this.oldestChunk; i < this.chunks.length; i++) bytes += this.chunks[i]!.length;
    if (this.spareChunk !== null) bytes += this.spareChunk.length;
    return bytes;
  }

  /** Forgets every copy (the ordinals go on counting). */
  clear(): void {
    this.pages.length = 0;
    this.pageBase = pageNo(this.last + 1);
    this.chunks.length = 0;
    this.chunkFirst.length = 0;
    this.oldestChunk = 0;
    this.chunkUsed = 0;
    this.chunkSize = 0;
    this.spareChunk = null;
  }

  private page(c: number): CopyPage {
    return this.pages[pageNo(c) - this.pageBase];
  }

  private newPage(c: number): CopyPage {
    const n = pageNo(c);
    // The page being filled stayed even if its records went: now it may go too.
    const needed = this.needed();
    if (this.pages.length > 0 && (this.pageBase + this.pages.length) * PAGE <= needed) {
      this.spare = this.pages[this.pages.length - 1];
      this.pages.length = 0;
    } else this.forget(needed);
    if (this.pages.length === 0) this.pageBase = n;
    const p = this.spare ?? new CopyPage();
    this.spare = null;
    this.pages.push(p);
    return p;
  }

  private dropChunk(chunkNo: number): void {
    const chunk = this.chunks[chunkNo];
    if (chunk !== null && chunk.length === CHUNK_BYTES) this.spareChunk = chunk;
    this.chunks[chunkNo] = null;
  }

  private newChunk(atLeast: number): void {
    const n = this.chunks.length;
    // The chunk being filled stayed even if its records went: now it may go too.
    if (n > 0) {
      const needed = this.needed();
      this.forget(needed);
      if (this.oldestChunk === n - 1 && this.last < needed) this.dropChunk(this.oldestChunk++);
    }
    const size = n >= 6 ? CHUNK_BYTES : Math.min(CHUNK_BYTES, FIRST_CHUNK_BYTES << n);
    this.chunkSize = Math.max(size, atLeast);
    const spare = this.spareChunk;
    const reuse = spare !== null && spare.length === this.chunkSize;
    this.spareChunk = null;
    this.chunks.push(reuse ? spare : new Uint8Array(this.chunkSize));
    this.chunkFirst.push(this.last + 1);
    this.chunkUsed = 0;
  }
}
