import { getU16, getU32 } from '../../wire/bytes';
import { formatIpv4 } from '../../wire/ipv4-addr';
import {
  CHECKSUM_BAD,
  CHECKSUM_GOOD,
  CHECKSUM_NOT_PRESENT,
  CHECKSUM_STATUS_NAMES,
} from './field-types';
import type { FrameLayers } from './layers';
import { hex } from './names';

/**
 * One item of the packet-details tree, as Wireshark shows it.
 *
 * - `name`: the display-filter name (`ip.dst`), or '' for a label that is not a field.
 * - `label`: the line Wireshark shows (`Destination Address: 239.1.1.1`).
 * - `value`: the value alone, for display (`239.1.1.1`).
 * - `range`: the bytes it covers, [start, end) from the frame's first byte,
 *   so a UI can highlight them (zero-width for generated items).
 * - `raw`: the typed value the display filter compares: a number for integers,
 *   flags, IPv4 addresses (host order) and MACs (the 48-bit `macKey`), a string
 *   for text; absent for protocols and bytes, whose value is the bytes in `range`.
 * - `hidden`: a field Wireshark keeps out of sight but filters on (`ip.addr`, `udp.port`).
 * - `malformed`: on a layer, why its header is malformed or truncated.
 * - `dataEnd`: on a layer, where the bytes it carries end (`udp contains "x"` searches them).
 */
export interface Field {
  name: string;
  label: string;
  value: string;
  range: [number, number];
  raw?: number | string;
  hidden?: boolean;
  malformed?: string;
  dataEnd?: number;
  children: Field[];
}

export function leaf(
  name: string,
  label: string,
  value: string,
  start: number,
  end: number,
  raw?: number | string,
): Field {
  const f: Field = { name, label, value, range: [start, end], children: [] };
  if (raw !== undefined) f.raw = raw;
  return f;
}

/**
 * What a protocol module's tree builder writes with: the frame's bytes, its
 * layers, and the end of the bytes the current layer may use (`stop`), so a
 * field is added only when its bytes lie within the layer.
 */
export class Tree {
  /** End of the bytes the current layer may use. */
  stop = 0;

  constructor(
    readonly bytes: Uint8Array,
    readonly L: FrameLayers,
  ) {}

  /** Adds a field when its bytes lie within the layer; returns it, or null when they do not. */
  add(
    parent: Field,
    name: string,
    at: number,
    size: number,
    label: string,
    value: string,
    raw?: number | string,
  ): Field | null {
    if (at + size > this.stop) return null;
    const f = leaf(name, label, value, at, at + size, raw);
    parent.children.push(f);
    return f;
  }

  /** A field Wireshark keeps out of sight but filters on (`ip.addr`, `udp.port`). */
  hidden(
    parent: Field,
    name: string,
    at: number,
    size: number,
    label: string,
    value: string,
    raw: number,
  ): void {
    const f = this.add(parent, name, at, size, label, value, raw);
    if (f) f.hidden = true;
  }

  fits(at: number, size: number): boolean {
    return at + size <= this.stop;
  }

  /** A layer's node: its header's bytes, and where the bytes it carries end. */
  proto(name: string, label: string, start: number, headerEnd: number, dataEnd: number): Field {
    const f = leaf(name, label, '', start, Math.min(headerEnd, this.stop));
    f.dataEnd = dataEnd;
    return f;
  }

  /**
   * A 16-bit field as Wireshark shows ICMP's identifier and sequence number: read big-endian
   * (`name`) and little-endian (`name_le`), since senders write them either way.
   */
  u16BothWays(parent: Field, name: string, title: string, at: number): void {
    const be = getU16(this.bytes, at);
    const le = ((be & 0xff) << 8) | (be >> 8);
    this.add(parent, name, at, 2, `${title} (BE): ${be} (${hex(be, 4)})`, String(be), be);
    this.add(parent, `${name}_le`, at, 2, `${title} (LE): ${le} (${hex(le, 4)})`, String(le), le);
  }

  /** An IPv4 address field, when its 4 bytes lie within the layer. */
  ipv4(node: Field, name: string, title: string, at: number): void {
    if (!this.fits(at, 4)) return;
    const v = getU32(this.bytes, at);
    this.add(node, name, at, 4, `${title}: ${formatIpv4(v)}`, formatIpv4(v), v);
  }

  /** A 16-bit checksum and its status (`name.status`), worded as Wireshark words them. */
  checksum(
    node: Field,
    name: string,
    title: string,
    statusTitle: string,
    at: number,
    sum: number,
    status: number,
  ): void {
    const note =
      status === CHECKSUM_GOOD
        ? 'correct'
        : status === CHECKSUM_BAD
          ? 'incorrect'
          : status === CHECKSUM_NOT_PRESENT
            ? 'zero-value ignored'
            : 'unverified';
    this.add(node, name, at, 2, `${title}: ${hex(sum, 4)} [${note}]`, hex(sum, 4), sum);
    this.add(
      node,
      `${name}.status`,
      at,
      0,
      `${statusTitle}: ${CHECKSUM_STATUS_NAMES[status]}`,
      CHECKSUM_STATUS_NAMES[status],
      status,
    );
  }
}
