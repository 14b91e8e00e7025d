import { describe, expect, it } from 'vitest';
import { getF64, getU16, getU32, setU16, setU32 } from './bytes';

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

describe('network-order float64', () => {
  it('reads every kind of double bit for bit, at any offset', () => {
    const buf = new Uint8Array(16);
    const view = new DataView(buf.buffer);
    const values = [
      0,
      -0,
      1,
      -1.5,
      6260,
      119541.85314685314,
      1e-310, // subnormal
      -5e-324,
      2 ** -1022, // the smallest normal
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      Infinity,
      -Infinity,
      NaN,
      Number.EPSILON,
      2 ** 53 - 1,
      1e300,
    ];
    // And a spread of pseudo-random doubles over the whole exponent range.
    let x = 0x9e3779b9;
    for (let i = 0; i < 2000; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      const y = (Math.imul(x, 22695477) + 1) >>> 0;
      view.setUint32(0, x);
      view.setUint32(4, y);
      values.push(view.getFloat64(0));
    }
    for (const v of values) {
      for (const at of [0, 3, 8]) {
        view.setFloat64(at, v);
        expect(Object.is(getF64(buf, at), view.getFloat64(at)), `${v} at ${at}`).toBe(true);
      }
    }
  });
});
