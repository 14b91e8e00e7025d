import { EMPTY_BYTES, getU16, getU32, setU16, setU32 } from './bytes';
import { ETH_P_IP } from './ethernet';
import { macKey, writeMacKey } from './mac';

/**
 * ARP (RFC 826) for Ethernet and IPv4, the only pairing the lab speaks: a fixed
 * 28-byte packet. A view reads it where it lies; `at` re-points one view at the
 * next packet so the kernel can keep a single view and allocate nothing.
 */

export const ARPHRD_ETHER = 1;
/** Linux accepts Token Ring's hardware type on Ethernet too (arp_process). */
export const ARPHRD_IEEE802 = 6;
export const ARPOP_REQUEST = 1;
export const ARPOP_REPLY = 2;
/** An Ethernet/IPv4 ARP packet: 8 bytes of header and two (MAC, IPv4) pairs. */
export const ARP_LEN = 28;
/** Offsets of the addresses inside the packet, for copying them. */
export const ARP_SHA = 8;
export const ARP_SPA = 14;
export const ARP_THA = 18;
export const ARP_TPA = 24;

/** Byte offsets of the fixed part's fields (Linux's struct arphdr): the view and the dissector read them here. */
export const ARP_OFF = { hrd: 0, pro: 2, hln: 4, pln: 5, op: 6 } as const;

/** The fixed part before the addresses: hardware and protocol types, sizes, opcode. */
export const ARP_FIXED_LEN = 8;

/**
 * The field-offset table of an ARP packet of any address sizes (RFC 826: `hln` hardware and
 * `pln` protocol bytes each), relative to its start: what the kernel's 28-byte Ethernet/IPv4
 * layout (ARP_SHA…ARP_TPA) is for hln 6 and pln 4.
 */
export function arpOffsets(
  hln: number,
  pln: number,
): { sha: number; spa: number; tha: number; tpa: number; len: number } {
  const sha = ARP_FIXED_LEN;
  return {
    sha,
    spa: sha + hln,
    tha: sha + hln + pln,
    tpa: sha + 2 * hln + pln,
    len: ARP_FIXED_LEN + 2 * (hln + pln),
  };
}

export const ARP_ERR_SHORT = 'shorter than an Ethernet/IPv4 ARP packet (28 bytes)';
export const ARP_ERR_HLEN = 'hardware address length is not 6';
export const ARP_ERR_PLEN = 'protocol address length is not 4';
export const ARP_ERR_HTYPE = 'hardware type is not Ethernet';
export const ARP_ERR_PTYPE = 'protocol type is not IPv4 (0x0800)';
export const ARP_ERR_OPER = 'operation is neither request (1) nor reply (2)';

export class ArpView {
  constructor(
    public bytes: Uint8Array = EMPTY_BYTES,
    public offset = 0,
    public length = bytes.length - offset,
  ) {}

  /** Re-points this view at another packet and returns it. */
  at(bytes: Uint8Array, offset = 0, length = bytes.length - offset): this {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
    return this;
  }

  get htype(): number {
    return getU16(this.bytes, this.offset + ARP_OFF.hrd);
  }

  get ptype(): number {
    return getU16(this.bytes, this.offset + ARP_OFF.pro);
  }

  get hlen(): number {
    return this.bytes[this.offset + ARP_OFF.hln];
  }

  get plen(): number {
    return this.bytes[this.offset + ARP_OFF.pln];
  }

  get oper(): number {
    return getU16(this.bytes, this.offset + ARP_OFF.op);
  }

  set oper(value: number) {
    setU16(this.bytes, this.offset + ARP_OFF.op, value);
  }

  /** Sender hardware address as a 48-bit key. */
  get shaKey(): number {
    return macKey(this.bytes, this.offset + ARP_SHA);
  }

  /** Sender protocol (IPv4) address. */
  get spa(): number {
    return getU32(this.bytes, this.offset + ARP_SPA);
  }

  /** Target hardware address as a 48-bit key (zero in a request). */
  get thaKey(): number {
    return macKey(this.bytes, this.offset + ARP_THA);
  }

  /** Target protocol (IPv4) address. */
  get tpa(): number {
    return getU32(this.bytes, this.offset + ARP_TPA);
  }

  /**
   * '' when this is a well-formed Ethernet/IPv4 request or reply, else why not.
   * Linux drops all of these silently (arp_rcv, arp_process).
   */
  check(): string {
    if (this.length < ARP_LEN || this.offset + ARP_LEN > this.bytes.length) return ARP_ERR_SHORT;
    if (this.hlen !== 6) return ARP_ERR_HLEN;
    if (this.plen !== 4) return ARP_ERR_PLEN;
    const htype = this.htype;
    if (htype !== ARPHRD_ETHER && htype !== ARPHRD_IEEE802) return ARP_ERR_HTYPE;
    if (this.ptype !== ETH_P_IP) return ARP_ERR_PTYPE;
    const oper = this.oper;
    if (oper !== ARPOP_REQUEST && oper !== ARPOP_REPLY) return ARP_ERR_OPER;
    return '';
  }

  /** Writes a whole 28-byte Ethernet/IPv4 packet at `at`; a request's `thaKey` is 0. */
  static write(
    bytes: Uint8Array,
    at: number,
    oper: number,
    shaKey: number,
    spa: number,
    thaKey: number,
    tpa: number,
  ): void {
    setU16(bytes, at, ARPHRD_ETHER);
    setU16(bytes, at + ARP_OFF.pro, ETH_P_IP);
    bytes[at + ARP_OFF.hln] = 6;
    bytes[at + ARP_OFF.pln] = 4;
    setU16(bytes, at + ARP_OFF.op, oper);
    writeMacKey(bytes, at + ARP_SHA, shaKey);
    setU32(bytes, at + ARP_SPA, spa);
    writeMacKey(bytes, at + ARP_THA, thaKey);
    setU32(bytes, at + ARP_TPA, tpa);
  }
}
