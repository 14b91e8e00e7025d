// The packet list's columns, as Wireshark names them: each with the width it starts from and the
// least it may shrink to. Source, Destination and Info share what room is left; on a narrow
// window (a projector's 1024 px) they give way first, and the fixed ones keep their text whole.

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
}

export const COLUMNS: readonly Column[] = [
  { id: 'no', label: 'No.', title: 'No.', width: 56, min: 48, grow: 0 },
  { id: 'time', label: 'Time', title: 'Time', width: 92, min: 92, grow: 0 },
  { id: 'src', label: 'Source', title: 'Source', width: 136, min: 76, grow: 1 },
  { id: 'dst', label: 'Destination', title: 'Destination', width: 136, min: 76, grow: 1 },
  { id: 'proto', label: 'Protocol', title: 'Protocol', width: 66, min: 62, grow: 0 },
  { id: 'len', label: 'Len', title: 'Length', width: 44, min: 44, grow: 0 },
  { id: 'info', label: 'Info', title: 'Info', width: 240, min: 120, grow: 3 },
  { id: 'fate', label: 'Fate', title: 'Fate', width: 148, min: 148, grow: 0 },
  { id: 'point', label: 'Point', title: 'Point', width: 66, min: 66, grow: 0 },
];

/** A cell's flex style: fixed at `resized` px once the user resized it, else its defaults. */
export function columnStyle(c: Column, resized?: number): { flex: string; minWidth: string } {
  if (resized !== undefined) return { flex: `0 0 ${resized}px`, minWidth: `${resized}px` };
  return { flex: `${c.grow} ${c.grow} ${c.width}px`, minWidth: `${c.min}px` };
}
