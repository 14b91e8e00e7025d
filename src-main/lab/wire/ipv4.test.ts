import { describe, expect, it } from 'vitest';
import { internetChecksum } from './checksum';
import { ETH_HLEN } from './ethernet';
import { formatIpv4, parseIpv4 } from './ipv4-addr';
import {
  IP_DF,
  IP_MF,
  IPPROTO_IGMP,
  IPPROTO_UDP,
  IPV4_ERR_HEADER_TRUNCATED,
  IPV4_ERR_IHL,
  IPV4_ERR_SHORT,
  IPV4_ERR_TOTAL_LENGTH,
  IPV4_ERR_TRUNCATED,
  IPV4_ERR_VERSION,
  Ipv4View,
} from './ipv4';

const hex = (s: string) =>
  Uint8Array.from(s.replace(/\s/g, '').match(/../g)!, (h) => parseInt(h, 16));
const ip = (text: string) => parseIpv4(text)!;

// Wikipedia's IPv4 checksum example: 192.168.0.1 → 192.168.0.199, UDP, 115 bytes, DF.
const WIKI = hex('4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7');

// An IGMPv2 report to 239.1.1.1 as Linux sends it: TOS 0xc0, TTL 1, DF, Router
// Alert, so a 24-byte header; checked with tshark (header checksum 0xea14).
const IGMP_FRAME = hex(
  '01005e010101 020000000001 0800' +
    '46c0 0020 0000 4000 0102 ea14 0a000001 ef010101 94040000' +
    '1600 f9fc ef010101',
);

describe('Ipv4View', () => {
  it("reads Wikipedia's header", () => {
    const packet = new Uint8Array(0x73);
    packet.set(WIKI);
    const iph = new Ipv4View(packet);
    expect(iph.check()).toBe('');
    expect(iph.version).toBe(4);
    expect(iph.ihl).toBe(5);
    expect(iph.headerLength).toBe(20);
    expect(iph.tos).toBe(0);
    expect(iph.totalLength).toBe(115);
    expect(iph.id).toBe(0);
    expect(iph.flags).toBe(0b010);
    expect(iph.dontFragment).toBe(true);
    expect(iph.moreFragments).toBe(false);
    expect(iph.fragmentOffset).toBe(0);
    expect(iph.isFragment).toBe(false);
    expect(iph.ttl).toBe(64);
    expect(iph.protocol).toBe(IPPROTO_UDP);
    expect(iph.checksum).toBe(0xb861);
    expect(iph.src).toBe(ip('192.168.0.1'));
    expect(formatIpv4(iph.dst)).toBe('192.168.0.199');
    expect(iph.optionsLength).toBe(0);
    expect(iph.payloadOffset).toBe(20);
    expect(iph.payloadLength).toBe(95);
    expect(iph.verifyChecksum()).toBe(true);
  });

  it('fills the checksum it verifies, and catches a changed byte', () => {
    const header = WIKI.slice();
    const iph = new Ipv4View(header);
    iph.checksum = 0;
    iph.fillChecksum();
    expect(iph.checksum).toBe(0xb861);
    iph.ttl = 63;
    expect(iph.verifyChecksum()).toBe(false);
    iph.fillChecksum();
    expect(iph.verifyChecksum()).toBe(true);
  });

  it('reads a header with options at an offset, options raw', () => {
    const iph = new Ipv4View(IGMP_FRAME, ETH_HLEN);
    expect(iph.check()).toBe('');
    expect(iph.headerLength).toBe(24);
    expect(iph.dscp).toBe(48); // CS6
    expect(iph.ecn).toBe(0);
    expect(iph.protocol).toBe(IPPROTO_IGMP);
    expect(iph.optionsOffset).toBe(ETH_HLEN + 20);
    expect(iph.optionsLength).toBe(4);
    expect(IGMP_FRAME[iph.optionsOffset]).toBe(0x94);
    expect(iph.payloadOffset).toBe(ETH_HLEN + 24);
    expect(iph.payloadLength).toBe(8);
    expect(iph.verifyChecksum()).toBe(true);
  });

  it('writes headers byte for byte, with or without Router Alert', () => {
    const out = new Uint8Array(40);
    const hl = Ipv4View.write(
      out,
      0,
      0,
      115,
      0,
      IP_DF,
      64,
      IPPROTO_UDP,
      ip('192.168.0.1'),
      ip('192.168.0.199'),
    );
    expect(hl).toBe(20);
    expect(out.subarray(0, 20)).toEqual(WIKI);
    const ra = Ipv4View.write(
      out,
      2,
      0xc0,
      32,
      0,
      IP_DF,
      1,
      IPPROTO_IGMP,
      ip('10.0.0.1'),
      ip('239.1.1.1'),
      true,
    );
    expect(ra).toBe(24);
    expect(out.subarray(2, 26)).toEqual(IGMP_FRAME.subarray(ETH_HLEN, ETH_HLEN + 24));
  });

  it('sums the header it writes as the bytes would, for any field values', () => {
    const out = new Uint8Array(24);
    let x = 1;
    const next = (bits: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return bits === 32 ? x : x >>> (32 - bits);
    };
    for (let n = 0; n < 2000; n++) {
      const ra = (n & 1) === 1;
      const hl = Ipv4View.write(
        out,
        0,
        next(8),
        next(16),
        next(16),
        next(16),
        next(8),
        next(8),
        next(32),
        next(32),
        ra,
      );
      const view = new Ipv4View(out);
      expect(view.verifyChecksum()).toBe(true);
      const check = (out[10] << 8) | out[11];
      out[10] = 0;
      out[11] = 0;
      expect(check).toBe(internetChecksum(out, 0, hl));
    }
  });

  it('reads fragments', () => {
    const header = WIKI.slice();
    const iph = new Ipv4View(header);
    header[6] = (IP_MF | 185) >> 8;
    header[7] = 185 & 0xff;
    expect(iph.moreFragments).toBe(true);
    expect(iph.dontFragment).toBe(false);
    expect(iph.fragOff).toBe(IP_MF | 185);
    expect(iph.fragmentOffset).toBe(1480);
    expect(iph.isFragment).toBe(true);
  });

  it('is re-pointed with at() to read another packet', () => {
    const iph = new Ipv4View();
    expect(iph.check()).toBe(IPV4_ERR_SHORT);
    expect(iph.at(IGMP_FRAME, ETH_HLEN, 32)).toBe(iph);
    expect(iph.dst).toBe(ip('239.1.1.1'));
    iph.at(WIKI);
    expect(iph.dst).toBe(ip('192.168.0.199'));
  });

  it('names what is wrong with a malformed header, without throwing', () => {
    const packet = new Uint8Array(0x73);
    packet.set(WIKI);
    const broken = (at: number, value: number, available = 0x73) => {
      const bytes = packet.slice();
      bytes[at] = value;
      return new Ipv4View(bytes).check(available);
    };
    expect(broken(0, 0x45, 19)).toBe(IPV4_ERR_SHORT);
    expect(broken(0, 0x65)).toBe(IPV4_ERR_VERSION);
    expect(broken(0, 0x44)).toBe(IPV4_ERR_IHL);
    expect(broken(0, 0x4f, 40)).toBe(IPV4_ERR_HEADER_TRUNCATED);
    expect(broken(0, 0x45, 0x72)).toBe(IPV4_ERR_TRUNCATED);
    expect(broken(3, 0x13)).toBe(IPV4_ERR_TOTAL_LENGTH);
    // Ethernet padding past the total length is fine.
    expect(new Ipv4View(Uint8Array.of(...packet, 0, 0)).check()).toBe('');
    // A view length beyond the buffer is clamped to the buffer.
    expect(new Ipv4View(WIKI, 0, 0x73).check()).toBe(IPV4_ERR_TRUNCATED);
    expect(new Ipv4View(WIKI, 10).check()).toBe(IPV4_ERR_SHORT);
  });
});
