/**
 * MAC addresses. On the hot path an address is compared as a 48-bit integer
 * (`macKey`), which fits exactly in a JavaScript number; at the edges it is the
 * familiar `01:00:5e:01:01:01` text.
 */

export const ETH_ALEN = 6;

/** The address at `bytes[at..at+6)` as a 48-bit integer. */
export function macKey(bytes: Uint8Array, at = 0): number {
  return (
    (bytes[at] * 0x10000 + ((bytes[at + 1] << 8) | bytes[at + 2])) * 0x1000000 +
    ((bytes[at + 3] << 16) | (bytes[at + 4] << 8) | bytes[at + 5])
  );
}

/** Writes a 48-bit key (see `macKey`) as six bytes at `bytes[at..at+6)`, allocating nothing. */
export function writeMacKey(bytes: Uint8Array, at: number, key: number): void {
  const hi = Math.floor(key / 0x1000000);
  const lo = key - hi * 0x1000000;
  bytes[at] = hi >>> 16;
  bytes[at + 1] = hi >>> 8;
  bytes[at + 2] = hi;
  bytes[at + 3] = lo >>> 16;
  bytes[at + 4] = lo >>> 8;
  bytes[at + 5] = lo;
}

export function isMulticastEther(bytes: Uint8Array, at = 0): boolean {
  return (bytes[at] & 1) === 1;
}

export function isBroadcastEther(bytes: Uint8Array, at = 0): boolean {
  return (
    (bytes[at] & bytes[at + 1] & bytes[at + 2] & bytes[at + 3] & bytes[at + 4] & bytes[at + 5]) ===
    0xff
  );
}

export function isZeroEther(bytes: Uint8Array, at = 0): boolean {
  return (
    (bytes[at] | bytes[at + 1] | bytes[at + 2] | bytes[at + 3] | bytes[at + 4] | bytes[at + 5]) ===
    0
  );
}

/** Linux's `is_valid_ether_addr`: not multicast (so not broadcast) and not all zeros. */
export function isValidEtherAddr(bytes: Uint8Array, at = 0): boolean {
  return !isMulticastEther(bytes, at) && !isZeroEther(bytes, at);
}

export const BROADCAST_KEY = 0xffffffffffff;

const MAC_PATTERN =
  /^([0-9a-f]{2})([:-])([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})$/i;

/** Parses `aa:bb:cc:dd:ee:ff` (or with dashes); returns null when the text is not a MAC. */
export function parseMac(text: string): Uint8Array | null {
  const m = MAC_PATTERN.exec(text.trim());
  if (!m) return null;
  return Uint8Array.of(
    parseInt(m[1], 16),
    parseInt(m[3], 16),
    parseInt(m[4], 16),
    parseInt(m[5], 16),
    parseInt(m[6], 16),
    parseInt(m[7], 16),
  );
}

export function formatMac(bytes: Uint8Array, at = 0): string {
  let s = '';
  for (let i = 0; i < ETH_ALEN; i++) {
    if (i > 0) s += ':';
    s += bytes[at + i].toString(16).padStart(2, '0');
  }
  return s;
}

export function macFromKey(key: number): Uint8Array {
  const out = new Uint8Array(ETH_ALEN);
  let hi = Math.floor(key / 0x1000000);
  let lo = key % 0x1000000;
  for (let i = 5; i >= 3; i--, lo = Math.floor(lo / 256)) out[i] = lo & 0xff;
  for (let i = 2; i >= 0; i--, hi = Math.floor(hi / 256)) out[i] = hi & 0xff;
  return out;
}
