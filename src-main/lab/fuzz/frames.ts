import type { Rng } from '../sim/rng';
import { internetChecksum, pseudoHeaderSum } from '../wire/checksum';
import { crc32 } from '../wire/crc32';
import { ETH_P_8021Q, ETH_P_ARP, ETH_P_IP } from '../wire/ethernet';
import {
  IGMP_HOST_LEAVE_MESSAGE,
  IGMP_HOST_MEMBERSHIP_QUERY,
  IGMPV1_HOST_MEMBERSHIP_REPORT,
  IGMPV2_HOST_MEMBERSHIP_REPORT,
  IGMPV3_HOST_MEMBERSHIP_REPORT,
} from '../wire/igmp';
import { ipMulticastToMac } from '../wire/ipv4-addr';
import { IPOPT_RA, IPPROTO_ICMP, IPPROTO_IGMP, IPPROTO_UDP } from '../wire/ipv4';
import { writeMacKey } from '../wire/mac';

/**
 * Random and mutated Ethernet frames for fuzzing a lab through an
 * `ExternalPort`: well-formed frames of every protocol the hosts speak (UDP,
 * ICMP, IGMP v1/v2/v3, ARP) and some they do not, then broken the ways a wire
 * and a hostile peer break them — truncated headers, lengths that lie, bad
 * IP/UDP/ICMP/IGMP checksums, IPv4 options good and bad, fragments, runts,
 * giants, bad FCSs, and plain garbage. Everything is drawn from one seeded
 * `Rng`, so a failing frame can be found again by its number.
 */

/** What the lab looks like to the fuzzer: whom to address. */
export interface FuzzTargets {
  /** Unicast MACs of the hosts' cards. */
  macs: Uint8Array[];
  /** Their IPv4 addresses. */
  ips: number[];
  /** Groups some host joined. */
  joined: number[];
  /** Groups nobody joined (some sharing a hash bin with a joined one). */
  unjoined: number[];
  /** The subnet's broadcast address. */
  broadcast: number;
  /** UDP ports with sockets bound on some host. */
  ports: number[];
}

/** How a frame goes onto the wire. */
export const VIA_SEND = 0; // ExternalPort.send: no FCS, length-checked, padded
export const VIA_RAW_GOOD_FCS = 1; // sendRaw with the right FCS appended (runts and giants as given)
export const VIA_RAW_BAD_FCS = 2; // sendRaw with a wrong FCS
export const VIA_RAW_NO_FCS = 3; // sendRaw of the bytes alone: whatever their last four say

export interface FuzzFrame {
  bytes: Uint8Array;
  via: number;
  /** What was built and done to it, for a failure message. */
  what: string;
}

const BROADCAST_MAC = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
const EXT_MAC_KEY = 0x02aa00000000;

export class FrameFuzzer {
  /** Frames made so far, by kind (`udp`, `igmp3-report`, `garbage`, …) and by mutation. */
  readonly counts = new Map<string, number>();
  private readonly buf = new Uint8Array(4096);

  constructor(
    private readonly rng: Rng,
    private readonly t: FuzzTargets,
  ) {}

  /** The next frame. */
  next(): FuzzFrame {
    const r = this.rng;
    const roll = r.int(100);
    if (roll < 4) {
      this.tally('garbage');
      return this.garbage();
    }
    let len: number;
    let kind: string;
    const b = this.buf;
    b.fill(0, 0, 1600);
    // Ethernet header: destination first, then a forged or a plain source.
    const dest = this.pickDest();
    const src = r.chance(0.05) ? this.pickDest() : null;
    if (src) b.set(src.mac, 6);
    else writeMacKey(b, 6, EXT_MAC_KEY + r.int(256));
    const k = r.int(100);
    if (k < 30) [len, kind] = this.ipv4(IPPROTO_UDP, dest);
    else if (k < 45) [len, kind] = this.ipv4(IPPROTO_ICMP, dest);
    else if (k < 65) [len, kind] = this.ipv4(IPPROTO_IGMP, dest);
    else if (k < 70) [len, kind] = this.ipv4(r.int(256), dest);
    else if (k < 85) [len, kind] = this.arp(dest);
    else if (k < 90) {
      // An 802.3 frame: the type field is a length (LLC follows).
      b.set(dest.mac, 0);
      len = 14 + r.int(200);
      b[12] = (len - 14) >> 8;
      b[13] = (len - 14) & 0xff;
      this.randomFill(14, len);
      kind = '802.3';
    } else if (k < 95) {
      // A VLAN tag or an EtherType nobody here speaks.
      b.set(dest.mac, 0);
      const type = r.chance(0.5) ? ETH_P_8021Q : r.int(0x10000);
      b[12] = type >> 8;
      b[13] = type & 0xff;
      len = 14 + r.int(1504);
      this.randomFill(14, len);
      kind = 'other-type';
    } else {
      // Random bytes behind a real header.
      b.set(dest.mac, 0);
      b[12] = r.chance(0.5) ? ETH_P_IP >> 8 : ETH_P_ARP >> 8;
      b[13] = r.chance(0.5) ? ETH_P_IP & 0xff : ETH_P_ARP & 0xff;
      len = 14 + r.int(120);
      this.randomFill(14, len);
      kind = 'random-payload';
    }
    // Damage.
    const muts: string[] = [];
    if (r.chance(0.1)) {
      len = 1 + r.int(len);
      muts.push('truncated');
    }
    if (r.chance(0.08)) {
      const n = 1 + r.int(4);
      for (let i = 0; i < n; i++) b[r.int(len)] ^= 1 << r.int(8);
      muts.push('bit-flips');
    }
    if (r.chance(0.05)) {
      const extra = r.int(64);
      this.randomFill(len, len + extra);
      len += extra;
      muts.push('trailing-bytes');
    }
    const via = this.pickVia(len);
    if (via !== VIA_SEND && r.chance(0.05)) {
      // A giant: far past the MTU, with whatever it ends in.
      const to = 1519 + r.int(2000);
      this.randomFill(len, to);
      len = to;
      muts.push('giant');
    }
    for (const part of kind.split('+')) this.tally(part);
    for (const m of muts) this.tally(m);
    return {
      bytes: this.finish(len, via),
      via,
      what: `${kind}${muts.map((m) => `+${m}`).join('')}`,
    };
  }

  // ---- destinations ---------------------------------------------------

  private pickDest(): { mac: Uint8Array; ip: number } {
    const r = this.rng;
    const t = this.t;
    const mac = new Uint8Array(6);
    const k = r.int(100);
    if (k < 30) {
      const i = r.int(t.macs.length);
      return { mac: t.macs[i], ip: r.chance(0.9) ? t.ips[i] : this.randomIp() };
    }
    if (k < 45) return { mac: BROADCAST_MAC, ip: r.chance(0.5) ? t.broadcast : 0xffffffff };
    if (k < 65) return this.group(t.joined[r.int(t.joined.length)]);
    if (k < 75) return this.group(t.unjoined[r.int(t.unjoined.length)]);
    if (k < 80) return this.group(0xe0000001);
    if (k < 88) {
      // Some multicast MAC, its IP group random too.
      const g = (0xe0000000 | r.int(0x10000000)) >>> 0;
      return r.chance(0.5) ? this.group(g) : { mac: this.randomMac(true), ip: g };
    }
    // A unicast MAC no card has: only promiscuous cards take it.
    writeMacKey(mac, 0, 0x020000000000 + r.int(0x100000000));
    return { mac, ip: r.chance(0.5) ? t.ips[r.int(t.ips.length)] : this.randomIp() };
  }

  private group(g: number): { mac: Uint8Array; ip: number } {
    const mac = new Uint8Array(6);
    ipMulticastToMac(g, mac, 0);
    return { mac, ip: g };
  }

  private randomMac(multicast: boolean): Uint8Array {
    const mac = new Uint8Array(6);
    for (let i = 0; i < 6; i++) mac[i] = this.rng.int(256);
    if (multicast) mac[0] |= 1;
    else mac[0] &= 0xfe;
    return mac;
  }

  private randomIp(): number {
    return this.rng.nextU32();
  }

  /** A source address: usually a stranger on the subnet, sometimes anything at all. */
  private pickSrc(): number {
    const r = this.rng;
    const k = r.int(100);
    if (k < 80) return (0x0a000064 + r.int(100)) >>> 0; // 10.0.0.100-199
    if (k < 85) return 0; // 0.0.0.0
    if (k < 90) return this.t.ips[r.int(this.t.ips.length)]; // spoofing a host
    if (k < 93) return 0xffffffff;
    if (k < 96) return (0xe0000000 | r.int(0x10000000)) >>> 0; // a martian multicast source
    return this.randomIp();
  }

  // ---- IPv4 -----------------------------------------------------------

  /** An IPv4 datagram of `protocol` to `dest` at offset 14; returns its frame length and kind. */
  private ipv4(protocol: number, dest: { mac: Uint8Array; ip: number }): [number, string] {
    const r = this.rng;
    const b = this.buf;
    b.set(dest.mac, 0);
    b[12] = ETH_P_IP >> 8;
    b[13] = ETH_P_IP & 0xff;
    const ip = 14;
    // Options: none mostly; Router Alert (as IGMP sends); NOPs and an end; or junk.
    let optLen = 0;
    let optKind = '';
    const o = r.int(100);
    if (o < 60) optLen = 0;
    else if (o < 80) {
      b[ip + 20] = IPOPT_RA;
      b[ip + 21] = 4;
      optLen = 4;
      optKind = '+opt-ra';
    } else if (o < 90) {
      optLen = 4 * (1 + r.int(10));
      for (let i = 0; i < optLen; i++) b[ip + 20 + i] = 1; // NOP
      b[ip + 20 + optLen - 1] = 0; // EOL
      optKind = '+opt-nops';
    } else {
      optLen = 4 * (1 + r.int(10));
      this.randomFill(ip + 20, ip + 20 + optLen);
      optKind = '+opt-junk';
    }
    const hl = 20 + optLen;
    const l4 = ip + hl;
    const src = this.pickSrc();
    let l4len: number;
    let kind: string;
    if (protocol === IPPROTO_UDP) [l4len, kind] = this.udp(l4, src, dest.ip);
    else if (protocol === IPPROTO_ICMP) [l4len, kind] = this.icmp(l4);
    else if (protocol === IPPROTO_IGMP) [l4len, kind] = this.igmp(l4, dest.ip);
    else {
      l4len = r.int(64);
      this.randomFill(l4, l4 + l4len);
      kind = 'ip-proto';
    }
    let total = hl + l4len;
    b[ip] = 0x40 | (hl >> 2);
    b[ip + 1] = r.chance(0.1) ? r.int(256) : 0;
    b[ip + 4] = r.int(256);
    b[ip + 5] = r.int(256);
    b[ip + 6] = 0x40; // DF
    b[ip + 8] = r.chance(0.1) ? r.int(3) : 64;
    b[ip + 9] = protocol;
    b[ip + 12] = src >>> 24;
    b[ip + 13] = src >>> 16;
    b[ip + 14] = src >>> 8;
    b[ip + 15] = src;
    b[ip + 16] = dest.ip >>> 24;
    b[ip + 17] = dest.ip >>> 16;
    b[ip + 18] = dest.ip >>> 8;
    b[ip + 19] = dest.ip;
    // Header damage, each rarely: it hides everything behind it.
    const m = r.int(100);
    let frameLen = ip + total;
    if (m < 3) {
      b[ip] = (r.int(16) << 4) | (hl >> 2);
      kind += '+ip-version';
    } else if (m < 6) {
      b[ip] = 0x40 | r.int(16);
      kind += '+ip-ihl';
    } else if (m < 9) {
      total = r.chance(0.5) ? r.int(hl + 1) : total + 1 + r.int(100);
      kind += '+ip-total-length';
    } else if (m < 12) {
      b[ip + 6] = r.chance(0.5) ? 0x20 : r.int(256); // MF, or an offset
      b[ip + 7] = r.int(256);
      kind += '+ip-fragment';
    } else if (m < 14) {
      frameLen += r.int(40); // Ethernet padding beyond the datagram
    }
    b[ip + 2] = total >> 8;
    b[ip + 3] = total & 0xff;
    b[ip + 10] = 0;
    b[ip + 11] = 0;
    const sum = internetChecksum(b, ip, hl);
    const bad = r.chance(0.06);
    b[ip + 10] = (sum ^ (bad ? 1 + r.int(0xffff) : 0)) >> 8;
    b[ip + 11] = sum ^ (bad ? 1 : 0);
    if (bad) kind += '+ip-csum';
    return [frameLen, kind + optKind];
  }

  private udp(at: number, src: number, dst: number): [number, string] {
    const r = this.rng;
    const b = this.buf;
    const t = this.t;
    const dataLen = r.chance(0.9) ? r.int(200) : r.int(1472 - 40);
    const len = 8 + dataLen;
    const sport = r.int(0x10000);
    const dport = r.chance(0.8) ? t.ports[r.int(t.ports.length)] : r.int(0x10000);
    b[at] = sport >> 8;
    b[at + 1] = sport;
    b[at + 2] = dport >> 8;
    b[at + 3] = dport;
    this.randomFill(at + 8, at + len);
    let kind = 'udp';
    let field = len;
    const m = r.int(100);
    if (m < 4) {
      field = r.int(8);
      kind += '+udp-length-short';
    } else if (m < 8) {
      field = len + 1 + r.int(300);
      kind += '+udp-length-long';
    } else if (m < 12) {
      field = 8 + r.int(dataLen + 1);
      kind += '+udp-length-less';
    }
    b[at + 4] = field >> 8;
    b[at + 5] = field;
    b[at + 6] = 0;
    b[at + 7] = 0;
    const c = r.int(100);
    if (c < 10) kind += '+udp-no-csum';
    else {
      const covered = Math.min(field, len);
      let sum = internetChecksum(b, at, covered, pseudoHeaderSum(src, dst, IPPROTO_UDP, covered));
      if (sum === 0) sum = 0xffff;
      if (c < 18) {
        sum ^= 1 + r.int(0xfffe);
        kind += '+udp-csum';
      }
      b[at + 6] = sum >> 8;
      b[at + 7] = sum;
    }
    return [len, kind];
  }

  private icmp(at: number): [number, string] {
    const r = this.rng;
    const b = this.buf;
    const k = r.int(100);
    let len = 8 + r.int(120);
    let kind: string;
    if (k < 50) {
      b[at] = 8; // echo request
      kind = 'icmp-echo';
    } else if (k < 65) {
      b[at] = 0; // echo reply nobody asked for
      kind = 'icmp-echo-reply';
    } else if (k < 80) {
      b[at] = r.chance(0.5) ? 3 : 11; // destination unreachable, time exceeded
      b[at + 1] = r.int(16);
      kind = 'icmp-error';
    } else {
      b[at] = r.int(256);
      b[at + 1] = r.int(256);
      kind = 'icmp-type';
    }
    this.randomFill(at + 4, at + len);
    if (r.chance(0.05)) {
      len = r.int(8); // shorter than a header
      kind += '+icmp-short';
    }
    b[at + 2] = 0;
    b[at + 3] = 0;
    let sum = internetChecksum(b, at, len);
    if (r.chance(0.08)) {
      sum ^= 1 + r.int(0xfffe);
      kind += '+icmp-csum';
    }
    b[at + 2] = sum >> 8;
    b[at + 3] = sum;
    return [len, kind];
  }

  private igmp(at: number, dst: number): [number, string] {
    const r = this.rng;
    const b = this.buf;
    const t = this.t;
    const group = r.chance(0.5) ? dst : t.joined[r.int(t.joined.length)];
    const setGroup = (where: number, g: number) => {
      b[where] = g >>> 24;
      b[where + 1] = g >>> 16;
      b[where + 2] = g >>> 8;
      b[where + 3] = g;
    };
    let len = 8;
    let kind: string;
    const k = r.int(8);
    switch (k) {
      case 0: // v1 query: max response 0
        b[at] = IGMP_HOST_MEMBERSHIP_QUERY;
        b[at + 1] = 0;
        setGroup(at + 4, 0);
        kind = 'igmp1-query';
        break;
      case 1: // v2 query, general or group-specific
        b[at] = IGMP_HOST_MEMBERSHIP_QUERY;
        b[at + 1] = r.int(256);
        setGroup(at + 4, r.chance(0.5) ? 0 : group);
        kind = 'igmp2-query';
        break;
      case 2: {
        // v3 query with sources (maybe more than fit)
        const n = r.int(6);
        b[at] = IGMP_HOST_MEMBERSHIP_QUERY;
        b[at + 1] = r.int(256);
        setGroup(at + 4, r.chance(0.5) ? 0 : group);
        b[at + 8] = r.int(16);
        b[at + 9] = r.int(256);
        const claimed = r.chance(0.8) ? n : r.int(0x10000);
        b[at + 10] = claimed >> 8;
        b[at + 11] = claimed;
        this.randomFill(at + 12, at + 12 + 4 * n);
        len = 12 + 4 * n;
        kind = claimed === n ? 'igmp3-query' : 'igmp3-query+bad-sources';
        break;
      }
      case 3: // a query of 9 to 11 bytes: ignored (RFC 3376 7.1)
        b[at] = IGMP_HOST_MEMBERSHIP_QUERY;
        b[at + 1] = r.int(256);
        len = 9 + r.int(3);
        kind = 'igmp-query-odd-length';
        break;
      case 4:
        b[at] = IGMPV1_HOST_MEMBERSHIP_REPORT;
        setGroup(at + 4, group);
        kind = 'igmp1-report';
        break;
      case 5:
        b[at] = IGMPV2_HOST_MEMBERSHIP_REPORT;
        setGroup(at + 4, group);
        kind = 'igmp2-report';
        break;
      case 6:
        b[at] = IGMP_HOST_LEAVE_MESSAGE;
        setGroup(at + 4, group);
        kind = 'igmp2-leave';
        break;
      default: {
        // v3 report: records with sources, the counts sometimes lying
        const records = r.int(4);
        b[at] = IGMPV3_HOST_MEMBERSHIP_REPORT;
        b[at + 6] = 0;
        b[at + 7] = r.chance(0.85) ? records : r.int(256);
        let p = at + 8;
        for (let i = 0; i < records; i++) {
          const ns = r.int(4);
          b[p] = 1 + r.int(6);
          b[p + 1] = 0;
          b[p + 2] = 0;
          b[p + 3] = ns;
          setGroup(p + 4, t.joined[r.int(t.joined.length)]);
          this.randomFill(p + 8, p + 8 + 4 * ns);
          p += 8 + 4 * ns;
        }
        len = p - at;
        kind = 'igmp3-report';
      }
    }
    if (r.chance(0.05)) {
      len = r.int(8);
      kind += '+igmp-short';
    }
    b[at + 2] = 0;
    b[at + 3] = 0;
    let sum = internetChecksum(b, at, len);
    if (r.chance(0.08)) {
      sum ^= 1 + r.int(0xfffe);
      kind += '+igmp-csum';
    }
    b[at + 2] = sum >> 8;
    b[at + 3] = sum;
    return [len, kind];
  }

  // ---- ARP ------------------------------------------------------------

  private arp(dest: { mac: Uint8Array; ip: number }): [number, string] {
    const r = this.rng;
    const b = this.buf;
    const t = this.t;
    b.set(dest.mac, 0);
    b[12] = ETH_P_ARP >> 8;
    b[13] = ETH_P_ARP & 0xff;
    const a = 14;
    const setIp = (where: number, v: number) => {
      b[where] = v >>> 24;
      b[where + 1] = v >>> 16;
      b[where + 2] = v >>> 8;
      b[where + 3] = v;
    };
    b[a] = 0;
    b[a + 1] = 1; // Ethernet
    b[a + 2] = 0x08;
    b[a + 3] = 0x00; // IPv4
    b[a + 4] = 6;
    b[a + 5] = 4;
    b[a + 6] = 0;
    b[a + 7] = r.chance(0.6) ? 1 : 2;
    b.set(b.subarray(6, 12), a + 8); // sender MAC as the Ethernet source says
    const target = t.ips[r.int(t.ips.length)];
    let spa = this.pickSrc();
    let kind = b[a + 7] === 1 ? 'arp-request' : 'arp-reply';
    const k = r.int(100);
    if (k < 8) {
      spa = 0; // an address probe (RFC 5227)
      kind += '+probe';
    } else if (k < 14) {
      spa = target; // gratuitous, or a conflict with the host's own address
      kind += '+gratuitous';
    } else if (k < 18) {
      b[a + 1] = r.int(256);
      kind += '+htype';
    } else if (k < 22) {
      b[a + 2] = r.int(256);
      kind += '+ptype';
    } else if (k < 26) {
      b[a + 4] = r.int(256);
      b[a + 5] = r.int(256);
      kind += '+addr-lengths';
    } else if (k < 30) {
      b[a + 7] = 3 + r.int(20);
      kind += '+oper';
    } else if (k < 34) {
      for (let i = 0; i < 6; i++) b[a + 8 + i] = r.int(256); // a multicast or broadcast sender MAC
      b[a + 8] |= 1;
      kind += '+multicast-sha';
    }
    setIp(a + 14, spa);
    if (b[a + 7] === 2) b.set(dest.mac, a + 18);
    setIp(a + 24, r.chance(0.9) ? target : this.randomIp());
    let len = a + 28;
    if (r.chance(0.06)) {
      len = a + r.int(28);
      kind += '+arp-short';
    }
    return [len, kind];
  }

  // ---- the wire -------------------------------------------------------

  private pickVia(len: number): number {
    const r = this.rng;
    const k = r.int(100);
    if (k < 55) return VIA_SEND;
    if (k < 80) return VIA_RAW_GOOD_FCS;
    if (k < 92) return VIA_RAW_BAD_FCS;
    return len > 0 ? VIA_RAW_NO_FCS : VIA_RAW_GOOD_FCS;
  }

  /** The frame's bytes as they go to the port: with an FCS, good or bad, for the raw ways. */
  private finish(len: number, via: number): Uint8Array {
    const b = this.buf;
    if (via === VIA_SEND || via === VIA_RAW_NO_FCS) return b.slice(0, len);
    // sendRaw puts the bytes on the wire as they are: pad them as a MAC would, mostly.
    if (this.rng.chance(0.8)) while (len < 60) b[len++] = 0;
    const out = new Uint8Array(len + 4);
    out.set(b.subarray(0, len));
    let fcs = crc32(out, 0, len);
    if (via === VIA_RAW_BAD_FCS) fcs ^= 1 << this.rng.int(32);
    out[len] = fcs & 0xff;
    out[len + 1] = (fcs >>> 8) & 0xff;
    out[len + 2] = (fcs >>> 16) & 0xff;
    out[len + 3] = fcs >>> 24;
    return out;
  }

  /** Bytes of any length, from nothing to a giant: runts and noise. */
  private garbage(): FuzzFrame {
    const r = this.rng;
    const len = r.chance(0.5) ? r.int(64) : r.int(3000);
    const bytes = new Uint8Array(len);
    for (let i = 0; i < len; i++) bytes[i] = r.int(256);
    const via = r.chance(0.5) ? VIA_RAW_NO_FCS : VIA_SEND;
    return { bytes, via, what: 'garbage' };
  }

  private randomFill(from: number, to: number): void {
    const r = this.rng;
    const b = this.buf;
    for (let i = from; i < to; i += 4) {
      const v = r.nextU32();
      b[i] = v;
      if (i + 1 < to) b[i + 1] = v >>> 8;
      if (i + 2 < to) b[i + 2] = v >>> 16;
      if (i + 3 < to) b[i + 3] = v >>> 24;
    }
  }

  private tally(kind: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }
}
