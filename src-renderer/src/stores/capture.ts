// The capture as the window shows it: the packet list (rows pulled a page at a time as it
// scrolls), the display filter with its error and history, the selected frame with its detail
// tree and bytes, and the selected field (which the hex pane highlights).
import { defineStore } from 'pinia';
import { markRaw } from 'vue';
import type {
  CaptureRowView,
  CaptureState,
  FrameDetail,
  SortColumn,
} from '../../../src-main/ipc/api';
import { ApiCallError, useApi } from '../api';
import { onLabLoaded } from './lab';
import { loadHistory, remember } from '../lib/history';
import { RowPager } from '../lib/pager';
import { ancestorsOf, fieldAt, fieldForByte, type FieldPath } from '../lib/tree';
import { bytesBase64, download } from '../lib/download';
import { captureTooBig } from '../lib/file-limits';
import { loadWidths, nextSort, saveWidths, type ColumnId } from '../lib/columns';

const HISTORY_KEY = 'netlab.filterHistory';

export interface FilterError {
  message: string;
  /** Character offset in the filter text, when the compiler named one. */
  position: number | null;
  length: number;
}

/** What an export writes: all frames held, those displayed, or the selected one. */
export type ExportFrames = 'all' | 'displayed' | 'selected';

function storage(): Storage | null {
  return typeof localStorage === 'undefined' ? null : localStorage;
}

function sessionStore(): Storage | null {
  return typeof sessionStorage === 'undefined' ? null : sessionStorage;
}

export const useCaptureStore = defineStore('capture', {
  state: () => ({
    state: null as CaptureState | null,
    /** Rows come and go outside Vue's reactivity; `version` moves when a page arrives. */
    pager: markRaw(
      new RowPager<CaptureRowView>((from, count) => useApi().call('capture.rows', { from, count })),
    ),
    version: 0,
    /** Moves when the list's contents change under the rows in view (new filter, cleared, shifted). */
    epoch: 0,
    filterText: '',
    filterError: null as FilterError | null,
    /** Moves when the box must show the filter in force again (a new lab or capture). */
    filterReset: 0,
    history: loadHistory(storage()?.getItem(HISTORY_KEY) ?? null),
    selectedNo: null as number | null,
    detail: null as FrameDetail | null,
    selectedField: null as FieldPath | null,
    expanded: new Set<FieldPath>(),
    message: '',
    error: '',
    /**
     * A frame to bring into view and select (the follow panel's jumps): the packet list scrolls
     * to `index`; `serial` tells two requests for the same frame apart.
     */
    revealing: null as { no: number; index: number; serial: number } | null,
    /**
     * Where the selected frame is now that the list was sorted again: the packet list moves its
     * selection there, and scrolls to it when `scroll` (the user sorted, as Wireshark goes to the
     * selected packet after a sort).
     */
    located: null as { no: number; index: number; scroll: boolean; serial: number } | null,
    /** A header was clicked: the selected frame is brought into view once the order is made. */
    sortAsked: false,
    /** The sort last asked for, until the engine's reply says it is in force. */
    sortRequested: null as { column: SortColumn; descending: boolean } | null,
    /** Widths the user dragged columns to (this session's). */
    columnWidths: loadWidths(sessionStore()),
  }),
  getters: {
    total: (s) => s.state?.matching ?? 0,
    selectedRange(s): [number, number] | null {
      if (!s.detail || s.selectedField === null) return null;
      const f = fieldAt(s.detail.tree, s.selectedField);
      return f && f.range[1] > f.range[0] ? f.range : null;
    },
  },
  actions: {
    init(): void {
      const api = useApi();
      this.pager.changed = () => this.version++;
      api.on('stats', (stats) => this.update(stats.capture));
      onLabLoaded((view) => {
        this.clearSelection();
        // What was said about the old lab's capture (an import, an export) is not about this one.
        this.message = '';
        this.error = '';
        this.update(view.capture, true);
      });
    },

    /** A new capture state: the list may have grown, shrunk, or shifted (a ring forgot frames). */
    update(state: CaptureState, reset = false): void {
      const old = this.state;
      this.state = state;
      // A new lab or capture shows the filter in force, whatever the box held (a filter of the
      // old lab, a half-typed one): only the reply to a request resets. A stats update sent
      // before the user cleared the box still carries the old filter, and must not put it back.
      if (reset) {
        this.filterText = state.filter;
        this.filterError = null;
        this.filterReset++;
      }
      const resorted =
        !!old &&
        (old.sort.column !== state.sort.column ||
          old.sort.descending !== state.sort.descending ||
          old.sort.generation !== state.sort.generation);
      if (
        reset ||
        resorted ||
        !old ||
        old.first !== state.first ||
        old.filter !== state.filter ||
        state.matching < old.matching
      ) {
        this.pager.reset(state.matching);
        this.epoch++;
      } else this.pager.setTotal(state.matching);
      this.version++;
      if (resorted && !reset) void this.locateSelected();
    },

    /** Sorts the list by a column, as a click on its header does in Wireshark. */
    async sortBy(column: SortColumn): Promise<void> {
      try {
        this.error = '';
        // Two quick clicks: the second goes on from the first, whose reply may not be here yet.
        const next = nextSort(this.sortRequested ?? this.state?.sort, column);
        this.sortRequested = next;
        this.sortAsked = true;
        const state = await useApi().call('capture.sort', next);
        if (this.sortRequested === next) this.sortRequested = null;
        this.update(state);
      } catch (e) {
        this.sortRequested = null;
        this.error = (e as Error).message;
      }
    },

    /** Finds the selected frame in the list as it is now ordered. */
    async locateSelected(): Promise<void> {
      const no = this.selectedNo;
      const scroll = this.sortAsked && (this.state?.sort.pending ?? 0) === 0;
      if (scroll) this.sortAsked = false;
      if (no === null) return;
      try {
        const { index } = await useApi().call('capture.position', { no });
        if (index === null || this.selectedNo !== no) return;
        this.located = { no, index, scroll, serial: (this.located?.serial ?? 0) + 1 };
      } catch (e) {
        this.error = (e as Error).message;
      }
    },

    setColumnWidth(id: ColumnId, width: number | undefined): void {
      if (width === undefined) delete this.columnWidths[id];
      else this.columnWidths[id] = width;
      saveWidths(sessionStore(), this.columnWidths);
    },

    row(index: number): CaptureRowView | undefined {
      return this.pager.get(index);
    },

    async ensureRows(start: number, end: number): Promise<void> {
      try {
        await this.pager.ensure(start, end);
      } catch (e) {
        this.error = (e as Error).message;
      }
    },

    async applyFilter(text: string): Promise<boolean> {
      this.filterText = text;
      const resets = this.filterReset;
      try {
        const state = await useApi().call('capture.filter', { text });
        this.filterError = null;
        this.history = remember(this.history, text);
        storage()?.setItem(HISTORY_KEY, JSON.stringify(this.history));
        this.update(state, true);
        return true;
      } catch (e) {
        // A new lab arrived while the filter was being compiled: the box now shows its filter,
        // and an error marked on that text would point at the wrong character.
        if (this.filterReset !== resets) return false;
        const body = e instanceof ApiCallError ? e.body : null;
        this.filterError =
          body?.code === 'bad-filter'
            ? { ...body.details }
            : { message: (e as Error).message, position: null, length: 0 };
        return false;
      }
    },

    /** Puts `text` in the filter box without applying it (Wireshark's "Prepare as Filter"). */
    prepareFilter(text: string): void {
      this.filterText = text;
      this.filterError = null;
      this.filterReset++;
    },

    async select(no: number): Promise<void> {
      this.selectedNo = no;
      try {
        const detail = await useApi().call('capture.row', { no });
        if (this.selectedNo !== no) return;
        this.detail = detail;
        this.selectedField = null;
        if (this.expanded.size === 0) this.expanded = new Set(detail.tree.map((_, i) => String(i)));
      } catch (e) {
        this.error = (e as Error).message;
      }
    },

    /**
     * Selects frame `no` and, when the list shows it (at `index`), scrolls the list to it. A frame
     * the display filter hides is opened below all the same, and the message says why the list
     * does not show it.
     */
    async reveal(no: number, index: number | null): Promise<void> {
      this.message = '';
      if (index === null) {
        this.message = `Frame ${no} is hidden by the display filter: it is opened below`;
        await this.select(no);
        return;
      }
      this.revealing = { no, index, serial: (this.revealing?.serial ?? 0) + 1 };
    },

    selectField(path: FieldPath | null): void {
      this.selectedField = path;
      if (path !== null) this.expand(ancestorsOf(path));
    },

    /** A click on byte `offset` in the hex pane selects the field it belongs to. */
    selectByte(offset: number): void {
      if (!this.detail) return;
      this.selectField(fieldForByte(this.detail.tree, offset));
    },

    toggle(path: FieldPath): void {
      const next = new Set(this.expanded);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      this.expanded = next;
    },

    expand(paths: FieldPath[]): void {
      if (paths.every((p) => this.expanded.has(p))) return;
      this.expanded = new Set([...this.expanded, ...paths]);
    },

    clearSelection(): void {
      this.selectedNo = null;
      this.detail = null;
      this.selectedField = null;
    },

    /**
     * Clears the selection made before a request that replaced the capture, unless the user has
     * chosen a row since: a stats update may show the new capture before the reply comes.
     */
    clearSelectionIfStill(no: number | null): void {
      if (this.selectedNo === no) this.clearSelection();
    },

    /**
     * Starts capturing on `points` (a new capture), or on the current points; `limit` (bytes of
     * frames held, a new capture too) is its memory budget.
     */
    async start(points?: string[], limit?: number): Promise<void> {
      try {
        this.error = '';
        const selected = this.selectedNo;
        const args = { ...(points ? { points } : {}), ...(limit ? { limit } : {}) };
        this.update(await useApi().call('capture.start', args), true);
        if (points || limit) this.clearSelectionIfStill(selected);
      } catch (e) {
        this.error = (e as Error).message;
      }
    },

    async control(op: 'capture.stop' | 'capture.clear'): Promise<void> {
      try {
        this.error = '';
        const selected = this.selectedNo;
        this.update(await useApi().call(op, {}), op !== 'capture.stop');
        if (op === 'capture.clear') this.clearSelectionIfStill(selected);
      } catch (e) {
        this.error = (e as Error).message;
      }
    },

    /** Replaces the capture with a pcap/pcapng file's frames: `file` picked in the page, or a dialog. */
    async importFile(file: File | null): Promise<void> {
      try {
        this.error = '';
        this.message = '';
        const api = useApi();
        const selected = this.selectedNo;
        const refusal = file ? captureTooBig(file) : '';
        if (refusal) {
          this.error = refusal;
          return;
        }
        const r = file
          ? await api.call('capture.import', {
              fileName: file.name,
              base64: bytesBase64(new Uint8Array(await file.arrayBuffer())),
            })
          : await api.call('capture.open', {});
        if ('cancelled' in r) return;
        this.clearSelectionIfStill(selected);
        this.update(r.capture, true);
        const notes = [
          r.skipped > 0 ? `${r.skipped} non-Ethernet frames left out` : '',
          r.warning,
        ].filter((n) => n !== '');
        this.message = `Imported ${r.capture.count} frames (${r.format})${notes.length ? `: ${notes.join('; ')}` : ''}`;
      } catch (e) {
        this.error = (e as Error).message;
      }
    },

    /** Exports frames; with `point`, that capture point's alone (a segment's: one file). */
    async exportAs(
      format: 'pcap' | 'pcapng',
      frames: ExportFrames = 'all',
      point?: string,
    ): Promise<void> {
      try {
        this.error = '';
        const no = frames === 'selected' ? (this.selectedNo ?? undefined) : undefined;
        const r = await useApi().call('capture.export', { format, frames, no, point });
        if ('download' in r) {
          download(r.download);
          this.message = `Downloaded ${r.download.fileName}`;
        } else if ('downloads' in r) {
          for (const d of r.downloads) download(d);
          this.message = `Downloaded ${r.downloads.map((d) => d.fileName).join(', ')} (one file per capture point: classic pcap cannot say which point saw a frame)`;
        } else if ('saved' in r) this.message = `Saved ${r.saved}`;
      } catch (e) {
        this.error = (e as Error).message;
      }
    },
  },
});
