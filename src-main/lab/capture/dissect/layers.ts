import { PAYLOAD_ERR_MAGIC, PAYLOAD_ERR_SHORT, PayloadView } from '../../traffic/payload';
import { ARP_FIXED_LEN, arpOffsets } from '../../wire/arp';
import { EMPTY_BYTES, getU16 } from '../../wire/bytes';
import { CHECKSUM_BAD, CHECKSUM_GOOD, CHECKSUM_NOT_PRESENT, CHECKSUM_UNVERIFIED } from './fields';
import {
  ETH_DATA_LEN,
  ETH_HLEN,
  ETH_P_8021AD,
  ETH_P_8021Q,
  ETH_P_ARP,
  ETH_P_RARP,
  ETH_P_IP,
  ETH_ZLEN,
  EthernetView,
} from '../../wire/ethernet';
import {
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  ICMP_HLEN,
  ICMP_PARAMETERPROB,
  ICMP_TIME_EXCEEDED,
  IcmpView,
} from '../../wire/icmp';
import { IGMP_HLEN, IgmpView } from '../../wire/igmp';
import {
  IPPROTO_ICMP,
  IPPROTO_IGMP,
  IPPROTO_UDP,
  IPV4_ERR_TRUNCATED,
  IPV4_HLEN,
  Ipv4View,
  ipv4RouteDestination,
} from '../../wire/ipv4';
import { getU32 } from '../../wire/bytes';
import { UDP_ERR_TRUNCATED, UDP_HLEN, UdpView } from '../../wire/udp';

/**
 * Where each protocol layer of a frame lies, found once per frame with the
 * wire views and no allocation: the dissector builds its tree over it, the
 * summary reads the columns from it, and a compiled display filter reads the
 * few fields it needs from it. One instance serves every frame (`parse`
 * re-points it).
 *
 * Every layer has a kind, its start offset and the end of the bytes it may
 * use: the captured bytes, cut short by what the layer below says it carries
 * (IP's total length, UDP's length). A field exists only when its bytes lie
 * inside that end, so a truncated header yields the fields that fit and no
 * more. A layer whose header is malformed carries the wire view's reason.
 */

export const L_ETH = 1;
export const L_VLAN = 2;
export const L_ARP = 3;
export const L_IP = 4;
export const L_ICMP = 5;
export const L_IGMP = 6;
export const L_UDP = 7;
export const L_NETLAB = 8;
export const L_DATA = 9;
/** An 802.1ad service tag (Q-in-Q's outer tag): an 802.1Q tag's layout, Wireshark's ieee8021ad. */
export const L_SVLAN = 10;

/** An 802.1Q or 802.1ad tag. */
export function isTag(kind: number): boolean {
  return kind === L_VLAN || kind === L_SVLAN;
}

/** 802.1Q tags read in a row; a deeper stack's rest is shown as data. */
export const MAX_VLAN_TAGS = 8;
const MAX_LAYERS = MAX_VLAN_TAGS + 12;

export const ETH_ERR_SHORT = 'shorter than an Ethernet header (14 bytes)';
export const VLAN_ERR_SHORT = 'truncated 802.1Q tag (4 bytes)';
/** EtherType values below this are an IEEE 802.3 length. */
export const ETH_P_802_3_MIN = 0x0600;

/** ICMP types whose body is the offending datagram's IP header and first 8 bytes. */
export function icmpQuotesDatagram(type: number): boolean {
  return (
    type === ICMP_DEST_UNREACH ||
    type === 4 || // source quench
    type === 5 || // redirect
    type === ICMP_TIME_EXCEEDED ||
    type === ICMP_PARAMETERPROB
  );
}

/** ICMP types whose second word is an identifier and a sequence number. */
export function icmpHasIdSeq(type: number): boolean {
  return type === ICMP_ECHO || type === ICMP_ECHOREPLY || (type >= 13 && type <= 18);
}

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
  readonly first = new Int8Array(16);

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
    const first = this.first;
    for (let k = 0; k < 11; k++) first[k] = -1;
    this.etherType = -1;
    this.is8023 = false;
    this.badType = false;
    this.malformedCount = 0;
    this.packetEnd = this.end;
    this.parseEthernet(linkOnly);
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

  private push(kind: number, start: number, stop: number, quoted: number): number {
    const i = this.n++;
    this.kind[i] = kind;
    this.start[i] = start;
    this.stop[i] = stop;
    this.quoted[i] = quoted;
    this.bad[i] = '';
    if (this.first[kind] < 0) this.first[kind] = i;
    return i;
  }

  /** A header that ends at `headerEnd`, past the bytes a snapped frame kept: limited. */
  private short(headerEnd: number): void {
    if (this.snapped && headerEnd > this.end) this.limited = true;
  }

  /** Layer i runs past the captured bytes: limited by the snap length, or else malformed. */
  private cut(i: number, reason: string): void {
    if (this.snapped) this.limited = true;
    else this.markBad(i, reason);
  }

  private markBad(i: number, reason: string): void {
    this.bad[i] = reason;
    this.malformedCount++;
  }

  private parseEthernet(linkOnly: boolean): void {
    const { bytes, base, end } = this;
    const e = this.push(L_ETH, base, end, 0);
    if (this.len < ETH_HLEN) {
      this.markBad(e, ETH_ERR_SHORT);
      return;
    }
    let type = getU16(bytes, base + 12);
    let p = base + ETH_HLEN;
    for (; type === ETH_P_8021Q || type === ETH_P_8021AD; this.tags++) {
      if (this.tags === MAX_VLAN_TAGS) {
        this.etherType = type;
        this.push(L_DATA, p, end, 0);
        return;
      }
      const v = this.push(type === ETH_P_8021Q ? L_VLAN : L_SVLAN, p, end, 0);
      if (p + 4 > end) {
        this.markBad(v, VLAN_ERR_SHORT);
        return;
      }
      type = getU16(bytes, p + 2);
      p += 4;
    }
    this.etherType = type;
    this.badType = type > ETH_DATA_LEN && type < ETH_P_802_3_MIN;
    this.is8023 = type <= ETH_DATA_LEN;
    if (linkOnly) return;
    if (this.badType) {
      if (p < end) this.push(L_DATA, p, end, 0);
      return;
    }
    if (type < ETH_P_802_3_MIN) {
      const stop = Math.min(p + type, end);
      this.packetEnd = stop;
      if (stop > p) this.push(L_DATA, p, stop, 0);
      return;
    }
    if (type === ETH_P_ARP || type === ETH_P_RARP) {
      // Any address sizes, as Wireshark reads ARP (the kernel takes only Ethernet/IPv4's).
      const a = this.push(L_ARP, p, end, 0);
      const len =
        end - p < ARP_FIXED_LEN ? ARP_FIXED_LEN : arpOffsets(bytes[p + 4], bytes[p + 5]).len;
      this.packetEnd = Math.min(p + len, end);
      if (p + len > end) this.cut(a, `truncated ARP packet: ${len} bytes, ${end - p} captured`);
      return;
    }
    if (type === ETH_P_IP) {
      this.parseIp(p, end, 0);
      return;
    }
    if (p < end) this.push(L_DATA, p, end, 0);
  }

  private parseIp(p: number, stop: number, quoted: number): void {
    const ip = this.ip;
    const i = this.push(L_IP, p, stop, quoted);
    const why = ip.at(this.bytes, p, stop - p).check();
    // An ICMP error quotes only the start of the datagram, and a snap length
    // cuts frames short: neither is a malformed packet.
    const cut = why === IPV4_ERR_TRUNCATED;
    // Wireshark reads the whole header (a quoted one too): past the snap length, it is limited,
    // and nothing after it is read.
    const headerEnd = p + Math.max(IPV4_HLEN, (this.bytes[p] & 15) << 2);
    if (this.snapped && headerEnd > this.end) {
      this.limited = true;
      return;
    }
    if (why !== '' && !(cut && (quoted === 1 || this.snapped))) this.markBad(i, why);
    if (why !== '' && !cut) return;
    const total = ip.totalLength;
    const packetEnd = Math.min(p + total, stop);
    if (quoted === 0) this.packetEnd = packetEnd;
    const q = p + ip.headerLength;
    if (ip.isFragment) {
      // Only a whole datagram can be dissected; a fragment's bytes are data (as Wireshark shows
      // a fragment it could not reassemble: the lab does not reassemble).
      if (q < packetEnd) this.push(L_DATA, q, packetEnd, quoted);
      return;
    }
    const proto = ip.protocol;
    if (proto === IPPROTO_UDP) this.parseUdp(q, packetEnd, quoted);
    else if (proto === IPPROTO_ICMP) this.parseIcmp(q, packetEnd, quoted);
    else if (proto === IPPROTO_IGMP && quoted === 0) this.parseIgmp(q, packetEnd);
    else if (q < packetEnd) this.push(L_DATA, q, packetEnd, quoted);
  }

  private parseUdp(p: number, stop: number, quoted: number): void {
    const udp = this.udp;
    const i = this.push(L_UDP, p, stop, quoted);
    const why = udp.at(this.bytes, p, stop - p).check();
    const cut = why === UDP_ERR_TRUNCATED;
    this.short(p + UDP_HLEN);
    if (why !== '' && !(cut && (quoted === 1 || this.snapped))) this.markBad(i, why);
    if (p + UDP_HLEN > stop) return;
    const dataStart = p + UDP_HLEN;
    const length = udp.udpLength;
    const dataEnd = why === '' ? p + length : stop;
    if (dataEnd <= dataStart) return;
    if (quoted === 1) {
      // The quoted datagram's payload, as far as the error quotes it, is data, as in Wireshark.
      this.push(L_DATA, dataStart, dataEnd, 1);
      return;
    }
    const payload = this.payload.at(this.bytes, dataStart, dataEnd - dataStart);
    const pwhy = payload.check();
    if (!this.fromLab || pwhy === PAYLOAD_ERR_SHORT || pwhy === PAYLOAD_ERR_MAGIC) {
      this.push(L_DATA, dataStart, dataEnd, 0);
      return;
    }
    const k = this.push(L_NETLAB, dataStart, dataEnd, 0);
    if (pwhy !== '') {
      // A generator may send a payload shorter than its header; a snap length may cut it.
      if (!this.snapped) this.markBad(k, pwhy);
      return;
    }
    // Anything after the header is filler.
    if (dataStart + 18 < dataEnd) this.push(L_DATA, dataStart + 18, dataEnd, 0);
  }

  private parseIcmp(p: number, stop: number, quoted: number): void {
    const icmp = this.icmp;
    const i = this.push(L_ICMP, p, stop, quoted);
    if (stop - p < ICMP_HLEN) {
      // A quoted ICMP header may be cut short by the quoting; otherwise it is malformed.
      this.short(p + ICMP_HLEN);
      if (quoted === 0 && !this.snapped) this.markBad(i, icmp.at(this.bytes, p, stop - p).check());
      return;
    }
    if (quoted === 1) return;
    const type = this.bytes[p];
    const body = p + ICMP_HLEN;
    if (body >= stop) return;
    if (icmpQuotesDatagram(type) && stop - body >= 1) this.parseIp(body, stop, 1);
    else this.push(L_DATA, body, stop, 0);
  }

  private parseIgmp(p: number, stop: number): void {
    const i = this.push(L_IGMP, p, stop, 0);
    const why = this.igmp.at(this.bytes, p, stop - p).check();
    this.short(p + IGMP_HLEN);
    if (why !== '' && !this.snapped) this.markBad(i, why);
  }

  /**
   * Offset of the IP layer i's destination as Wireshark's ip.dst gives it: the last hop of a
   * source route (LSRR/SSRR), else the header's (see ipv4RouteDestination). The header must be
   * captured up to its destination.
   */
  ipDestination(i: number): number {
    const at = this.start[i];
    const hl = (this.bytes[at] & 15) << 2;
    const route =
      hl > IPV4_HLEN && at + hl <= this.stop[i] ? ipv4RouteDestination(this.bytes, at, hl) : -1;
    return route >= 0 ? route : at + 16;
  }

  /** Whether UDP layer i's length is sound and its whole datagram is here. */
  udpWhole(i: number): boolean {
    const at = this.start[i];
    if (this.bad[i] !== '' || at + 6 > this.stop[i]) return false;
    const length = getU16(this.bytes, at + 4);
    return length >= UDP_HLEN && at + length <= this.stop[i];
  }

  /**
   * UDP layer i's checksum status: verified against its IP layer's source and (final)
   * destination whenever the whole datagram is here, a quoted one (in an ICMP error) too.
   */
  udpChecksumStatus(i: number): number {
    const at = this.start[i];
    const b = this.bytes;
    if (getU16(b, at + 6) === 0) return CHECKSUM_NOT_PRESENT;
    // The IP layer carrying it is the one just before (parseIp pushes UDP right after it).
    const ipIdx = i - 1;
    if (ipIdx < 0 || this.kind[ipIdx] !== L_IP || !this.udpWhole(i)) return CHECKSUM_UNVERIFIED;
    if (this.quoted[i] === 0 && this.snapped) return CHECKSUM_UNVERIFIED;
    const ipAt = this.start[ipIdx];
    this.udp.at(b, at, this.stop[i] - at);
    return this.udp.verifyChecksum(getU32(b, ipAt + 12), getU32(b, this.ipDestination(ipIdx)))
      ? CHECKSUM_GOOD
      : CHECKSUM_BAD;
  }

  /**
   * Where the Ethernet padding after the outermost packet ends: frames are
   * padded to 60 bytes, so the bytes from `packetEnd` to here are padding and
   * any after it are a trailer (a capture on the segment keeps the FCS there).
   */
  get paddingEnd(): number {
    return this.padEnd();
  }

  /**
   * Where the frame's FCS starts, or -1: Wireshark's heuristic takes the last 4 bytes for one
   * when at least 4 follow the padding (a segment capture keeps exactly the FCS there).
   */
  get fcsStart(): number {
    const padEnd = this.padEnd();
    return this.end - padEnd >= 4 ? this.end - 4 : -1;
  }

  private padEnd(): number {
    const minEnd = this.base + ETH_ZLEN;
    return this.packetEnd < minEnd ? Math.min(minEnd, this.end) : this.packetEnd;
  }
}
