import type { RxFilter } from './rx-filter';

/**
 * Whether and how a card listened, from some moment on: its receiver on or off,
 * its cable, its own address and its filter's registers.
 */
export interface RxListenState {
  /** Simulated time from which this state held (until the next one). */
  since: number;
  /** The receiver was on: the device was open. */
  receiving: boolean;
  plugged: boolean;
  /** The card's own MAC as a 48-bit key. */
  ownKey: number;
  /** A copy of the registers. */
  filter: RxFilter;
}

/** Changes kept per card; programming a filter is rare next to the frames it sees. */
const LIMIT = 1024;

/**
 * The history of a card's receive filter. The hardware turns most frames away
 * without recording them (costing nothing per frame is the point of a filter),
 * so to say why a frame was turned away, its verdict is worked out again from
 * the registers as they were when it arrived. Only changes are written: the
 * driver notes its state each time it opens, stops, programs the filter, or
 * its MAC or cable changes.
 */
export class RxFilterHistory {
  private readonly states: RxListenState[] = [];

  /** Notes the state from `time` on (nothing when it is the same as the last). */
  note(time: number, receiving: boolean, plugged: boolean, ownKey: number, filter: RxFilter): void {
    const last = this.states.at(-1);
    if (
      last &&
      last.receiving === receiving &&
      last.plugged === plugged &&
      last.ownKey === ownKey &&
      last.filter.equals(filter)
    )
      return;
    const state = { since: time, receiving, plugged, ownKey, filter: filter.clone() };
    // A second change at the same instant replaces the first: a frame arriving then meets the last.
    if (last && last.since === time) this.states[this.states.length - 1] = state;
    else this.states.push(state);
    if (this.states.length > LIMIT) this.states.shift();
  }

  /**
   * The state in force for a frame arriving at `time` (changes at the same instant count as
   * made before it), or null when that is older than the oldest change kept.
   */
  at(time: number): RxListenState | null {
    const s = this.states;
    let lo = 0;
    let hi = s.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid].since <= time) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? null : s[found];
  }

  get length(): number {
    return this.states.length;
  }
}
