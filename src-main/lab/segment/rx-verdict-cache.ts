import { RXV_TAKE, type PhyFrame } from '../drivers/phy';
import type { Station } from './station';

/** Destinations remembered at once: a flood repeats a few (groups, broadcast, a unicast peer). */
const WAYS = 8;

/**
 * The segment's copy of what each card's address filter answers for the last
 * few destinations seen, in one array, with the rejects counted beside it.
 * Why: a frame on a shared segment reaches every card, and most cards' filters
 * turn most frames away; asking each card touches some six of its objects, and
 * with hundreds of cards none of them stay in the CPU's caches between frames.
 * Here a reject costs a byte read and a count in two arrays. A card's answer is
 * a pure function of its filter registers, its own address, whether its
 * receiver runs and the destination, so any change to those (the card calls
 * `invalidate` through its `Phy`) forgets every row.
 */
export class RxVerdictCache {
  private readonly keys = new Float64Array(WAYS).fill(NaN);
  private next = 0;
  private stride = 0;
  /** Row `w` (WAYS of them) holds station i's answer at `w * stride + i`. */
  verdicts = new Uint8Array(0);
  /** Rejects not yet added to their card's counters, by station (see `take`). */
  private pending = new Float64Array(0);
  /** Bumped by every `invalidate`: a delivery in progress re-reads its row when it changed. */
  epoch = 0;

  /** Makes room for `n` stations; forgets every row. */
  resize(n: number): void {
    if (n > this.stride) {
      const stride = Math.max(n, this.stride * 2, 8);
      this.verdicts = new Uint8Array(WAYS * stride);
      const pending = new Float64Array(stride);
      pending.set(this.pending);
      this.pending = pending;
      this.stride = stride;
    }
    this.invalidate();
  }

  invalidate(): void {
    this.keys.fill(NaN);
    this.epoch++;
  }

  /** The offset of `frame`'s destination's row in `verdicts`, filled from the cards if new. */
  row(frame: PhyFrame, stations: readonly Station[]): number {
    const key = frame.destKey;
    const keys = this.keys;
    for (let w = 0; w < WAYS; w++) if (keys[w] === key) return w * this.stride;
    const w = this.next;
    this.next = w + 1 === WAYS ? 0 : w + 1;
    const at = w * this.stride;
    const v = this.verdicts;
    for (let i = 0; i < stations.length; i++) {
      const mac = stations[i].mac;
      v[at + i] = mac.rxVerdict === undefined ? RXV_TAKE : mac.rxVerdict(frame);
    }
    keys[w] = key;
    return at;
  }

  reject(index: number): void {
    this.pending[index]++;
  }

  /** Hands over station `index`'s rejects counted since the last call. */
  take(index: number): number {
    const n = this.pending[index];
    this.pending[index] = 0;
    return n;
  }
}
