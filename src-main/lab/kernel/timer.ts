import type { EventHandler, Scheduler } from '../sim/scheduler';

/**
 * Kernel timers (`struct timer_list`): each timer is made once, with its
 * function, and then armed and disarmed as often as needed. Arming schedules an
 * event carrying the timer's id and generation; a re-armed or deleted timer
 * bumps its generation, so the earlier event finds itself stale.
 */
export class Timers implements EventHandler {
  private readonly fns: (() => void)[] = [];
  private readonly gens: number[] = [];
  private readonly expires: number[] = [];
  /** Ids given back with `free`, for `setup` to reuse. */
  private readonly freeIds: number[] = [];
  /** Whether each id is given back (so a second `free` cannot hand it out twice). */
  private readonly freed: boolean[] = [];
  private readonly handlerId: number;

  constructor(readonly sched: Scheduler) {
    this.handlerId = sched.register(this);
  }

  /** Timer ids in use or free: the table's size. */
  get slots(): number {
    return this.fns.length;
  }

  /** Timer ids in use: set up and not freed. */
  get inUse(): number {
    return this.fns.length - this.freeIds.length;
  }

  /** `timer_setup`: returns the id to arm. */
  setup(fn: () => void): number {
    const id = this.freeIds.pop();
    if (id !== undefined) {
      this.fns[id] = fn;
      this.freed[id] = false;
      return id;
    }
    this.fns.push(fn);
    this.gens.push(0);
    this.expires.push(-1);
    this.freed.push(false);
    return this.fns.length - 1;
  }

  /**
   * `mod_timer`: (re)arms timer `id` to fire at absolute time `at`. Arming a
   * freed id is a bug in its former owner (it would fire someone else's
   * function once the id is reused), so it throws rather than fire wrongly.
   */
  mod(id: number, at: number): void {
    if (this.freed[id] !== false) throw new Error(`timer ${id} armed after it was freed`);
    const gen = ++this.gens[id];
    this.expires[id] = at;
    this.sched.schedule(at, this.handlerId, id, gen);
  }

  /** `del_timer`; nothing to do for an id already freed. */
  del(id: number): void {
    if (this.freed[id] !== false) return;
    this.gens[id]++;
    this.expires[id] = -1;
  }

  /**
   * `del_timer_sync` in an owner's teardown: disarms timer `id` and gives its
   * id back for reuse, dropping its function (and what that holds). Only for a
   * timer whose owner is done for good: the owner must forget the id (a later
   * `setup` may hand it to someone else). Freeing an id twice in a row does
   * nothing the second time.
   */
  free(id: number): void {
    if (this.freed[id] !== false) return;
    this.del(id);
    this.fns[id] = noop;
    this.freed[id] = true;
    this.freeIds.push(id);
  }

  /** `timer_pending` */
  pending(id: number): boolean {
    return this.expires[id] >= 0;
  }

  /** When a pending timer fires (-1 when not pending). */
  expiresAt(id: number): number {
    return this.expires[id];
  }

  handleEvent(id: number, gen: number): void {
    if (gen !== this.gens[id]) return;
    this.expires[id] = -1;
    this.fns[id]();
  }
}

function noop(): void {}
