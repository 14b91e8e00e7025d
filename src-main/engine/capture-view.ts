// The capture as the API shows it: which points it listens on, the packet list in pages (all
// frames, or those a display filter matches), one frame in detail, and export.
//
// The packet list is pulled, never pushed: a UI asks for the page it shows. With a display
// filter set, the matching frame numbers are kept in an index that grows as frames arrive (only
// the frames since the last request are tested), so paging through a filtered million-frame
// capture costs a lookup, not a rescan. Testing is done in pieces of a few milliseconds (a
// request does one, the engine does the rest between its slices), so a new filter over a
// million frames never holds a request up: the list fills in as the scan proceeds, and
// `pending` says how many frames are still to be tested. The list as shown may be sorted by a
// column (capture-order.ts): the filter picks the frames, the sort orders them.
import { performance } from 'node:perf_hooks';
import { apiError } from '../ipc/errors';
import { Capture, type CapturePoint } from '../lab/capture/capture';
import { captureRing, DEFAULT_CAPTURE_LIMIT } from '../lab/capture/capture-limit';
import { dissect, type Field } from '../lab/capture/dissect/dissect';
import { summarize } from '../lab/capture/dissect/summary';
import { pcapExport, pcapngExport, type ExportSelection } from '../lab/capture/export';
import type { ChunkSink } from '../lab/capture/format';
import {
  compileFilter,
  formatFilterError,
  type CompiledFilter,
} from '../lab/capture/filter/compile';
import { captureMeta, filterStore, type StoreFrameMeta } from '../lab/capture/filter/store';
import { importCapture, type ImportResult } from '../lab/capture/import';
import type { SocketNamer } from '../lab/follow';
import type { Lab } from '../lab/lab';
import { ApiError } from '../ipc/protocol';
import type {
  CaptureRowView,
  CaptureState,
  FieldView,
  FrameDetail,
  SortColumn,
} from '../ipc/views';
import type { FrameFollow } from '../ipc/follow-view';
import { ListOrder, type FrameList } from './capture-order';
import { followCaptured } from './frame-follow';

/** A download is held in memory whole; past this, the UI should export to a file instead. */
export const MAX_DOWNLOAD_BYTES = 256 * 1024 * 1024;

/** Wall time a request may spend testing frames against the display filter. */
const REQUEST_SCAN_MS = 10;
/** Frames tested between two looks at the clock. */
const SCAN_CHUNK = 2048;

/** Which frames an export writes (see CaptureView.export). */
export interface ExportWhich {
  frames?: 'all' | 'displayed' | 'selected';
  no?: number;
  point?: string;
}

export class CaptureView {
  private capture: Capture | null;
  private filter: CompiledFilter | null = null;
  private meta: StoreFrameMeta | null = null;
  /** Frame numbers matching `filter`, ascending; frames up to `scannedTo` have been tested. */
  private matched: number[] = [];
  private scannedTo = -1;
  /** The memory budget of the capture (bytes of frames it holds): see capture-limit.ts. */
  private limit: number;
  /** The column the list is sorted by, and the order it makes. */
  private readonly order = new ListOrder({
    time: (n) => this.capture!.store.timeOf(n),
    length: (n) => this.capture!.store.wireLength(n),
    bytes: (n) => this.capture!.store.data(n),
    text: (n, column) => {
      const c = this.capture!;
      if (column === 'fate') return c.fateOf(n);
      if (column === 'point') return c.points[c.store.pointOf(n)].name;
      const s = c.store;
      const sum = summarize(s.data(n), s.capturedLength(n), s.wireLength(n), 0, c.fromLab);
      return sum[column];
    },
  });

  constructor(
    private readonly lab: Lab,
    /** The capture the lab file asked for (already started), or null. */
    initial: Capture | null,
    /** The lab file's captureLimit, if it has one. */
    limit = DEFAULT_CAPTURE_LIMIT,
  ) {
    this.capture = initial;
    this.limit = limit;
    if (initial) this.meta = captureMeta(initial);
  }

  /**
   * Starts capturing: on `points` (a new capture, replacing the old), else on the current ones.
   * A new `limit` (bytes) makes a new capture too.
   */
  start(points?: string[], snaplen?: number, limit?: number): void {
    if (points === undefined && this.capture && snaplen === undefined && limit === undefined) {
      this.capture.start();
      return;
    }
    const resolved = (points ?? this.capture?.points.map((p) => p.name) ?? ['segment']).map(
      (name, i) => this.point(name, i),
    );
    if (limit !== undefined) this.limit = limit;
    this.capture?.stop();
    const ring = captureRing(this.limit);
    this.capture = new Capture(
      resolved,
      this.lab.sched,
      snaplen === undefined ? { ring } : { ring, snaplen },
    );
    this.meta = captureMeta(this.capture);
    this.resetIndex();
    this.capture.start();
  }

  stop(): void {
    this.capture?.stop();
  }

  clear(): void {
    this.capture?.clear();
    this.resetIndex();
  }

  /** Sets the display filter; '' clears it. A filter that does not compile changes nothing. */
  setFilter(text: string): void {
    if (text.trim() === '') {
      this.filter = null;
      this.resetIndex(false);
      return;
    }
    const r = compileFilter(text);
    if (!r.ok)
      throw new ApiError({
        code: 'bad-filter',
        message: `display filter: ${formatFilterError(r.error)}`,
        field: 'args.text',
        details: r.error,
      });
    this.filter = r.filter;
    this.resetIndex(false);
    this.scan(REQUEST_SCAN_MS);
  }

  /** Sorts the list shown by `column` ('no' ascending: frame order). */
  setSort(column: SortColumn, descending: boolean): void {
    this.order.set(column, descending);
    this.scan(REQUEST_SCAN_MS);
  }

  state(): CaptureState {
    const c = this.capture;
    const s = c?.store;
    // A state is pushed ten times a second while running: it reads no sort keys itself.
    const shown = c && (this.filter || this.order.column !== 'no') ? this.shown(0).length : null;
    return {
      running: c?.running ?? false,
      points: c?.points.map((p) => p.name) ?? [],
      count: s ? Math.max(0, s.last - s.first + 1) : 0,
      first: s?.first ?? 0,
      last: s?.last ?? -1,
      filter: this.filter?.text ?? '',
      matching: shown ?? (s ? Math.max(0, s.last - s.first + 1) : 0),
      pending: this.pending,
      limit: this.limit,
      bytes: s?.bytes ?? 0,
      overwritten: s?.overwritten ?? 0,
      sort: {
        column: this.order.column,
        descending: this.order.descending,
        pending: s ? this.order.pendingKeys(s.first, s.last) : 0,
        generation: this.order.generation,
      },
    };
  }

  /** Positions `from`.. of the list (filtered or not); `total` is the list's length now. */
  rows(from: number, count: number): { total: number; rows: CaptureRowView[] } {
    const c = this.capture;
    if (!c) return { total: 0, rows: [] };
    const rows: CaptureRowView[] = [];
    if (this.filter) this.scan(REQUEST_SCAN_MS);
    const list = this.shown();
    const total = list.length;
    for (let i = from; i < Math.min(total, from + count); i++) rows.push(this.row(list.at(i)));
    return { total, rows };
  }

  /** The frames held (those the display filter matched so far, with one), in frame order. */
  private list(): FrameList {
    const s = this.capture!.store;
    if (this.filter) {
      this.forgetEvicted();
      const m = this.matched;
      return { length: m.length, at: (i) => m[i] };
    }
    const first = s.first;
    return { length: Math.max(0, s.last - first + 1), at: (i) => first + i };
  }

  /** The list as shown: sorted by the column chosen, once its values are read. */
  private shown(keyBudgetMs?: number): FrameList {
    const base = this.list();
    const s = this.capture!.store;
    const sorted = this.order.sorted(base, s.first, s.last, keyBudgetMs);
    if (sorted) return { length: sorted.length, at: (i) => sorted[i] };
    if (this.order.column === 'no' && this.order.descending) {
      const last = base.length - 1;
      return { length: base.length, at: (i) => base.at(last - i) };
    }
    return base;
  }

  /** One frame: its row, bytes and dissection. */
  detail(no: number): FrameDetail {
    const c = this.held(no);
    const data = c.store.data(no);
    const tree = dissect(data, data.length, this.meta!.at(no));
    return { row: this.row(no), hex: toHex(data), tree: tree.map(fieldView) };
  }

  /** Frame `no` followed across the segment: its fate at every station, and their copies of it. */
  follow(no: number, socketName: SocketNamer): FrameFollow {
    const c = this.held(no);
    return followCaptured(this.lab, c, no, (n) => this.position(n), socketName);
  }

  /** Where frame `no` is in the list as shown (filtered, sorted); null when it is not in it. */
  position(no: number): number | null {
    if (!this.capture) return null;
    if (this.order.column !== 'no') {
      const list = this.shown();
      for (let i = 0; i < list.length; i++) if (list.at(i) === no) return i;
      return null;
    }
    const at = this.framePosition(no);
    const length = this.order.descending ? this.list().length : 0;
    return at === null || !this.order.descending ? at : length - 1 - at;
  }

  /** Where frame `no` is in the list in frame order. */
  private framePosition(no: number): number | null {
    const s = this.capture!.store;
    if (!this.filter) return no >= s.first && no <= s.last ? no - s.first : null;
    this.forgetEvicted();
    const m = this.matched;
    let lo = 0;
    let hi = m.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (m[mid] === no) return mid;
      if (m[mid] < no) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }

  /** The capture, when it holds frame `no`; else an error naming what it holds. */
  private held(no: number): Capture {
    const c = this.capture;
    if (!c || no < c.store.first || no > c.store.last) {
      const held =
        c && c.store.last >= c.store.first ? `${c.store.first} to ${c.store.last}` : 'none';
      throw apiError(
        'not-found',
        `no frame ${no} in the capture (frames held: ${held})`,
        'args.no',
      );
    }
    return c;
  }

  /** Replaces the capture with a file's frames (stopping the live one). */
  import(
    bytes: Uint8Array,
    fileName: string,
  ): { format: 'pcap' | 'pcapng'; skipped: number; warning: string } {
    let r: ImportResult;
    try {
      r = importCapture(bytes);
    } catch (e) {
      throw apiError('file', `${fileName}: ${(e as Error).message}`, 'args.fileName');
    }
    this.capture?.stop();
    this.capture = r.capture;
    this.meta = captureMeta(r.capture);
    this.resetIndex();
    return {
      format: r.format,
      skipped: r.skipped,
      warning: r.error
        ? `${fileName}: ${r.error.reason} at byte ${r.error.offset}; the frames before it were read`
        : '',
    };
  }

  /**
   * Streams the frames held now to `sink` in `format`, yielding every so many frames (run it
   * with runSliced); its value is the number of frames written. `which` picks them as
   * Wireshark's Export Specified Packets does: all, those displayed (the display filter's
   * matches: frames not yet tested are tested first), or the selected frame `no`; `point`
   * keeps those of one capture point (classic pcap has no field saying which point saw a frame).
   */
  *export(
    format: 'pcap' | 'pcapng',
    sink: ChunkSink,
    which: ExportWhich = {},
  ): Generator<void, number> {
    const c = this.capture;
    if (!c) throw apiError('refused', 'there is no capture to export: start one first');
    const selection: ExportSelection = {};
    if (which.point !== undefined) {
      const id = c.points.findIndex((p) => p.name === which.point);
      if (id < 0)
        throw apiError(
          'not-found',
          `the capture has no point "${which.point}" (it has: ${this.pointNames().join(', ')})`,
          'args.point',
        );
      selection.pointId = id;
    }
    if (which.frames === 'selected') {
      if (which.no === undefined) throw apiError('refused', 'no frame is selected', 'args.no');
      const no = which.no;
      this.held(no);
      selection.include = (n) => n === no;
    } else if (which.frames === 'displayed' && this.filter) {
      while (!this.filterScan(performance.now() + REQUEST_SCAN_MS)) yield;
      selection.include = (n) => this.framePosition(n) !== null;
    }
    return yield* format === 'pcap'
      ? pcapExport(c, sink, selection)
      : pcapngExport(c, sink, selection);
  }

  /** The capture's points by name (`segment`, `h1:eth0`), in the order they were given. */
  pointNames(): string[] {
    return this.capture?.points.map((p) => p.name) ?? [];
  }

  /** Stops capturing for good (the lab is being closed). */
  close(): void {
    this.capture?.stop();
  }

  private row(no: number): CaptureRowView {
    const c = this.capture!;
    const r = c.row(no);
    const s = c.store;
    const sum = summarize(s.data(no), s.capturedLength(no), s.wireLength(no), 0, c.fromLab);
    return { ...r, ...sum };
  }

  /** Frames held that the display filter has yet to test, or whose sort key is to be read. */
  get busy(): number {
    const s = this.capture?.store;
    return this.pending + (s ? this.order.pendingKeys(s.first, s.last) : 0);
  }

  /** Frames held that the display filter has yet to test (0 without a filter). */
  get pending(): number {
    const s = this.capture?.store;
    if (!this.filter || !s) return 0;
    return Math.max(0, s.last - Math.max(this.scannedTo, s.first - 1));
  }

  /**
   * Tests frames not yet tested against the display filter, then reads the sort column's value
   * of frames not yet read, for at most `budgetMs` of wall time. Returns true when every frame
   * held has been tested and read.
   */
  scan(budgetMs: number): boolean {
    const deadline = performance.now() + budgetMs;
    if (!this.filterScan(deadline)) return false;
    const s = this.capture?.store;
    return !s || this.order.readKeys(s.first, s.last, Math.max(0, deadline - performance.now()));
  }

  private filterScan(deadline: number): boolean {
    const c = this.capture;
    if (!c || !this.filter || !this.meta) return true;
    this.forgetEvicted();
    const s = c.store;
    let from = Math.max(this.scannedTo + 1, s.first);
    while (from <= s.last) {
      const to = Math.min(s.last, from + SCAN_CHUNK - 1);
      for (const n of filterStore(this.filter, this.meta, from, to)) this.matched.push(n);
      this.scannedTo = to;
      from = to + 1;
      if (performance.now() >= deadline) break;
    }
    return this.scannedTo >= s.last;
  }

  /** A ring capture forgets its oldest frames: forget their matches too. Returns the matches. */
  private forgetEvicted(): number {
    const first = this.capture?.store.first ?? 0;
    let drop = 0;
    while (drop < this.matched.length && this.matched[drop] < first) drop++;
    if (drop > 0) this.matched.splice(0, drop);
    return this.matched.length;
  }

  /** A new list: another filter's (`keys`: false), or another capture's. */
  private resetIndex(keys = true): void {
    this.matched = [];
    this.scannedTo = -1;
    if (keys) this.order.reset();
    else this.order.listChanged();
  }

  /** `segment` (the first), a segment's name or `HOST:DEV`, resolved against the lab. */
  private point(name: string, index: number): CapturePoint {
    const field = `args.points[${index}]`;
    if (name === 'segment') return { kind: 'segment', name, segment: this.lab.segment };
    const seg = this.lab.segments.find((s) => s.name === name);
    if (seg) return { kind: 'segment', name, segment: seg };
    const m = /^([^:]+):([^:]+)$/.exec(name);
    if (!m)
      throw apiError(
        'bad-request',
        `expected a segment (${this.lab.segments.map((s) => s.name).join(', ')}) or HOST:DEV such as h1:eth0, got "${name}"`,
        field,
      );
    const host = this.lab.hosts.find((h) => h.name === m[1]);
    if (!host) throw apiError('not-found', `no host "${m[1]}"`, field);
    const nic = host.nic(m[2]);
    if (!nic) throw apiError('not-found', `${m[1]} has no interface "${m[2]}"`, field);
    return { kind: 'device', name, host, dev: nic.dev };
  }
}

function fieldView(f: Field): FieldView {
  const v: FieldView = {
    name: f.name,
    label: f.label,
    value: f.value,
    range: [f.range[0], f.range[1]],
    children: f.children.map(fieldView),
  };
  if (f.hidden) v.hidden = true;
  if (f.malformed !== undefined) v.malformed = f.malformed;
  return v;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX[b];
  return out;
}
