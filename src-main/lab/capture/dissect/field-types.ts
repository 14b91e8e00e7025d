/**
 * What a field is, for the registry (`fields.ts`) each protocol module adds its
 * fields to: its Wireshark filter name, its type and its value names.
 */

/**
 * - `protocol`: a layer (`eth`, `ip`, `udp`…): tested for presence, sliced, searched.
 * - `uint`: an unsigned integer of up to 32 bits (ports, lengths, types, bit fields).
 * - `bool`: a one-bit flag, 0 or 1.
 * - `ipv4`: an IPv4 address, compared as a number (and against CIDR prefixes).
 * - `ipv6`: an IPv6 address, compared as its 16 bytes (and against prefixes: `fe80::/10`).
 * - `ether`: a MAC address, compared as its 48-bit number (see wire/mac.ts `macKey`).
 * - `bytes`: raw bytes (options, padding, data), compared byte by byte.
 * - `double`: a number that need not be an integer (a generator's latency in ns).
 * - `abstime`: an instant (frame.time_epoch): written in filters as epoch seconds
 *   (`1700000000.01`), compared exactly to the ns (held as ns since the capture's origin).
 * - `reltime`: a span (frame.time_relative, frame.time_delta): written as seconds, held as ns.
 * - `string`: text (the capture point, the frame's fate).
 * - `none`: a label with no value (a v3 group record, the malformed marker): presence only.
 */
export type FieldType =
  | 'protocol'
  | 'uint'
  | 'bool'
  | 'ipv4'
  | 'ipv6'
  | 'ether'
  | 'bytes'
  | 'double'
  | 'abstime'
  | 'reltime'
  | 'string'
  | 'none';

export interface FieldDef {
  readonly name: string;
  readonly type: FieldType;
  /** What the field is, for a field list or a completion popup. */
  readonly title: string;
  /** Names of values (`ip.proto == "UDP"`); the filter matches them case-insensitively. */
  readonly valueNames?: Readonly<Record<number, string>>;
  /**
   * Why a comparison with this field is refused, naming the field to use instead: the lab shows
   * it as Wireshark does but cannot compare it as Wireshark does.
   */
  readonly refuse?: string;
}

/** A field definition, as the protocol modules write their tables. */
export function field(
  name: string,
  type: FieldType,
  title: string,
  valueNames?: Readonly<Record<number, string>>,
): FieldDef {
  return valueNames ? { name, type, title, valueNames } : { name, type, title };
}

/** `names[value]`, or `Unknown` as Wireshark says. */
export function valueName(names: Readonly<Record<number, string>>, value: number): string {
  return names[value] ?? 'Unknown';
}

/** Wireshark's checksum status values (PROTO_CHECKSUM_E_*). */
export const CHECKSUM_BAD = 0;
export const CHECKSUM_GOOD = 1;
export const CHECKSUM_UNVERIFIED = 2;
export const CHECKSUM_NOT_PRESENT = 3;
export const CHECKSUM_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'Bad',
  1: 'Good',
  2: 'Unverified',
  3: 'Not present',
};
