import { describe, expect, it } from 'vitest';
import { getU16, getU32, setU16, setU32 } from './bytes';

describe('network-order words', () => {
  it('read and write big-endian 16- and 32-bit values in place', () => {
    const bytes = new Uint8Array(8);
    setU16(bytes, 1, 0xabcd);
    setU32(bytes, 3, 0xef010203);
    expect(Array.from(bytes)).toEqual([0, 0xab, 0xcd, 0xef, 0x01, 0x02, 0x03, 0]);
    expect(getU16(bytes, 1)).toBe(0xabcd);
    expect(getU32(bytes, 3)).toBe(0xef010203); // unsigned, not negative
    setU32(bytes, 3, 0xe0000001 | 0); // a signed bitwise result writes the same bytes
    expect(getU32(bytes, 3)).toBe(0xe0000001);
  });
});
