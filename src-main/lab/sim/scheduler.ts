/**
 * The discrete-event scheduler: a binary min-heap kept in parallel typed arrays.
 *
 * Events carry no closures: an event is (time, handler id, kind, arg), and the
 * scheduler calls `handlers[id].handleEvent(kind, arg)`. Handlers that need to
 * forget an event they scheduled (a timer that was superseded) stamp `arg` with
 * a generation number and ignore stale ones, so there is no cancel operation.
 * Ties on time are broken by insertion order, which keeps runs deterministic.
 */

export interface EventHandler {
  handleEvent(kind: number, arg: number): void;
}

const INITIAL_CAPACITY = 1024;

export class Scheduler {
  /** Simulated time in nanoseconds. Only ever moves forward. */
  now = 0;
  /** Events dispatched since creation. */
  dispatched = 0;

  private time = new Float64Array(INITIAL_CAPACITY);
  private seq = new Float64Array(INITIAL_CAPACITY);
  private target = new Int32Array(INITIAL_CAPACITY);
  private kind = new Int32Array(INITIAL_CAPACITY);
  private arg = new Float64Array(INITIAL_CAPACITY);
  private size = 0;
  private nextSeq = 0;
  private readonly handlers: EventHandler[] = [];

  /** Registers a handler; the returned id is what `schedule` takes. */
  register(handler: EventHandler): number {
    this.handlers.push(handler);
    return this.handlers.length - 1;
  }

  get pending(): number {
    return this.size;
  }

  /** Time of the next event, or Infinity when none is pending. */
  get nextTime(): number {
    return this.size > 0 ? this.time[0] : Infinity;
  }

  /** Schedules `kind` for handler `id` at absolute time `at` (never before now). */
  schedule(at: number, id: number, kind: number, arg = 0): void {
    if (at < this.now) {
      throw new Error(`scheduler: event at ${at} ns is in the past (now ${this.now} ns)`);
    }
    if (this.size === this.time.length) this.grow();
    let i = this.size++;
    const s = this.nextSeq++;
    // Sift up: move parents down until the new event's slot is found.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = this.time[p];
      if (pt < at || (pt === at && this.seq[p] < s)) break;
      this.move(p, i);
      i = p;
    }
    this.time[i] = at;
    this.seq[i] = s;
    this.target[i] = id;
    this.kind[i] = kind;
    this.arg[i] = arg;
  }

  /** Schedules relative to now. */
  after(delay: number, id: number, kind: number, arg = 0): void {
    this.schedule(this.now + delay, id, kind, arg);
  }

  /** Dispatches one event; returns false when none is pending. */
  step(): boolean {
    if (this.size === 0) return false;
    const at = this.time[0];
    const id = this.target[0];
    const kind = this.kind[0];
    const arg = this.arg[0];
    this.removeTop();
    this.now = at;
    this.dispatched++;
    this.handlers[id].handleEvent(kind, arg);
    return true;
  }

  /**
   * Dispatches every event due at or before `until`, then sets the clock to
   * `until`. Returns the number of events dispatched.
   */
  runUntil(until: number, maxEvents = Infinity): number {
    let n = 0;
    while (this.size > 0 && this.time[0] <= until && n < maxEvents) {
      this.step();
      n++;
    }
    if (n < maxEvents && until > this.now && until !== Infinity) this.now = until;
    return n;
  }

  private removeTop(): void {
    const last = --this.size;
    if (last === 0) return;
    const t = this.time[last];
    const s = this.seq[last];
    let i = 0;
    // Sift down the last event from the root.
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      let c = l;
      if (
        r < last &&
        (this.time[r] < this.time[l] ||
          (this.time[r] === this.time[l] && this.seq[r] < this.seq[l]))
      ) {
        c = r;
      }
      const ct = this.time[c];
      if (t < ct || (t === ct && s < this.seq[c])) break;
      this.move(c, i);
      i = c;
    }
    this.move(last, i);
  }

  private move(from: number, to: number): void {
    this.time[to] = this.time[from];
    this.seq[to] = this.seq[from];
    this.target[to] = this.target[from];
    this.kind[to] = this.kind[from];
    this.arg[to] = this.arg[from];
  }

  private grow(): void {
    const n = this.time.length * 2;
    this.time = growF64(this.time, n);
    this.seq = growF64(this.seq, n);
    this.arg = growF64(this.arg, n);
    this.target = growI32(this.target, n);
    this.kind = growI32(this.kind, n);
  }
}

function growF64(a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

function growI32(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
