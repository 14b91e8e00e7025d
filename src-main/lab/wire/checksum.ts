/**
 * The Internet checksum (RFC 1071) of IPv4, ICMP, IGMP and UDP: the ones'
 * complement of the ones' complement sum of the data as big-endian 16-bit words.
 *
 * As in Linux (csum_partial, then csum_fold), it comes in two steps so a sum can
 * run over several pieces, such as UDP's pseudo-header and then its datagram:
 * `onesSum` adds words without folding, `foldChecksum` folds and complements.
 * Nothing here allocates.
 */

/**
 * Adds `bytes[start, start+length)` to `sum` as 16-bit words, an odd last byte
 * padded with zero. Every piece but the last must have an even length. The
 * result is unfolded: a plain number, exact for far more than 64 KiB of data.
 */
export function onesSum(bytes: Uint8Array, start: number, length: number, sum = 0): number {
  const end = start + length;
  let i = start;
  // Four words a turn: about a third faster than one in V8.
  for (; i + 7 < end; i += 8) {
    sum +=
      ((bytes[i] << 8) | bytes[i + 1]) +
      ((bytes[i + 2] << 8) | bytes[i + 3]) +
      ((bytes[i + 4] << 8) | bytes[i + 5]) +
      ((bytes[i + 6] << 8) | bytes[i + 7]);
  }
  for (; i + 1 < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (i < end) sum += bytes[i] << 8;
  return sum;
}

/** Folds the carries of an unfolded sum back in and complements: the 16-bit checksum. */
export function foldChecksum(sum: number): number {
  // Beyond 32 bits (more than 64 KiB of data) `>>>` would lose the top carries.
  if (sum > 0xffffffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** The checksum to store in a header whose checksum field is zero while it is computed. */
export function internetChecksum(
  bytes: Uint8Array,
  start: number,
  length: number,
  sum = 0,
): number {
  return foldChecksum(onesSum(bytes, start, length, sum));
}

/**
 * True when data that includes its checksum field sums to all ones (-0), which
 * is what a correct checksum makes it do. A stored 0x0000 and a stored 0xffff
 * are the two forms of the same ones' complement zero and both verify.
 */
export function verifyInternetChecksum(
  bytes: Uint8Array,
  start: number,
  length: number,
  sum = 0,
): boolean {
  return foldChecksum(onesSum(bytes, start, length, sum)) === 0;
}

/**
 * The unfolded sum of the IPv4 pseudo-header (RFC 768): source, destination,
 * zero, protocol and the transport length. Pass it as `sum` to the functions above.
 */
export function pseudoHeaderSum(
  src: number,
  dst: number,
  protocol: number,
  length: number,
): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
}

/**
 * Updates a stored checksum after one 16-bit word changed from `from` to `to`
 * (RFC 1624, eqn. 3), as a router does when it decrements the TTL.
 */
export function checksumReplace16(check: number, from: number, to: number): number {
  return foldChecksum((~check & 0xffff) + (~from & 0xffff) + (to & 0xffff));
}
