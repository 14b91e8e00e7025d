import { BROADCAST_KEY, formatMac, macFromKey } from '../wire/mac';
import type { PhyFrame } from './phy';

/**
 * A NIC's receive address filter, as registers: the driver's
 * `setMulticastList` programs them, and the hardware checks every frame on the
 * wire against them without costing the host anything. The verdict travels
 * with the frame so its fate can say why it got in.
 */

export const HW_REJECT = 0;
export const HW_UNICAST = 1;
export const HW_BROADCAST = 2;
/** An exact match in a perfect filter's table. */
export const HW_PERFECT = 3;
/** The address's hash bin is set: maybe joined, maybe a collision the kernel must drop. */
export const HW_HASH = 4;
export const HW_ALLMULTI = 5;
export const HW_PROMISC = 6;

export const HW_VERDICT_NAMES = [
  'rejected',
  'unicast',
  'broadcast',
  'perfect match',
  'hash match',
  'all-multicast',
  'promiscuous',
];

/** How the filter treats multicast right now, for display. */
export type FilterMode = 'none' | 'perfect' | 'hash' | 'allmulti' | 'promisc';

export class RxFilter {
  promisc = false;
  allMulti = false;
  /** The hash table's bits, 32 bins a word (bin b is bit b & 31 of word b >> 5). */
  private readonly words: Uint32Array;
  /** Whether any bin is set (the hot path skips hashing the destination otherwise). */
  private anyBin = false;
  readonly perfect: Float64Array;
  perfectCount = 0;
  mode: FilterMode = 'none';

  /**
   * `perfectCapacity` exact multicast entries; a hash table of `hashBins` bins: 64 indexed by
   * `ether_crc(6, addr) >> 26` (the DP8390's), or 512 by `ether_crc_le(6, addr) & 0x1ff` (the
   * 21x4x's setup frame).
   */
  constructor(
    readonly perfectCapacity = 0,
    readonly hashBins: 64 | 512 = 64,
  ) {
    this.perfect = new Float64Array(perfectCapacity);
    this.words = new Uint32Array(hashBins >> 5);
  }

  clear(): void {
    this.promisc = false;
    this.allMulti = false;
    this.words.fill(0);
    this.anyBin = false;
    this.perfectCount = 0;
    this.mode = 'none';
  }

  /** A copy of the registers as they are now (for the filter's history: see rx-filter-history.ts). */
  clone(): RxFilter {
    const c = new RxFilter(this.perfectCapacity, this.hashBins);
    c.promisc = this.promisc;
    c.allMulti = this.allMulti;
    c.words.set(this.words);
    c.anyBin = this.anyBin;
    c.perfect.set(this.perfect);
    c.perfectCount = this.perfectCount;
    c.mode = this.mode;
    return c;
  }

  /** Whether `o` holds the same registers (the same frames get in). */
  equals(o: RxFilter): boolean {
    if (
      this.promisc !== o.promisc ||
      this.allMulti !== o.allMulti ||
      this.hashBins !== o.hashBins ||
      this.perfectCount !== o.perfectCount ||
      this.mode !== o.mode
    )
      return false;
    for (let i = 0; i < this.words.length; i++) if (this.words[i] !== o.words[i]) return false;
    for (let i = 0; i < this.perfectCount; i++) if (this.perfect[i] !== o.perfect[i]) return false;
    return true;
  }

  setBin(bin: number): void {
    this.words[bin >> 5] |= 1 << (bin & 31);
    this.anyBin = true;
  }

  hasBin(bin: number): boolean {
    return ((this.words[bin >> 5] >>> (bin & 31)) & 1) === 1;
  }

  /** The bin `frame`'s destination falls in, by this table's hash. */
  binOf(frame: PhyFrame): number {
    return this.hashBins === 512 ? frame.hashBin512() : frame.hashBin();
  }

  /** Decides whether the NIC takes `frame` addressed to it or another station. */
  classify(frame: PhyFrame, ownKey: number): number {
    const dest = frame.destKey;
    if (this.promisc) return dest === ownKey ? HW_UNICAST : HW_PROMISC;
    if ((frame.buf[0] & 1) === 0) return dest === ownKey ? HW_UNICAST : HW_REJECT;
    if (dest === BROADCAST_KEY) return HW_BROADCAST;
    if (this.allMulti) return HW_ALLMULTI;
    for (let i = 0; i < this.perfectCount; i++) if (this.perfect[i] === dest) return HW_PERFECT;
    if (this.anyBin && this.hasBin(this.binOf(frame))) return HW_HASH;
    return HW_REJECT;
  }

  /** The table as a driver's private ioctl reports it. */
  describe(): {
    mode: FilterMode;
    bins: number[];
    hashBins: number;
    perfect: string[];
    perfectCapacity: number;
  } {
    const bins: number[] = [];
    for (let b = 0; b < this.hashBins; b++) if (this.hasBin(b)) bins.push(b);
    const perfect: string[] = [];
    for (let i = 0; i < this.perfectCount; i++)
      perfect.push(formatMac(macFromKey(this.perfect[i])));
    return {
      mode: this.mode,
      bins,
      hashBins: this.hashBins,
      perfect,
      perfectCapacity: this.perfectCapacity,
    };
  }
}
