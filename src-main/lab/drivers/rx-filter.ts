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
  /** 64 hash bins as two 32-bit words (bin b is bit b & 31 of word b >> 5). */
  hashLo = 0;
  hashHi = 0;
  readonly perfect: Float64Array;
  perfectCount = 0;
  mode: FilterMode = 'none';

  constructor(readonly perfectCapacity = 0) {
    this.perfect = new Float64Array(perfectCapacity);
  }

  clear(): void {
    this.promisc = false;
    this.allMulti = false;
    this.hashLo = 0;
    this.hashHi = 0;
    this.perfectCount = 0;
    this.mode = 'none';
  }

  /** A copy of the registers as they are now (for the filter's history: see rx-filter-history.ts). */
  clone(): RxFilter {
    const c = new RxFilter(this.perfectCapacity);
    c.promisc = this.promisc;
    c.allMulti = this.allMulti;
    c.hashLo = this.hashLo;
    c.hashHi = this.hashHi;
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
      this.hashLo !== o.hashLo ||
      this.hashHi !== o.hashHi ||
      this.perfectCount !== o.perfectCount ||
      this.mode !== o.mode
    )
      return false;
    for (let i = 0; i < this.perfectCount; i++) if (this.perfect[i] !== o.perfect[i]) return false;
    return true;
  }

  setBin(bin: number): void {
    if (bin < 32) this.hashLo |= 1 << bin;
    else this.hashHi |= 1 << (bin - 32);
  }

  hasBin(bin: number): boolean {
    return ((bin < 32 ? this.hashLo >>> bin : this.hashHi >>> (bin - 32)) & 1) === 1;
  }

  /** Decides whether the NIC takes `frame` addressed to it or another station. */
  classify(frame: PhyFrame, ownKey: number): number {
    const dest = frame.destKey;
    if (this.promisc) return dest === ownKey ? HW_UNICAST : HW_PROMISC;
    if ((frame.buf[0] & 1) === 0) return dest === ownKey ? HW_UNICAST : HW_REJECT;
    if (dest === BROADCAST_KEY) return HW_BROADCAST;
    if (this.allMulti) return HW_ALLMULTI;
    for (let i = 0; i < this.perfectCount; i++) if (this.perfect[i] === dest) return HW_PERFECT;
    if ((this.hashLo | this.hashHi) !== 0 && this.hasBin(frame.hashBin())) return HW_HASH;
    return HW_REJECT;
  }

  /** The table as a driver's private ioctl reports it. */
  describe(): { mode: FilterMode; bins: number[]; perfect: string[]; perfectCapacity: number } {
    const bins: number[] = [];
    for (let b = 0; b < 64; b++) if (this.hasBin(b)) bins.push(b);
    const perfect: string[] = [];
    for (let i = 0; i < this.perfectCount; i++)
      perfect.push(formatMac(macFromKey(this.perfect[i])));
    return { mode: this.mode, bins, perfect, perfectCapacity: this.perfectCapacity };
  }
}
