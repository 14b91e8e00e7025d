// Multicast addresses as the interface panel explains them: an IPv4 group's MAC (01:00:5e plus
// the group's low 23 bits) and a card's hash bin for a MAC, as lab/wire/crc32.ts computes it: the
// hash64 card's `ether_crc(6, addr) >> 26`, the perfect (21x4x) card's `ether_crc_le(6, addr) & 0x1ff`.

export function parseMacText(text: string): Uint8Array | null {
  const m =
    /^([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})$/i.exec(
      text.trim(),
    );
  return m ? Uint8Array.from(m.slice(1).map((h) => parseInt(h, 16))) : null;
}

export function macText(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The MAC of IPv4 group `text` (224.0.0.0/4), or null for anything else. */
export function groupMac(text: string): Uint8Array | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return null;
  const o = m.slice(1).map(Number);
  if (o.some((x) => x > 255) || o[0] < 224 || o[0] > 239) return null;
  return Uint8Array.from([0x01, 0x00, 0x5e, o[1] & 0x7f, o[2], o[3]]);
}

const POLY = 0x04c11db7;

/** Linux's `ether_crc(6, addr)`: the big-endian Ethernet CRC of an address. */
export function etherCrc(addr: Uint8Array): number {
  let crc = -1;
  for (let i = 0; i < 6; i++) {
    let octet = addr[i];
    for (let bit = 0; bit < 8; bit++, octet >>= 1)
      crc = (crc << 1) ^ ((crc < 0 ? 1 : 0) ^ (octet & 1) ? POLY : 0);
  }
  return crc >>> 0;
}

/** Linux's `ether_crc_le(6, addr)`: the reflected CRC, seeded ~0, not inverted after. */
export function etherCrcLe(addr: Uint8Array): number {
  let crc = -1;
  for (let i = 0; i < 6; i++) {
    crc ^= addr[i];
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return crc >>> 0;
}

/** The bin of `addr` in a hash table of `bins` bins (64: a DP8390's, 512: a 21x4x's). */
export function hashBin(addr: Uint8Array, bins = 64): number {
  return bins === 512 ? etherCrcLe(addr) & 0x1ff : etherCrc(addr) >>> 26;
}

/** A MAC or an IPv4 group, as typed into the panel: its MAC and its hash bin. */
export function whereIs(text: string, bins = 64): { mac: string; bin: number } | null {
  const mac = parseMacText(text) ?? groupMac(text);
  return mac ? { mac: macText(mac), bin: hashBin(mac, bins) } : null;
}

/** What a card's receive filter does with a frame to multicast `mac`, as its registers stand. */
export interface ProbeVerdict {
  passes: boolean;
  why: string;
}

/**
 * The card's verdict on multicast `mac` (in `bin`), in the order the card decides (RxFilter's
 * classify): promiscuous and all-multicast take every group before any table is looked at; then
 * the perfect entries; then the hash bins.
 */
export function probeVerdict(
  filter: { mode: string; bins: readonly number[]; perfect: readonly string[] },
  mac: string,
  bin: number,
): ProbeVerdict {
  if (filter.mode === 'promisc')
    return { passes: true, why: 'passes: the card is promiscuous (it takes every frame)' };
  if (filter.mode === 'allmulti')
    return { passes: true, why: 'passes: the card takes all multicast (ALLMULTI)' };
  if (mac === 'ff:ff:ff:ff:ff:ff') return { passes: true, why: 'passes: broadcast' };
  if (filter.perfect.includes(mac)) return { passes: true, why: 'passes: a perfect entry' };
  if (filter.bins.includes(bin)) return { passes: true, why: 'passes the hash' };
  if (filter.bins.length > 0) return { passes: false, why: 'kept out by the hash' };
  if (filter.perfect.length > 0) return { passes: false, why: 'kept out: no perfect entry' };
  return { passes: false, why: 'kept out: no group is set in the filter' };
}
