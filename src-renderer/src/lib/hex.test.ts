import { describe, expect, it } from 'vitest';
import { base64Bytes, bytesBase64 } from './download';
import { asciiChar, bytesPerRow, hexRows, inRange, offsetHex, parseHex } from './hex';

describe('hex pane helpers', () => {
  it('parses the API hex and lays it out in rows of 16', () => {
    const bytes = parseHex('01005e0101180200000001000800450000');
    expect(bytes.length).toBe(17);
    expect(bytes[0]).toBe(1);
    expect(bytes[16]).toBe(0);
    const rows = hexRows(bytes);
    expect(rows.map((r) => [r.offset, r.bytes.length])).toEqual([
      [0, 16],
      [16, 1],
    ]);
    expect(offsetHex(16)).toBe('0010');
  });

  it('shows printable ASCII and dots', () => {
    expect([0x4e, 0x4c, 0x00, 0x7f].map(asciiChar).join('')).toBe('NL..');
  });

  it('fits sixteen bytes a row, else eight, else four, with their ASCII', () => {
    // 7.2 px characters (12 px monospace): a row of 16 takes 485 px, of 8 274, of 4 172.
    expect(bytesPerRow(485, 7.2)).toBe(16);
    expect(bytesPerRow(484, 7.2)).toBe(8);
    expect(bytesPerRow(274, 7.2)).toBe(8);
    expect(bytesPerRow(190, 7.2)).toBe(4);
    expect(bytesPerRow(100, 7.2)).toBe(4);
  });

  it('tests half-open ranges', () => {
    expect(inRange(14, [14, 34])).toBe(true);
    expect(inRange(34, [14, 34])).toBe(false);
    expect(inRange(0, null)).toBe(false);
  });
});

describe('base64', () => {
  it('round-trips bytes, in chunks past 32 KiB', () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) & 0xff);
    const text = bytesBase64(bytes);
    expect(bytesBase64(Uint8Array.from([0, 1, 2, 253, 254, 255]))).toBe('AAEC/f7/');
    expect(base64Bytes(text)).toEqual(bytes);
  });
});
