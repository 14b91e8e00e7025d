import { describe, expect, it } from 'vitest';
import { crc32, crc32View, etherCrcLe, hashBin512, hashBin64 } from './crc32';
import { parseMac } from './mac';

describe('crc32', () => {
  it('matches the IEEE check value', () => {
    const ascii = Uint8Array.from('123456789', (c) => c.charCodeAt(0));
    expect(crc32(ascii)).toBe(0xcbf43926);
  });

  it('makes a frame whose CRC over data+FCS is the Ethernet residue', () => {
    const frame = new Uint8Array(64);
    for (let i = 0; i < 60; i++) frame[i] = i * 7;
    const fcs = crc32(frame, 0, 60);
    // The FCS goes on the wire least significant byte first.
    frame[60] = fcs & 0xff;
    frame[61] = (fcs >>> 8) & 0xff;
    frame[62] = (fcs >>> 16) & 0xff;
    frame[63] = fcs >>> 24;
    expect(crc32(frame)).toBe(0x2144df1c);
  });

  it('reads the same CRC through a DataView, at any offset and length', () => {
    const bytes = Uint8Array.from({ length: 1600 }, (_, i) => (i * 131 + 7) & 0xff);
    const view = new DataView(bytes.buffer);
    for (const start of [0, 1, 2, 3, 5])
      for (const len of [0, 1, 3, 4, 5, 59, 60, 61, 64, 1514])
        expect(crc32View(view, start, start + len)).toBe(crc32(bytes, start, start + len));
  });
});

describe('hashBin64 (ether_crc >> 26)', () => {
  const bin = (mac: string) => hashBin64(parseMac(mac)!);

  it('puts 239.1.1.24 and 239.1.1.1 in the same bin, as the lab exercise says', () => {
    expect(bin('01:00:5e:01:01:01')).toBe(bin('01:00:5e:01:01:18'));
    expect(bin('01:00:5e:01:01:01')).toBe(4);
  });

  it('spreads addresses over all 64 bins', () => {
    const bins = new Set<number>();
    const mac = parseMac('01:00:5e:00:00:00')!;
    for (let i = 0; i < 1024; i++) {
      mac[4] = i >> 8;
      mac[5] = i & 0xff;
      bins.add(hashBin64(mac));
    }
    expect(bins.size).toBe(64);
  });
});

describe('hashBin512 (ether_crc_le & 0x1ff, the 21x4x setup frame)', () => {
  const bin = (mac: string) => hashBin512(parseMac(mac)!);

  it('puts broadcast in bin 255, the bit tulip sets for it', () => {
    expect(bin('ff:ff:ff:ff:ff:ff')).toBe(255);
  });

  it('is the reflected CRC without its final inversion', () => {
    const a = parseMac('01:00:5e:01:01:01')!;
    expect(etherCrcLe(a, 0, 6)).toBe((crc32(a) ^ 0xffffffff) >>> 0);
    expect(bin('01:00:5e:01:01:01')).toBe(136);
    expect(bin('01:00:5e:01:38:02')).toBe(136); // 239.1.56.2
  });

  it('spreads addresses over all 512 bins', () => {
    const bins = new Set<number>();
    for (let i = 0; i < 8192; i++)
      bins.add(hashBin512(Uint8Array.of(1, 0, 0x5e, (i >> 8) & 0x7f, i & 255, 7)));
    expect(bins.size).toBe(512);
  });
});

describe('etherCrcLe (ether_crc_le)', () => {
  it('is crc32_le(~0) without the final inversion: the CRC-32 check value inverted', () => {
    const check = new TextEncoder().encode('123456789');
    expect(etherCrcLe(check, 0, check.length)).toBe(~0xcbf43926 >>> 0);
  });

  it('puts broadcast in bin 255, the bit tulip_core.c sets for it', () => {
    expect(etherCrcLe(new Uint8Array(6).fill(0xff), 0, 6) & 0x1ff).toBe(255);
  });
});
