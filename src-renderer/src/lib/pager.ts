// The packet list's rows, pulled from the engine a page at a time as the user scrolls, never
// pushed. Pages are cached (the most recently used ones, up to `maxPages`), a page is fetched
// once however often it is asked for, and answers that arrive after `reset()` (a new filter, a
// cleared capture) are dropped. A page shorter than `pageSize` (the list's end) is fetched again
// when the list grows past it.

export interface Page<Row> {
  total: number;
  rows: Row[];
}

export type FetchPage<Row> = (from: number, count: number) => Promise<Page<Row>>;

export class RowPager<Row> {
  /** How many rows the list has, as the last answer said. */
  total = 0;
  private readonly pages = new Map<number, Row[]>();
  private readonly inFlight = new Map<number, Promise<void>>();
  private generation = 0;

  constructor(
    private readonly fetch: FetchPage<Row>,
    /** Called after a page arrives (the view redraws). */
    public changed: () => void = () => {},
    readonly pageSize = 200,
    readonly maxPages = 64,
  ) {}

  /** The row at `index`, if its page is here. */
  get(index: number): Row | undefined {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    return page?.[index % this.pageSize];
  }

  /** Forgets every page (the list's contents changed under us). */
  reset(total = 0): void {
    this.generation++;
    this.pages.clear();
    this.inFlight.clear();
    this.total = total;
  }

  /** The list now has `total` rows (a stats event said so): short pages become stale. */
  setTotal(total: number): void {
    if (total < this.total) {
      this.reset(total);
      return;
    }
    this.total = total;
  }

  /** Fetches the pages covering rows `start`..`end` (inclusive) that are missing or stale. */
  async ensure(start: number, end: number): Promise<void> {
    if (end < start) return;
    const first = Math.floor(Math.max(0, start) / this.pageSize);
    const last = Math.floor(Math.max(0, end) / this.pageSize);
    const waits: Promise<void>[] = [];
    for (let p = first; p <= last; p++) {
      if (p * this.pageSize >= this.total) break;
      const page = this.pages.get(p);
      const complete =
        page !== undefined &&
        (page.length === this.pageSize || p * this.pageSize + page.length >= this.total);
      if (complete) {
        // Most recently used last: re-insert.
        this.pages.delete(p);
        this.pages.set(p, page);
        continue;
      }
      waits.push(this.load(p));
    }
    await Promise.all(waits);
  }

  private load(p: number): Promise<void> {
    const pending = this.inFlight.get(p);
    if (pending) return pending;
    const gen = this.generation;
    const job = this.fetch(p * this.pageSize, this.pageSize)
      .then((answer) => {
        if (gen !== this.generation) return;
        this.total = answer.total;
        this.pages.delete(p);
        this.pages.set(p, answer.rows);
        while (this.pages.size > this.maxPages) {
          const oldest = this.pages.keys().next().value as number;
          this.pages.delete(oldest);
        }
        this.changed();
      })
      .finally(() => {
        if (this.inFlight.get(p) === job) this.inFlight.delete(p);
      });
    this.inFlight.set(p, job);
    return job;
  }
}
