import { crc32, crc32View } from './crc32';
import { macKey } from './mac';

/**
 * The Ethernet II header as a view over bytes: nothing is copied, the getters
 * read the buffer where the frame lies. The kernel and the dissectors share it.
 */

/** Byte offsets of the header's fields (Linux's struct ethhdr): the view and the dissector read them here. */
export const ETH_OFF = { dest: 0, source: 6, proto: 12 } as const;

export const ETH_HLEN = 14;
/** Frame check sequence length. */
export const ETH_FCS_LEN = 4;
/** Shortest frame on the wire, FCS excluded: shorter frames are padded. */
export const ETH_ZLEN = 60;
/** Shortest legal frame including FCS; anything shorter is a runt. */
export const ETH_MIN_FRAME = 64;
export const ETH_DATA_LEN = 1500;
export const ETH_P_IP = 0x0800;
export const ETH_P_ARP = 0x0806;
export const ETH_P_8021Q = 0x8100;
/** Reverse ARP (RFC 903): ARP's format, opcodes 3 and 4. */
export const ETH_P_RARP = 0x8035;
/** 802.1ad service tag (the outer tag of Q-in-Q): an 802.1Q tag's layout. */
export const ETH_P_8021AD = 0x88a8;

export class EthernetView {
  constructor(
    public bytes: Uint8Array,
    public offset = 0,
  ) {}

  /** Re-points this view at another frame and returns it, so one view serves every frame. */
  at(bytes: Uint8Array, offset = 0): this {
    this.bytes = bytes;
    this.offset = offset;
    return this;
  }

  get destKey(): number {
    return macKey(this.bytes, this.offset);
  }

  get sourceKey(): number {
    return macKey(this.bytes, this.offset + ETH_OFF.source);
  }

  get etherType(): number {
    return (
      (this.bytes[this.offset + ETH_OFF.proto] << 8) | this.bytes[this.offset + ETH_OFF.proto + 1]
    );
  }

  /** Writes a header in place: destination, source, EtherType. */
  static write(
    bytes: Uint8Array,
    at: number,
    dest: Uint8Array,
    source: Uint8Array,
    etherType: number,
  ): void {
    for (let i = 0; i < 6; i++) {
      bytes[at + i] = dest[i];
      bytes[at + ETH_OFF.source + i] = source[i];
    }
    bytes[at + ETH_OFF.proto] = etherType >> 8;
    bytes[at + ETH_OFF.proto + 1] = etherType & 0xff;
  }
}

/**
 * What a MAC does to a frame of `len` bytes at the start of `buf` before it
 * goes on the wire: pads it to the 60-byte minimum and appends the FCS, least
 * significant byte first. Returns the length on the wire (FCS included).
 * `view`, a DataView over the same bytes, makes it quicker.
 */
export function padAndAppendFcs(
  buf: Uint8Array,
  len: number,
  view: DataView | null = null,
): number {
  while (len < ETH_ZLEN) buf[len++] = 0;
  if (view !== null) {
    view.setUint32(len, crc32View(view, 0, len), true);
    return len + ETH_FCS_LEN;
  }
  const fcs = crc32(buf, 0, len);
  buf[len] = fcs & 0xff;
  buf[len + 1] = (fcs >>> 8) & 0xff;
  buf[len + 2] = (fcs >>> 16) & 0xff;
  buf[len + 3] = fcs >>> 24;
  return len + ETH_FCS_LEN;
}
