import { describe, expect, it } from 'vitest';
import {
  checksumReplace16,
  foldChecksum,
  internetChecksum,
  onesSum,
  pseudoHeaderSum,
  verifyInternetChecksum,
} from './checksum';

const hex = (s: string) =>
  Uint8Array.from(s.replace(/\s/g, '').match(/../g)!, (h) => parseInt(h, 16));

/** A second, deliberately naive implementation: end-around carry after every word. */
function naiveChecksum(bytes: Uint8Array, start: number, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i += 2) {
    const word = (bytes[start + i] << 8) | (i + 1 < length ? bytes[start + i + 1] : 0);
    sum += word;
    if (sum > 0xffff) sum -= 0xffff;
  }
  return 0xffff - sum;
}

/** A small seeded generator so failures repeat. */
function lcg(seed: number): () => number {
  return () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
}

// The IPv4 header from Wikipedia's "IPv4 header checksum" article, checksum field zeroed.
const WIKI_HEADER = hex('4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7');

describe('the Internet checksum', () => {
  it("sums RFC 1071's example words to ddf2", () => {
    // RFC 1071 §3: 0001 f203 f4f5 f6f7 sums (with end-around carry) to ddf2.
    const bytes = hex('0001 f203 f4f5 f6f7');
    expect(foldChecksum(onesSum(bytes, 0, 8))).toBe(~0xddf2 & 0xffff);
    expect(internetChecksum(bytes, 0, 8)).toBe(0x220d);
  });

  it('gives the Wikipedia IPv4 header its checksum b861, which then verifies', () => {
    expect(internetChecksum(WIKI_HEADER, 0, 20)).toBe(0xb861);
    const header = WIKI_HEADER.slice();
    header[10] = 0xb8;
    header[11] = 0x61;
    expect(verifyInternetChecksum(header, 0, 20)).toBe(true);
    header[8] = 0x3f; // TTL 63 without updating the checksum
    expect(verifyInternetChecksum(header, 0, 20)).toBe(false);
  });

  it('pads an odd last byte with zero and honours the start offset', () => {
    const bytes = hex('ff ff 12 34 56');
    expect(internetChecksum(bytes, 2, 3)).toBe(~(0x1234 + 0x5600) & 0xffff);
    expect(internetChecksum(bytes, 2, 3)).toBe(naiveChecksum(bytes, 2, 3));
  });

  it('accepts both forms of zero in the checksum field', () => {
    // Data summing to ffff has checksum 0000, and ffff (-0) verifies just as well.
    const bytes = hex('ff00 00ff 0000');
    expect(internetChecksum(bytes, 0, 6)).toBe(0);
    expect(verifyInternetChecksum(bytes, 0, 6)).toBe(true);
    bytes[4] = 0xff;
    bytes[5] = 0xff;
    expect(verifyInternetChecksum(bytes, 0, 6)).toBe(true);
    // All-zero data needs ffff; a zero checksum field over it does not verify.
    expect(internetChecksum(new Uint8Array(8), 0, 8)).toBe(0xffff);
    expect(verifyInternetChecksum(new Uint8Array(8), 0, 8)).toBe(false);
  });

  it('agrees with the naive implementation on random data, whole and in pieces', () => {
    const next = lcg(7);
    for (let round = 0; round < 200; round++) {
      const bytes = Uint8Array.from({ length: 1 + (next() % 200) }, next);
      const expected = naiveChecksum(bytes, 0, bytes.length);
      expect(internetChecksum(bytes, 0, bytes.length)).toBe(expected);
      const cut = (next() % (bytes.length + 1)) & ~1; // pieces but the last are even
      const sum = onesSum(bytes, cut, bytes.length - cut, onesSum(bytes, 0, cut));
      expect(foldChecksum(sum)).toBe(expected);
    }
  });

  it('folds sums of more than 64 KiB of ones', () => {
    const bytes = new Uint8Array(70000).fill(0xff);
    expect(internetChecksum(bytes, 0, bytes.length)).toBe(naiveChecksum(bytes, 0, bytes.length));
  });

  it('builds the UDP pseudo-header sum from addresses, protocol and length', () => {
    // 10.0.0.1 → 239.1.1.1, UDP, length 10: 0a00+0001+ef01+0101+0011+000a.
    expect(pseudoHeaderSum(0x0a000001, 0xef010101, 17, 10)).toBe(0xfa1e);
    const pseudo = hex('0a000001 ef010101 0011 000a');
    expect(pseudoHeaderSum(0x0a000001, 0xef010101, 17, 10)).toBe(onesSum(pseudo, 0, 12));
  });

  it('updates a checksum incrementally as a TTL decrement would (RFC 1624)', () => {
    const next = lcg(11);
    for (let round = 0; round < 500; round++) {
      const header = Uint8Array.from({ length: 20 }, next);
      header[10] = header[11] = 0;
      const check = internetChecksum(header, 0, 20);
      const word = (header[8] << 8) | header[9];
      const changed = (word + (next() << 8) + next()) & 0xffff;
      header[8] = changed >> 8;
      header[9] = changed & 0xff;
      const updated = checksumReplace16(check, word, changed);
      header[10] = updated >> 8;
      header[11] = updated & 0xff;
      expect(verifyInternetChecksum(header, 0, 20)).toBe(true);
    }
  });
});
