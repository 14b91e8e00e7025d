import { describe, expect, it } from 'vitest';
import { DmaFault, HostMemory } from './register-card';

describe('HostMemory', () => {
  it('reads back little-endian words and bytes written', () => {
    const mem = new HostMemory(64);
    mem.write32(8, 0x11223344);
    expect(mem.read8(8)).toBe(0x44);
    expect(mem.read32(8)).toBe(0x11223344);
    const out = new Uint8Array(4);
    mem.readBytes(8, out, 0, 4);
    expect([...out]).toEqual([0x44, 0x33, 0x22, 0x11]);
  });

  it('refuses an access past its end with the address named', () => {
    const mem = new HostMemory(64);
    expect(() => mem.write32(62, 1)).toThrow(DmaFault);
    expect(() => mem.readBytes(60, new Uint8Array(8), 0, 8)).toThrow(/0x3c \(\+8\) is outside/);
    expect(() => mem.read8(-1)).toThrow(DmaFault);
  });
});
