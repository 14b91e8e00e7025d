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
