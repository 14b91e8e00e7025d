import type { FrameMeta } from '../dissect/meta';
import { addNs, diffNs, EPOCH, MAX_OFFSET_NS, type ExactTime } from '../time';
import type { Capture } from '../capture';
import { DIR_IN, DIR_OUT, type FrameStore } from '../frame-store';
import type { CompiledFilter } from './compile';

/**
 * Filtering what a capture holds: a `FrameMeta` that reads a `FrameStore`'s
 * per-frame arrays for one frame number at a time (one object, re-pointed,
 * no allocation per frame), and a loop that returns the matching numbers.
 */
export class StoreFrameMeta implements FrameMeta {
  /** The frame number this object describes now. */
  number = 0;

  constructor(
    readonly store: FrameStore,
    /** Capture point names by point id. */
    readonly pointNames: readonly string[],
    /** The fate of frame n; asked only by filters that name `fate`. */
    readonly fateOf: (n: number) => string = () => '',
    /** The instant the store's times count from. */
    readonly origin: ExactTime = EPOCH,
    /** The frames are the lab's (Capture.fromLab). */
    readonly fromLab = true,
    /** Frame n's exact time (see Capture.instant). */
    private readonly instantOf: (n: number, out: { sec: number; nsec: number }) => void = (
      n,
      out,
    ) => addNs(origin, store.timeOf(n), out),
  ) {}

  instant(out: { sec: number; nsec: number }): void {
    this.instantOf(this.number, out);
  }

  /** Re-points this object at frame `n`, which the store must hold. */
  at(n: number): this {
    this.number = n;
    return this;
  }

  get timeNs(): number {
    return this.store.timeOf(this.number);
  }

  sinceFirst(): number {
    const t = this.store.timeOf(this.number);
    if (Math.abs(t) <= MAX_OFFSET_NS) return t - this.store.startTime;
    // Years from the first frame (a merged file): from the exact times, rounded once, as a
    // filter's seconds are (parseSecondsNs), so that == still finds the frame.
    this.instantOf(this.number, this.exact);
    this.instantOf(this.store.first, this.first);
    return diffNs(this.exact, this.first);
  }

  private readonly exact = { sec: 0, nsec: 0 };
  private readonly first = { sec: 0, nsec: 0 };

  sincePrevious(): number {
    return this.store.sincePrevious(this.number);
  }

  get wireLength(): number {
    return this.store.wireLength(this.number);
  }

  point(): string {
    return this.pointNames[this.store.pointOf(this.number)] ?? '';
  }

  direction(): string {
    const d = this.store.directionOf(this.number);
    return d === DIR_IN ? 'in' : d === DIR_OUT ? 'out' : '';
  }

  fate(): string {
    return this.fateOf(this.number);
  }
}

/** The metadata of a capture's frames: point names and fates as its rows show them. */
export function captureMeta(capture: Capture): StoreFrameMeta {
  return new StoreFrameMeta(
    capture.store,
    capture.points.map((p) => p.name),
    (n) => capture.fateOf(n),
    capture.origin,
    capture.fromLab,
    (n, out) => capture.instant(n, out),
  );
}

/**
 * The numbers of the frames from `from` to `to` (inclusive, clamped to what
 * the store holds) that match, in order.
 */
export function filterStore(
  filter: CompiledFilter,
  meta: StoreFrameMeta,
  from = meta.store.first,
  to = meta.store.last,
): Uint32Array {
  const store = meta.store;
  const first = Math.max(from, store.first);
  const last = Math.min(to, store.last);
  if (last < first) return new Uint32Array(0);
  let out = new Uint32Array(Math.min(last - first + 1, 1 << 16));
  let k = 0;
  const readsBytes = filter.readsBytes;
  const none = new Uint8Array(0);
  for (let n = first; n <= last; n++) {
    meta.at(n);
    const bytes = readsBytes ? store.data(n) : none;
    if (!filter.match(bytes, readsBytes ? bytes.length : store.capturedLength(n), meta)) continue;
    if (k === out.length) {
      const bigger = new Uint32Array(Math.min(out.length * 2, last - first + 1));
      bigger.set(out);
      out = bigger;
    }
    out[k++] = n;
  }
  return out.subarray(0, k);
}
