import { PayloadView } from '../../traffic/payload';
import { EMPTY_BYTES } from '../../wire/bytes';
import { ETH_ZLEN, EthernetView } from '../../wire/ethernet';
import { IcmpView } from '../../wire/icmp';
import { IgmpView } from '../../wire/igmp';
import { Ipv4View } from '../../wire/ipv4';
import { UdpView } from '../../wire/udp';
import { L_KINDS } from './kinds';
import { parseEthernet } from './proto/eth';

export {
  L_ARP,
  L_DATA,
  L_ETH,
  L_ICMP,
  L_IGMP,
  L_IP,
  L_NETLAB,
  L_SVLAN,
  L_UDP,
  L_VLAN,
  isTag,
} from './kinds';
export { ETH_ERR_SHORT, VLAN_ERR_SHORT, ETH_P_802_3_MIN, MAX_VLAN_TAGS } from './proto/eth';

/**
 * Where each protocol layer of a frame lies, found once per frame with the
 * wire views and no allocation: the dissector builds its tree over it, the
 * summary reads the columns from it, and a compiled display filter reads the
 * few fields it needs from it. One instance serves every frame (`parse`
 * re-points it). Each protocol module (`proto/`) finds its own layer and
 * hands what it carries to the module above.
 *
 * Every layer has a kind, its start offset and the end of the bytes it may
 * use: the captured bytes, cut short by what the layer below says it carries
 * (IP's total length, UDP's length). A field exists only when its bytes lie
 * inside that end, so a truncated header yields the fields that fit and no
 * more. A layer whose header is malformed carries the wire view's reason.
 */

/** 802.1Q tags read in a row, IPv6 extension headers, and room for the layers above them. */
const MAX_LAYERS = 8 + 24;

export class FrameLayers {
  bytes: Uint8Array = EMPTY_BYTES;
  /** Where the frame starts in `bytes`. */
  base = 0;
  /** Captured bytes of the frame. */
  len = 0;
  /** `base + len`. */
  end = 0;
  /** The frame's length on the wire; more than `len` when the capture cut it (snap length). */
  wireLen = 0;
  /** The capture cut the frame short, so running out of bytes is not a malformation. */
  snapped = false;
  /**
   * A layer ran out of captured bytes in a snapped frame: Wireshark's "Packet size limited during
   * capture" (`_ws.short`), where a frame that is whole would be malformed.
   */
  limited = false;
  /**
   * The frame comes from the lab (its own capture, or a file it wrote): only there is a UDP
   * payload starting with NLAB a generator's. In anybody else's capture it is data.
   */
  fromLab = true;

  /** Number of layers found. */
  n = 0;
  /** 802.1Q and 802.1ad tags read after the Ethernet addresses. */
  tags = 0;
  readonly kind = new Uint8Array(MAX_LAYERS);
  readonly start = new Int32Array(MAX_LAYERS);
  /** The end of the bytes each layer may use. */
  readonly stop = new Int32Array(MAX_LAYERS);
  /** 1 for the IP/UDP/ICMP headers an ICMP error quotes. */
  readonly quoted = new Uint8Array(MAX_LAYERS);
  /** The view's reason when the layer's header is malformed, else ''. */
  readonly bad: string[] = new Array<string>(MAX_LAYERS).fill('');
  /** Index of the first layer of each kind, or -1. */
  readonly first = new Int8Array(L_KINDS);

  /** The Ethernet header's length-or-type word after the tags: EtherType, or an 802.3 length. */
  etherType = -1;
  /** The frame is IEEE 802.3 (length, not type, after the addresses or tags). */
  is8023 = false;
  /**
   * The word is neither a length (up to 1500) nor a type (from 0x0600): Wireshark calls it an
   * invalid length/type and shows the rest as data.
   */
  badType = false;
  /** End of the outermost packet in the frame (IP total length, ARP's 28 bytes, 802.3 length): padding and trailer follow. */
  packetEnd = 0;
  /** Number of malformed layers. */
  malformedCount = 0;

  readonly eth = new EthernetView(EMPTY_BYTES);
  readonly ip = new Ipv4View();
  readonly icmp = new IcmpView();
  readonly igmp = new IgmpView();
  readonly udp = new UdpView();
  readonly payload = new PayloadView();

  /**
   * Finds the layers of the frame at `bytes[at, at + len)`; `wireLen` is its
   * length on the wire. With `linkOnly`, stops after the Ethernet header and
   * its 802.1Q tags (for a filter that reads nothing else).
   */
  parse(
    bytes: Uint8Array,
    len: number,
    at = 0,
    wireLen = len,
    linkOnly = false,
    fromLab = true,
  ): this {
    this.fromLab = fromLab;
    if (len > bytes.length - at) len = bytes.length - at;
    if (!(len > 0)) len = 0;
    this.bytes = bytes;
    this.base = at;
    this.len = len;
    this.end = at + len;
    this.wireLen = wireLen;
    this.snapped = wireLen > len;
    this.limited = false;
    this.n = 0;
    this.tags = 0;
    this.first.fill(-1);
    this.etherType = -1;
    this.is8023 = false;
    this.badType = false;
    this.malformedCount = 0;
    this.packetEnd = this.end;
    parseEthernet(this, linkOnly);
    return this;
  }

  /** Index of the first layer of `kind`, or -1. */
  firstOf(kind: number): number {
    return this.first[kind];
  }

  has(kind: number): boolean {
    return this.first[kind] >= 0;
  }

  /** The first reason any layer is malformed, or ''. */
  get malformed(): string {
    for (let i = 0; i < this.n; i++) if (this.bad[i] !== '') return this.bad[i];
    return '';
  }

  /** Adds a layer; returns its index. */
  push(kind: number, start: number, stop: number, quoted: number): number {
    const i = this.n++;
    this.kind[i] = kind;
    this.start[i] = start;
    this.stop[i] = stop;
    this.quoted[i] = quoted;
    this.bad[i] = '';
    if (this.first[kind] < 0) this.first[kind] = i;
    return i;
  }

  /** Room for `count` more layers (the tags and extension headers stop short of the arrays' end). */
  room(count: number): boolean {
    return this.n + count <= MAX_LAYERS;
  }

  /** A header that ends at `headerEnd`, past the bytes a snapped frame kept: limited. */
  short(headerEnd: number): void {
    if (this.snapped && headerEnd > this.end) this.limited = true;
  }

  /** Layer i runs past the captured bytes: limited by the snap length, or else malformed. */
  cut(i: number, reason: string): void {
    if (this.snapped) this.limited = true;
    else this.markBad(i, reason);
  }

  markBad(i: number, reason: string): void {
    this.bad[i] = reason;
    this.malformedCount++;
  }

  /**
   * Where the Ethernet padding after the outermost packet ends: frames are
   * padded to 60 bytes, so the bytes from `packetEnd` to here are padding and
   * any after it are a trailer (a capture on the segment keeps the FCS there).
   */
  get paddingEnd(): number {
    const minEnd = this.base + ETH_ZLEN;
    return this.packetEnd < minEnd ? Math.min(minEnd, this.end) : this.packetEnd;
  }

  /**
   * Where the frame's FCS starts, or -1: Wireshark's heuristic takes the last 4 bytes for one
   * when at least 4 follow the padding (a segment capture keeps exactly the FCS there).
   */
  get fcsStart(): number {
    const padEnd = this.paddingEnd;
    return this.end - padEnd >= 4 ? this.end - 4 : -1;
  }
}
