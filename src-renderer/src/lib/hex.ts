// The hex/ASCII pane's arithmetic: the API sends a frame's bytes as lower-case hex.

export function parseHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export interface HexRow {
  /** Offset of the row's first byte. */
  offset: number;
  bytes: number[];
}

/** The bytes in rows of `width` (16, as Wireshark and `xxd` show them). */
export function hexRows(bytes: Uint8Array, width = 16): HexRow[] {
  const rows: HexRow[] = [];
  for (let at = 0; at < bytes.length; at += width)
    rows.push({ offset: at, bytes: Array.from(bytes.subarray(at, at + width)) });
  return rows;
}

/** Bytes a row the packet-bytes pane shows: sixteen, else eight (`xxd -c 8`), else four. */
export const ROW_WIDTHS = [16, 8, 4] as const;

/**
 * The most bytes a row that fit a pane `paneWidth` px wide, the monospace font's characters `ch`
 * px wide: a row of n is 4 + 2n + n characters (offset, hex, ASCII), plus each byte's 4 px of
 * padding, the half-row gap (16 a row only), the two 12 px column gaps and the pane's own 16 px
 * padding. Four when even four do not fit (a pane dragged that narrow scrolls).
 */
export function bytesPerRow(paneWidth: number, ch: number): number {
  for (const n of ROW_WIDTHS) {
    const width = (4 + 3 * n) * ch + n * 4 + (n === 16 ? 6 : 0) + 2 * 12 + 16;
    if (paneWidth >= width) return n;
  }
  return ROW_WIDTHS[ROW_WIDTHS.length - 1];
}

/** A byte as its printable ASCII character, or '.' as hex dumps show the rest. */
export function asciiChar(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}

export function byteHex(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/** The offset column: four hex digits. */
export function offsetHex(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/** Whether byte `i` lies in the half-open range `[start, end)`. */
export function inRange(i: number, range: readonly [number, number] | null): boolean {
  return range !== null && i >= range[0] && i < range[1];
}
