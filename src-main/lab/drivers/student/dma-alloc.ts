/**
 * Host memory for DMA handed out and taken back: dma_alloc_coherent and the
 * bounce buffers of dma_map_single take blocks, dma_free_coherent and
 * dma_unmap_single give them back. A bus-master driver maps a buffer for every
 * frame, so without frees a few thousand frames would exhaust the memory.
 * First fit over a sorted free list, blocks in 16-byte units; deterministic.
 */
export class DmaAllocator {
  /** Free blocks as [start, end) pairs, sorted and coalesced. */
  private readonly free: { start: number; end: number }[];
  /** Live blocks: start → length. */
  private readonly live = new Map<number, number>();

  constructor(start: number, end: number) {
    this.free = [{ start, end }];
  }

  /** A block of at least `size` bytes, or -1 when none is free. */
  alloc(size: number): number {
    const len = Math.ceil(size / 16) * 16;
    for (let i = 0; i < this.free.length; i++) {
      const f = this.free[i];
      if (f.end - f.start < len) continue;
      const at = f.start;
      f.start += len;
      if (f.start === f.end) this.free.splice(i, 1);
      this.live.set(at, len);
      return at;
    }
    return -1;
  }

  /** Gives back the block at `at`; false when no block starts there. */
  release(at: number): boolean {
    const len = this.live.get(at);
    if (len === undefined) return false;
    this.live.delete(at);
    const end = at + len;
    let i = 0;
    while (i < this.free.length && this.free[i].start < at) i++;
    const prev = this.free[i - 1];
    const next = this.free[i];
    if (prev && prev.end === at) {
      prev.end = end;
      if (next && next.start === end) {
        prev.end = next.end;
        this.free.splice(i, 1);
      }
    } else if (next && next.start === end) next.start = at;
    else this.free.splice(i, 0, { start: at, end });
    return true;
  }

  /** Bytes handed out and not given back. */
  get inUse(): number {
    let n = 0;
    for (const len of this.live.values()) n += len;
    return n;
  }
}
