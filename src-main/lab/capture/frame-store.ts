import { copyBytes } from '../wire/bytes';

/** Bytes per data chunk: frames are packed into these, never one object per frame. */
const CHUNK_BYTES = 4 << 20;
/**
 * The first chunk's size; each next one doubles up to CHUNK_BYTES, so a store
 * of a few frames (a small imported file) holds kilobytes, not megabytes.
 */
const FIRST_CHUNK_BYTES = 64 << 10;
const INITIAL_FRAMES = 1 << 12;

export const DIR_UNKNOWN = 0;
export const DIR_IN = 1;
export const DIR_OUT = 2;

/** Limits of a ring capture: the oldest frames go when either is passed. 0 means no limit. */
export interface RingLimits {
  maxFrames: number;
  maxBytes: number;
}

/**
 * Captured frames, packed: their bytes in 4 MiB chunks, their metadata in
 * parallel typed arrays indexed by slot. Frame numbers start at 1 and keep
 * counting in ring mode, where the oldest frames are overwritten (and counted)
 * once a limit is reached.
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

  private capacity = INITIAL_FRAMES;
  private time = new Float64Array(INITIAL_FRAMES);
  private wireSeq = new Float64Array(INITIAL_FRAMES);
  private chunkOf = new Uint32Array(INITIAL_FRAMES);
  private offset = new Uint32Array(INITIAL_FRAMES);
  private capLen = new Uint32Array(INITIAL_FRAMES);
  private wireLen = new Uint32Array(INITIAL_FRAMES);
  private point = new Uint16Array(INITIAL_FRAMES);
  private dir = new Uint8Array(INITIAL_FRAMES);
  private aux = new Uint16Array(INITIAL_FRAMES);
  /** Chunks by number; freed ones are null. */
  private readonly chunks: (Uint8Array | null)[] = [];
  /** Frames still held in each chunk, to free a chunk when its last frame goes. */
  private readonly chunkFrames: number[] = [];
  private chunkUsed = 0;
  /** Bytes in the newest chunk (0 before the first). */
  private chunkSize = 0;

  constructor(readonly limits: RingLimits = { maxFrames: 0, maxBytes: 0 }) {
    if (limits.maxFrames > 0) this.resize(Math.max(1, limits.maxFrames));
  }

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
    const { maxFrames, maxBytes } = this.limits;
    if (maxBytes > 0 && captured > maxBytes) captured = maxBytes;
    while (
      this.count > 0 &&
      ((maxFrames > 0 && this.count >= maxFrames) ||
        (maxBytes > 0 && this.bytes + captured > maxBytes))
    ) {
      this.dropOldest();
    }
    if (maxFrames === 0 && this.count === this.capacity) this.resize(this.capacity * 2);
    if (this.chunkSize === 0 || this.chunkUsed + captured > this.chunkSize) this.newChunk(captured);
    const n = ++this.last;
    const slot = n % this.capacity;
    const chunkNo = this.chunks.length - 1;
    copyBytes(this.chunks[chunkNo]!, this.chunkUsed, data, at, captured);
    this.time[slot] = time;
    this.wireSeq[slot] = wireSeq;
    this.chunkOf[slot] = chunkNo;
    this.offset[slot] = this.chunkUsed;
    this.capLen[slot] = captured;
    this.wireLen[slot] = onWire;
    this.point[slot] = pointId;
    this.dir[slot] = direction;
    this.aux[slot] = aux;
    this.chunkUsed += captured;
    this.chunkFrames[chunkNo]++;
    this.bytes += captured;
    return n;
  }

  has(n: number): boolean {
    return n >= this.first && n <= this.last;
  }

  /** The frame's bytes as a view into its chunk (valid until the frame is overwritten). */
  data(n: number): Uint8Array {
    const slot = this.slotOf(n);
    const at = this.offset[slot];
    return this.chunks[this.chunkOf[slot]]!.subarray(at, at + this.capLen[slot]);
  }

  timeOf(n: number): number {
    return this.time[this.slotOf(n)];
  }

  wireSeqOf(n: number): number {
    return this.wireSeq[this.slotOf(n)];
  }

  capturedLength(n: number): number {
    return this.capLen[this.slotOf(n)];
  }

  wireLength(n: number): number {
    return this.wireLen[this.slotOf(n)];
  }

  pointOf(n: number): number {
    return this.point[this.slotOf(n)];
  }

  directionOf(n: number): number {
    return this.dir[this.slotOf(n)];
  }

  auxOf(n: number): number {
    return this.aux[this.slotOf(n)];
  }

  /** Bytes of memory held: frame data chunks plus metadata arrays. */
  memoryBytes(): number {
    const chunks = this.chunks.reduce((n, c) => n + (c ? c.length : 0), 0);
    return chunks + this.capacity * (8 + 8 + 4 + 4 + 4 + 4 + 2 + 1 + 2);
  }

  clear(): void {
    this.chunks.length = 0;
    this.chunkFrames.length = 0;
    this.chunkUsed = 0;
    this.chunkSize = 0;
    this.first = this.last + 1;
    this.bytes = 0;
  }

  private slotOf(n: number): number {
    if (n < this.first || n > this.last)
      throw new RangeError(`frame ${n} is not held (${this.first}..${this.last})`);
    return n % this.capacity;
  }

  private dropOldest(): void {
    const slot = this.first % this.capacity;
    const chunkNo = this.chunkOf[slot];
    this.bytes -= this.capLen[slot];
    if (--this.chunkFrames[chunkNo] === 0 && chunkNo !== this.chunks.length - 1)
      this.chunks[chunkNo] = null;
    this.first++;
    this.overwritten++;
  }

  private newChunk(atLeast: number): void {
    const n = this.chunks.length;
    const size = n >= 6 ? CHUNK_BYTES : Math.min(CHUNK_BYTES, FIRST_CHUNK_BYTES << n);
    this.chunkSize = Math.max(size, atLeast);
    this.chunks.push(new Uint8Array(this.chunkSize));
    this.chunkFrames.push(0);
    this.chunkUsed = 0;
  }

  private resize(capacity: number): void {
    const old = this.capacity;
    const move = <T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(capacity);
      for (let n = this.first; n <= this.last; n++) b[n % capacity] = a[n % old];
      return b;
    };
    this.time = move(this.time, (k) => new Float64Array(k));
    this.wireSeq = move(this.wireSeq, (k) => new Float64Array(k));
    this.chunkOf = move(this.chunkOf, (k) => new Uint32Array(k));
    this.offset = move(this.offset, (k) => new Uint32Array(k));
    this.capLen = move(this.capLen, (k) => new Uint32Array(k));
    this.wireLen = move(this.wireLen, (k) => new Uint32Array(k));
    this.point = move(this.point, (k) => new Uint16Array(k));
    this.dir = move(this.dir, (k) => new Uint8Array(k));
    this.aux = move(this.aux, (k) => new Uint16Array(k));
    this.capacity = capacity;
  }
}
