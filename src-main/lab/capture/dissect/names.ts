import { formatMac } from '../../wire/mac';

/**
 * Display helpers shared by the tree and the summary: Wireshark's names for
 * the well-known group MAC addresses, hex, and bit-field labels.
 */

const HEX = '0123456789abcdef';

function hex2(b: number): string {
  return HEX[(b >> 4) & 15] + HEX[b & 15];
}

/**
 * Wireshark's name for a MAC address (its `manuf` entries for group
 * addresses), or the address itself: `Broadcast`, `IPv4mcast_01:01:01`,
 * `IPv4mcast_16` (01:00:5e:00:00:16), `IPv6mcast_01`.
 */
export function macName(bytes: Uint8Array, at: number): string {
  const b0 = bytes[at];
  const b1 = bytes[at + 1];
  const b2 = bytes[at + 2];
  const b3 = bytes[at + 3];
  const b4 = bytes[at + 4];
  const b5 = bytes[at + 5];
  if ((b0 & b1 & b2 & b3 & b4 & b5) === 0xff) return 'Broadcast';
  if (b0 === 0x01 && b1 === 0x00 && b2 === 0x5e) {
    if (b3 === 0 && b4 === 0) return 'IPv4mcast_' + hex2(b5);
    return `IPv4mcast_${hex2(b3)}:${hex2(b4)}:${hex2(b5)}`;
  }
  if (b0 === 0x33 && b1 === 0x33) {
    if (b2 === 0 && b3 === 0 && b4 === 0) return 'IPv6mcast_' + hex2(b5);
    return `IPv6mcast_${hex2(b2)}:${hex2(b3)}:${hex2(b4)}:${hex2(b5)}`;
  }
  if (b0 === 0x01 && b1 === 0x80 && b2 === 0xc2 && b3 === 0 && b4 === 0) {
    if (b5 === 0x00) return 'Spanning-tree-(for-bridges)_00';
    if (b5 === 0x0e) return 'LLDP_Multicast';
  }
  if ((b0 | b1 | b2) === 0) return `00:00:00_${hex2(b3)}:${hex2(b4)}:${hex2(b5)}`;
  return formatMac(bytes, at);
}

/** `IPv4mcast_01:01:01 (01:00:5e:01:01:01)`, as Wireshark labels an address. */
export function macWithName(bytes: Uint8Array, at: number): string {
  return `${macName(bytes, at)} (${formatMac(bytes, at)})`;
}

/** Bytes as lowercase hex without separators, as Wireshark shows a bytes field. */
export function hexBytes(bytes: Uint8Array, start: number, end: number, max = 36): string {
  let s = '';
  const stop = Math.min(end, start + max);
  for (let i = start; i < stop; i++) s += hex2(bytes[i]);
  return end > stop ? s + '…' : s;
}

/** `0x0800`: a value as hex with a fixed number of digits. */
export function hex(value: number, digits: number): string {
  return '0x' + (value >>> 0).toString(16).padStart(digits, '0');
}

/**
 * Wireshark's bit-field prefix: the field's bits in place within a `bits`-wide
 * word, dots elsewhere, in groups of four: `0100 .... = `.
 */
export function bitPrefix(word: number, mask: number, bits: number): string {
  let s = '';
  for (let i = bits - 1; i >= 0; i--) {
    const bit = 2 ** i;
    const inMask = Math.floor(mask / bit) % 2 === 1;
    s += inMask ? (Math.floor(word / bit) % 2 === 1 ? '1' : '0') : '.';
    if (i > 0 && i % 4 === 0) s += ' ';
  }
  return s + ' = ';
}

/** `Not set` / `Set`, Wireshark's words for a flag. */
export function setOrNot(on: boolean): string {
  return on ? 'Set' : 'Not set';
}
