import { describe, expect, it } from 'vitest';
import { DmaAllocator } from './dma-alloc';

describe('DmaAllocator', () => {
  it('hands out 16-byte-aligned blocks and takes them back, coalescing', () => {
    const a = new DmaAllocator(0x1000, 0x1000 + 4096);
    const x = a.alloc(100);
    const y = a.alloc(1536);
    const z = a.alloc(10);
    expect([x, y, z]).toEqual([0x1000, 0x1070, 0x1670]);
    expect(a.release(y)).toBe(true);
    expect(a.release(y)).toBe(false);
    expect(a.alloc(1500)).toBe(0x1070); // first fit reuses the hole
    a.release(0x1070);
    a.release(x);
    a.release(z);
    expect(a.inUse).toBe(0);
    expect(a.alloc(4096)).toBe(0x1000); // all one block again
  });

  it('answers -1 when nothing fits, and keeps going after frees', () => {
    const a = new DmaAllocator(0, 1024);
    const blocks = Array.from({ length: 8 }, () => a.alloc(128));
    expect(a.alloc(16)).toBe(-1);
    for (let round = 0; round < 1000; round++) {
      a.release(blocks[round % 8]);
      blocks[round % 8] = a.alloc(128);
      expect(blocks[round % 8]).toBeGreaterThanOrEqual(0);
    }
  });
});
