// The packet list's columns, as Wireshark names them: each with the width it starts from and the
// least it may shrink to. Source, Destination, Info and Fate share what room is left; on a narrow
// window (a projector's 1024 px, beside a topology panel opened wider) they give way first, their
// text ellipsed with a title, and the fixed ones keep their text whole: the row still fits.
import type { SortColumn } from '../../../src-main/ipc/api';

export type ColumnId = 'no' | 'time' | 'src' | 'dst' | 'proto' | 'len' | 'info' | 'fate' | 'point';

export interface Column {
  id: ColumnId;
  label: string;
  /** The column's name in full (header tooltip, resize handle's label). */
  title: string;
  /** The width it starts from, in px. */
  width: number;
  /** The least it shrinks to when the list is short of room, in px. */
  min: number;
  /** Its share of the room left over (0: a fixed width). */
  grow: number;
  /** What the engine sorts by when its header is clicked. */
  sort: SortColumn;
}

export const COLUMNS: readonly Column[] = [
  { id: 'no', label: 'No.', title: 'No.', width: 56, min: 48, grow: 0, sort: 'no' },
  { id: 'time', label: 'Time', title: 'Time', width: 92, min: 92, grow: 0, sort: 'time' },
  { id: 'src', label: 'Source', title: 'Source', width: 136, min: 76, grow: 1, sort: 'source' },
  {
    id: 'dst',
    label: 'Destination',
    title: 'Destination',
    width: 136,
    min: 76,
    grow: 1,
    sort: 'destination',
  },
  {
    id: 'proto',
    label: 'Protocol',
    title: 'Protocol',
    width: 72,
    min: 70,
    grow: 0,
    sort: 'protocol',
  },
  { id: 'len', label: 'Len', title: 'Length', width: 44, min: 44, grow: 0, sort: 'length' },
  { id: 'info', label: 'Info', title: 'Info', width: 240, min: 100, grow: 3, sort: 'info' },
  { id: 'fate', label: 'Fate', title: 'Fate', width: 148, min: 120, grow: 1, sort: 'fate' },
  { id: 'point', label: 'Point', title: 'Point', width: 66, min: 66, grow: 0, sort: 'point' },
];

/** A cell's padding either side (the list's stylesheet), in px. */
export const CELL_PADDING = 6;

/**
 * The column made wide enough for text `contentPx` wide (its padding added, and a pixel for
 * rounding): the Point column for the longest capture point's name (`lan2/h2:eth0`). Never
 * narrower than its defaults.
 */
export function fitColumn(c: Column, contentPx: number): Column {
  const need = Math.ceil(contentPx) + 2 * CELL_PADDING + 1;
  return { ...c, width: Math.max(c.width, need), min: Math.max(c.min, need) };
}

/** A cell's flex style: fixed at `resized` px once the user resized it, else its defaults. */
export function columnStyle(c: Column, resized?: number): { flex: string; minWidth: string } {
  if (resized !== undefined) return { flex: `0 0 ${resized}px`, minWidth: `${resized}px` };
  return { flex: `${c.grow} ${c.grow} ${c.width}px`, minWidth: `${c.min}px` };
}

/**
 * The header click's next sort, as Wireshark's: ascending, descending, then frame order. No.
 * ascending is frame order itself, so a click on No. goes to descending at once.
 */
export function nextSort(
  current: { column: SortColumn; descending: boolean } | undefined,
  column: SortColumn,
): { column: SortColumn; descending: boolean } {
  if (!current || current.column !== column) return { column, descending: false };
  if (!current.descending) return { column, descending: true };
  return { column: 'no', descending: false };
}

const WIDTHS_KEY = 'netlab.columnWidths';

/** The widths the user dragged columns to in this session (kept across a reload of the page). */
export function loadWidths(store: Storage | null): Partial<Record<ColumnId, number>> {
  try {
    const saved = JSON.parse(store?.getItem(WIDTHS_KEY) ?? '{}') as Record<string, unknown>;
    const out: Partial<Record<ColumnId, number>> = {};
    for (const c of COLUMNS) {
      const w = saved[c.id];
      if (typeof w === 'number' && Number.isFinite(w) && w >= c.min && w <= 4000) out[c.id] = w;
    }
    return out;
  } catch {
    return {};
  }
}

export function saveWidths(store: Storage | null, widths: Partial<Record<ColumnId, number>>): void {
  store?.setItem(WIDTHS_KEY, JSON.stringify(widths));
}
