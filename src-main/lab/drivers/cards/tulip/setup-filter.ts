import { etherCrcLe } from '../../../wire/crc32';
import { macKey } from '../../../wire/mac';
import {
  FILTER_HASH,
  FILTER_HASH_ONLY,
  FILTER_INVERSE,
  FILTER_PERFECT,
  HASH_BINS,
  HASH_MASK,
  SETUP_ENTRY_LEN,
  SETUP_HASH_PERFECT_AT,
  SETUP_PERFECT_ENTRIES,
} from './csr';

/**
 * The Tulip's address filter as its last setup frame loaded it. The setup
 * frame's longwords carry data in their low 16 bits only (little-endian), so
 * an address is read two bytes from each of three longwords.
 */
export class SetupFilter {
  mode = FILTER_PERFECT;
  /** Perfect entries as 48-bit keys; NaN: the entry is empty (after reset). */
  readonly perfect = new Float64Array(SETUP_PERFECT_ENTRIES).fill(NaN);
  /** The 512-bin hash table, one bit per bin, bin n at byte n >> 3, bit n & 7. */
  readonly hash = new Uint8Array(HASH_BINS / 8);

  /** After a software reset: no entry, so nothing but promiscuous mode lets frames in. */
  reset(): void {
    this.mode = FILTER_PERFECT;
    this.perfect.fill(NaN);
    this.hash.fill(0);
  }

  /** Loads a 192-byte setup frame found at `at` in `mem`, in filter mode `mode` (FILTER_*). */
  load(mem: Uint8Array, at: number, mode: number): void {
    this.mode = mode;
    this.perfect.fill(NaN);
    this.hash.fill(0);
    if (mode === FILTER_HASH || mode === FILTER_HASH_ONLY) {
      // 32 longwords of 16 bins each.
      for (let i = 0; i < 32; i++) {
        this.hash[2 * i] = mem[at + 4 * i];
        this.hash[2 * i + 1] = mem[at + 4 * i + 1];
      }
      if (mode === FILTER_HASH) this.perfect[0] = entryKey(mem, at + SETUP_HASH_PERFECT_AT);
    } else {
      for (let e = 0; e < SETUP_PERFECT_ENTRIES; e++) {
        this.perfect[e] = entryKey(mem, at + e * SETUP_ENTRY_LEN);
      }
    }
  }

  /** Whether a frame to the address at `dest[at]` (key `destKey`) passes the filter. */
  accepts(dest: Uint8Array, at: number, destKey: number): boolean {
    switch (this.mode) {
      case FILTER_PERFECT:
        return this.inPerfect(destKey);
      case FILTER_INVERSE:
        return !this.inPerfect(destKey);
      case FILTER_HASH:
        return dest[at] & 1 ? this.inHash(dest, at) : this.perfect[0] === destKey;
      default:
        return this.inHash(dest, at);
    }
  }

  inPerfect(key: number): boolean {
    const p = this.perfect;
    for (let i = 0; i < p.length; i++) if (p[i] === key) return true;
    return false;
  }

  inHash(dest: Uint8Array, at: number): boolean {
    const bin = tulipHashBin(dest, at);
    return (this.hash[bin >> 3] & (1 << (bin & 7))) !== 0;
  }
}

/** The bin an address falls in: `ether_crc_le(6, addr) & 0x1ff`. */
export function tulipHashBin(addr: Uint8Array, at = 0): number {
  return etherCrcLe(addr, at, 6) & HASH_MASK;
}

function entryKey(mem: Uint8Array, at: number): number {
  const a = new Uint8Array(6);
  for (let i = 0; i < 3; i++) {
    a[2 * i] = mem[at + 4 * i];
    a[2 * i + 1] = mem[at + 4 * i + 1];
  }
  return macKey(a, 0);
}

/** Filter mode names, for reports and the editor. */
export const FILTER_MODE_NAMES = ['perfect', 'hash', 'inverse', 'hash-only'] as const;
