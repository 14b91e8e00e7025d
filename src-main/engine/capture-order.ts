// The packet list sorted by a column, as a click on Wireshark's column header sorts it: ascending,
// then descending; ties keep frame order (reversed with the rest when descending). Numbers sort
// as numbers (Time, Length); Source and Destination by the address's bytes (Ethernet before IPv4
// before IPv6, as Wireshark's address types come, so 10.0.0.2 comes before 10.0.0.10); the other
// text columns by their text.
//
// The renderer holds a page of rows, never the list, so the order is made here. A million frames
// stay cheap: a text column's value is read once per frame (a few milliseconds at a time between
// the engine's slices, as the display filter's scan is) and kept as an interned id in a typed
// array; a sort ranks the few distinct values, then sorts one Float64Array of rank · 2³² +
// position natively (no comparator called per frame). While the list grows, the order is made
// again at most every few times what the last one cost, so a live capture sorted by a column
// stays sorted without the engine spending its time sorting.
import { performance } from 'node:perf_hooks';
import type { SortColumn } from '../ipc/views';

type TextColumn = Exclude<SortColumn, 'no' | 'time' | 'length'>;

/** What a sort reads of frame `n` (which the capture holds). */
export interface SortKeys {
  time(n: number): number;
  length(n: number): number;
  text(n: number, column: TextColumn): string;
  /** The frame's bytes, to find the Ethernet address a name (`Broadcast`) stands for. */
  bytes(n: number): Uint8Array;
}

/** The list being sorted: frame numbers, ascending (all frames held, or the filter's matches). */
export interface FrameList {
  readonly length: number;
  at(i: number): number;
}

/** Wall time spent reading keys when a request wants the order now. */
const REQUEST_KEY_MS = 10;
/** The least wall time between two sorts of a growing list, and the multiple of the last sort's cost. */
const RESORT_MIN_MS = 250;
const RESORT_COST_FACTOR = 4;
/** Frames keyed between two looks at the clock. */
const KEY_CHUNK = 1024;

export class ListOrder {
  column: SortColumn = 'no';
  descending = false;
  /** Moves whenever the order shown changes (a sort made, or undone): pages must be fetched again. */
  generation = 0;

  /** Interned text keys of frames `keyedFrom`..`keyedTo`: ids[n - idBase]. */
  private ids = new Uint32Array(0);
  private idBase = 1;
  private keyedFrom = 1;
  private keyedTo = 0;
  private readonly interned = new Map<string, number>();
  private texts: string[] = [];
  /** For each id, a frame that had it (its bytes name a named address). */
  private firstFrame: number[] = [];

  /** The sorted list (frame numbers), and the list it was made from: its length and last frame. */
  private order: Float64Array | null = null;
  private orderLength = 0;
  private madeLength = 0;
  private madeLast = -1;
  private madeAt = -Infinity;
  private cost = 0;
  /** No frame in the order is older than this (frames before it were let go of). */
  private orderMin = 0;

  constructor(private readonly keys: SortKeys) {}

  /** Sorts by `column` (frame order: 'no', ascending). */
  set(column: SortColumn, descending: boolean): void {
    if (column !== this.column) this.forgetKeys();
    this.column = column;
    this.descending = descending;
    this.listChanged();
  }

  /** The capture was replaced or cleared: every key is gone. */
  reset(): void {
    this.forgetKeys();
    this.listChanged();
  }

  /** The list is another one (a new display filter): the keys stand, the order does not. */
  listChanged(): void {
    this.order = null;
    this.orderLength = 0;
    this.madeLength = 0;
    this.madeLast = -1;
    this.madeAt = -Infinity;
    this.generation++;
  }

  /** Frames of `first`..`last` whose key is still to be read (0 when sorting needs none). */
  pendingKeys(first: number, last: number): number {
    if (!this.textColumn()) return 0;
    return Math.max(0, last - Math.max(this.keyedTo, first - 1));
  }

  /** Reads the keys of frames up to `last` not read yet, for at most `budgetMs`; true when done. */
  readKeys(first: number, last: number, budgetMs: number): boolean {
    const column = this.textColumn();
    if (!column) return true;
    if (first > this.keyedTo || first < this.keyedFrom) {
      // Nothing kept is held any more (or a cleared capture started again).
      this.idBase = first;
      this.keyedFrom = first;
      this.keyedTo = first - 1;
    } else this.keyedFrom = first;
    this.room(first, last);
    const deadline = performance.now() + budgetMs;
    const keys = this.keys;
    let n = this.keyedTo + 1;
    while (n <= last) {
      const to = Math.min(last, n + KEY_CHUNK - 1);
      for (; n <= to; n++) {
        const text = keys.text(n, column);
        let id = this.interned.get(text);
        if (id === undefined) {
          id = this.texts.length;
          this.interned.set(text, id);
          this.texts.push(text);
          this.firstFrame.push(n);
        }
        this.ids[n - this.idBase] = id;
      }
      this.keyedTo = to;
      if (performance.now() >= deadline) break;
    }
    return this.keyedTo >= last;
  }

  /**
   * The list as shown, sorted: frame numbers in display order, or null for frame order (the
   * list itself; reversed when `descending`). A list that grew is sorted again once its keys
   * are read and the last sort is old enough; until then the last order is shown, without the
   * frames the capture has let go of (those before `first`).
   */
  sorted(
    list: FrameList,
    first: number,
    last: number,
    /** Wall time to spend reading keys now (a page asked for: some; a state pushed: none). */
    keyBudgetMs = REQUEST_KEY_MS,
  ): Float64Array | null {
    if (this.column === 'no') return null;
    this.dropEvicted(first);
    const last0 = list.length > 0 ? list.at(list.length - 1) : -1;
    const current =
      this.order !== null && list.length === this.madeLength && last0 === this.madeLast;
    if (current) return this.view();
    if (this.pendingKeys(first, last) > 0 && !this.readKeys(first, last, keyBudgetMs))
      return this.order ? this.view() : null;
    const now = performance.now();
    if (this.order && now - this.madeAt < Math.max(RESORT_MIN_MS, RESORT_COST_FACTOR * this.cost))
      return this.view();
    this.sort(list);
    this.madeLength = list.length;
    this.madeLast = last0;
    this.madeAt = performance.now();
    this.cost = this.madeAt - now;
    this.generation++;
    return this.view();
  }

  /** The order's length now (frames let go of are left out). */
  private view(): Float64Array {
    return this.order!.subarray(0, this.orderLength);
  }

  private sort(list: FrameList): void {
    const L = list.length;
    const ranks = new Uint32Array(L);
    let count = 0;
    const keys = this.keys;
    if (this.column === 'length') {
      for (let i = 0; i < L; i++) {
        const r = (ranks[i] = keys.length(list.at(i)));
        if (r >= count) count = r + 1;
      }
    } else if (this.column === 'time') {
      const times = new Float64Array(L);
      let inOrder = true;
      for (let i = 0; i < L; i++) {
        times[i] = keys.time(list.at(i));
        if (i > 0 && times[i] < times[i - 1]) inOrder = false;
      }
      // A lab's frames are stored as its clock runs: already in time order (ties in frame order).
      if (inOrder) {
        const order = new Float64Array(L);
        for (let i = 0; i < L; i++) order[this.descending ? L - 1 - i : i] = list.at(i);
        this.keep(order, list);
        return;
      }
      const distinct = unique(times.slice().sort());
      for (let i = 0; i < L; i++) ranks[i] = indexOf(distinct, times[i]);
      count = distinct.length;
    } else {
      const rank = this.textRanks();
      const ids = this.ids;
      const base = this.idBase;
      for (let i = 0; i < L; i++) ranks[i] = rank[ids[list.at(i) - base]];
      count = rank.length;
    }
    // A counting sort by rank: linear, and stable, so ties stay in frame order.
    const start = new Uint32Array(count + 1);
    for (let i = 0; i < L; i++) start[ranks[i] + 1]++;
    for (let r = 0; r < count; r++) start[r + 1] += start[r];
    const order = new Float64Array(L);
    for (let i = 0; i < L; i++) {
      const at = start[ranks[i]]++;
      order[this.descending ? L - 1 - at : at] = list.at(i);
    }
    this.keep(order, list);
  }

  private keep(order: Float64Array, list: FrameList): void {
    this.order = order;
    this.orderLength = order.length;
    this.orderMin = list.length > 0 ? list.at(0) : 0;
  }

  /** Each interned text's rank in the column's order. */
  private textRanks(): Uint32Array {
    const texts = this.texts;
    const rank = new Uint32Array(texts.length);
    if (this.column === 'source' || this.column === 'destination') {
      const at = this.column === 'source' ? 6 : 0;
      const key = texts.map((t, id) => addressKey(t, this.keys.bytes(this.firstFrame[id]), at));
      const ids = texts.map((_, id) => id).sort((a, b) => compare(key[a], key[b]));
      ids.forEach((id, r) => (rank[id] = r));
      return rank;
    }
    // The default sort compares UTF-16 code units, as Wireshark's QString::compare does.
    const sorted = texts.slice().sort();
    for (let r = 0; r < sorted.length; r++) rank[this.interned.get(sorted[r])!] = r;
    return rank;
  }

  private dropEvicted(first: number): void {
    const o = this.order;
    if (!o || first <= this.orderMin) return;
    this.orderMin = first;
    let k = 0;
    for (let i = 0; i < this.orderLength; i++) if (o[i] >= first) o[k++] = o[i];
    const gone = this.orderLength - k;
    this.orderLength = k;
    this.madeLength -= gone;
  }

  private textColumn(): TextColumn | null {
    const c = this.column;
    return c === 'no' || c === 'time' || c === 'length' ? null : c;
  }

  /** Makes `ids` hold frames `first`..`last`, dropping those before `first`. */
  private room(first: number, last: number): void {
    const need = last - first + 1;
    const offset = first - this.idBase;
    if (offset + need <= this.ids.length && offset < this.ids.length / 2) return;
    const next = new Uint32Array(Math.max(1024, need * 2));
    const kept = Math.max(0, this.keyedTo - first + 1);
    if (kept > 0) next.set(this.ids.subarray(offset, offset + kept));
    this.ids = next;
    this.idBase = first;
  }

  private forgetKeys(): void {
    this.ids = new Uint32Array(0);
    this.idBase = 1;
    this.keyedFrom = 1;
    this.keyedTo = 0;
    this.interned.clear();
    this.texts = [];
    this.firstFrame = [];
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The distinct values of a sorted array. */
function unique(sorted: Float64Array): Float64Array {
  let k = 0;
  for (let i = 0; i < sorted.length; i++)
    if (k === 0 || sorted[i] !== sorted[k - 1]) sorted[k++] = sorted[i];
  return sorted.subarray(0, k);
}

/** Where `value` is in a sorted array that has it. */
function indexOf(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/**
 * A string that orders an address column's text as Wireshark's address compare does: by type
 * (none, Ethernet, IPv4, IPv6), then length, then bytes. A name (`Broadcast`, `IPv4mcast_01`)
 * stands for the Ethernet address at `at` in the frame's bytes; text that is none of these sorts
 * last, by itself.
 */
export function addressKey(text: string, bytes: Uint8Array, at: number): string {
  if (text === '') return '0';
  const v4 = IPV4.exec(text);
  if (v4)
    return (
      '2' +
      v4
        .slice(1)
        .map((d) => hex2(Number(d)))
        .join('')
    );
  if (MAC.test(text)) return '1' + text.replaceAll(':', '');
  const v6 = ipv6Hex(text);
  if (v6 !== null) return '3' + v6;
  if (bytes.length >= at + 6) return '1' + Array.from(bytes.subarray(at, at + 6), hex2).join('');
  return '9' + text;
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/** An IPv6 address's 16 bytes as hex, or null when `text` is not one. */
function ipv6Hex(text: string): string | null {
  if (!/^[0-9a-fA-F:]+$/.test(text) || !text.includes(':')) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const words = (s: string) => (s === '' ? [] : s.split(':'));
  const head = words(halves[0]);
  const tail = halves.length === 2 ? words(halves[1]) : [];
  const fill = 8 - head.length - tail.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0) return null;
  const all = [...head, ...Array<string>(fill).fill('0'), ...tail];
  if (all.some((w) => w.length === 0 || w.length > 4)) return null;
  return all.map((w) => w.toLowerCase().padStart(4, '0')).join('');
}
