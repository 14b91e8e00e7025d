/**
 * The Ethernet CRC-32 (polynomial 0x04C11DB7) in the two bit orders the lab needs.
 *
 * - `crc32` is the reflected form that produces the frame check sequence (FCS)
 *   appended to every frame, as zlib and the IEEE 802.3 FCS compute it.
 * - `etherCrc` is Linux's `ether_crc()`: the same polynomial shifted MSB-first
 *   with the data bits taken LSB-first and no final inversion. Multicast hash
 *   filters such as the DP8390's index their 64 bins with its top six bits.
 * - `etherCrcLe` is Linux's `ether_crc_le()`: the reflected CRC without its final
 *   inversion; the 21x4x (tulip) indexes its 512 bins with its low nine bits.
 */

/**
 * Slicing-by-4 tables: TABLES[0] is the classic byte table, TABLES[k][n] the
 * CRC of byte n followed by k zero bytes, so four bytes take one step. Every
 * frame's FCS is computed once on transmit, so this is on the hot path.
 */
const TABLES = makeReflectedTables();
const T0 = TABLES.subarray(0, 256);
const T1 = TABLES.subarray(256, 512);
const T2 = TABLES.subarray(512, 768);
const T3 = TABLES.subarray(768, 1024);

function makeReflectedTables(): Int32Array {
  const t = new Int32Array(4 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 4; k++)
      t[k * 256 + n] = (t[(k - 1) * 256 + n] >>> 8) ^ t[t[(k - 1) * 256 + n] & 0xff];
  }
  return t;
}

/** The IEEE 802.3 CRC-32 of `bytes[start, end)`, as an unsigned 32-bit integer. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = -1;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    c ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    c = T3[c & 0xff] ^ T2[(c >>> 8) & 0xff] ^ T1[(c >>> 16) & 0xff] ^ T0[c >>> 24];
  }
  for (; i < end; i++) c = T0[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/**
 * `crc32` of `view`'s bytes [start, end), each four read as one little-endian word: a quarter
 * of the loads (a frame's FCS on transmit; the frame's buffer keeps the view).
 */
export function crc32View(view: DataView, start: number, end: number): number {
  let c = -1;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    c ^= view.getInt32(i, true);
    c = T3[c & 0xff] ^ T2[(c >>> 8) & 0xff] ^ T1[(c >>> 16) & 0xff] ^ T0[c >>> 24];
  }
  for (; i < end; i++) c = T0[(c ^ view.getUint8(i)) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

const ETHERNET_POLY = 0x04c11db7;

/** Linux's `ether_crc(length, data)`: the big-endian Ethernet CRC. */
export function etherCrc(bytes: Uint8Array, start: number, length: number): number {
  let crc = -1;
  for (let i = start; i < start + length; i++) {
    let octet = bytes[i];
    for (let bit = 0; bit < 8; bit++, octet >>= 1) {
      crc = (crc << 1) ^ ((crc < 0 ? 1 : 0) ^ (octet & 1) ? ETHERNET_POLY : 0);
    }
  }
  return crc >>> 0;
}

/** The 64-bin multicast hash index of the DP8390 and its kin: `ether_crc(6, addr) >> 26`. */
export function hashBin64(bytes: Uint8Array, start = 0): number {
  return etherCrc(bytes, start, 6) >>> 26;
}

/**
 * Linux's `ether_crc_le(length, data)`: `crc32_le(~0, data, length)`, the
 * reflected CRC without the final inversion. The 21x4x (Tulip) indexes its
 * 512-bin multicast hash with its low nine bits.
 */
export function etherCrcLe(bytes: Uint8Array, start: number, length: number): number {
  return ~crc32(bytes, start, start + length) >>> 0;
}

/**
 * The 512-bin multicast hash of the DEC 21x4x (tulip's `build_setup_frame_hash`):
 * `ether_crc_le(6, addr) & 0x1ff`.
 */
export function hashBin512(bytes: Uint8Array, start = 0): number {
  return etherCrcLe(bytes, start, 6) & 0x1ff;
}
