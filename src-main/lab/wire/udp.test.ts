import { describe, expect, it } from 'vitest';
import { ETH_HLEN } from './ethernet';
import { IPPROTO_UDP, Ipv4View } from './ipv4';
import { parseIpv4 } from './ipv4-addr';
import { UDP_ERR_LENGTH, UDP_ERR_SHORT, UDP_ERR_TRUNCATED, UdpView } from './udp';

const hex = (s: string) =>
  Uint8Array.from(s.replace(/\s/g, '').match(/../g)!, (h) => parseInt(h, 16));
const ip = (text: string) => parseIpv4(text)!;

/*
 * 10.0.0.1:5000 → 239.1.1.1:5001, data "hi". By hand, pseudo-header
 * 0a00+0001+ef01+0101+0011+000a = fa1e, then 1388+1389+000a+0000+6869:
 * 0x189a2 in all, folded 0x89a3, complemented 0x765c. tshark agrees.
 */
const UDP_FRAME = hex(
  '01005e010101 020000000001 0800' +
    '4500 001e 0000 4000 0111 7fcc 0a000001 ef010101' +
    '1388 1389 000a 765c 6869',
);
const SRC = ip('10.0.0.1');
const DST = ip('239.1.1.1');

function udpOf(frame: Uint8Array): { iph: Ipv4View; udp: UdpView } {
  const iph = new Ipv4View(frame, ETH_HLEN);
  expect(iph.check()).toBe('');
  expect(iph.protocol).toBe(IPPROTO_UDP);
  return { iph, udp: new UdpView(frame, iph.payloadOffset, iph.payloadLength) };
}

describe('UdpView', () => {
  it('reads a datagram and verifies its checksum', () => {
    const { iph, udp } = udpOf(UDP_FRAME);
    expect(udp.check()).toBe('');
    expect(udp.srcPort).toBe(5000);
    expect(udp.dstPort).toBe(5001);
    expect(udp.udpLength).toBe(10);
    expect(udp.checksum).toBe(0x765c);
    expect(udp.payloadOffset).toBe(ETH_HLEN + 28);
    expect(udp.payloadLength).toBe(2);
    expect(udp.verifyChecksum(iph.src, iph.dst)).toBe(true);
    expect(udp.verifyChecksum(iph.src, ip('239.1.1.2'))).toBe(false);
  });

  it('writes the same datagram', () => {
    const out = new Uint8Array(10);
    out[8] = 0x68;
    out[9] = 0x69;
    UdpView.write(out, 0, 5000, 5001, 10);
    new UdpView(out).fillChecksum(SRC, DST);
    expect(out).toEqual(UDP_FRAME.subarray(ETH_HLEN + 20));
  });

  it('treats a zero checksum as none, and sends a computed zero as ffff', () => {
    const bytes = UDP_FRAME.slice(ETH_HLEN + 20);
    const udp = new UdpView(bytes);
    udp.checksum = 0;
    expect(udp.verifyChecksum(SRC, DST)).toBe(true);
    // Choose data that makes the sum ffff: the checksum would be 0000.
    // With data 0000 the datagram and pseudo-header sum to 0x189a2 - 0x6869.
    let sum = 0x189a2 - 0x6869;
    sum = (sum & 0xffff) + (sum >>> 16);
    const data = 0xffff - sum;
    bytes[8] = data >> 8;
    bytes[9] = data & 0xff;
    udp.fillChecksum(SRC, DST);
    expect(udp.checksum).toBe(0xffff);
    expect(udp.verifyChecksum(SRC, DST)).toBe(true);
  });

  it('checks only udpLength bytes: trailing bytes are not the datagram', () => {
    const bytes = Uint8Array.of(...UDP_FRAME.subarray(ETH_HLEN + 20), 0xaa, 0xbb);
    const udp = new UdpView(bytes);
    expect(udp.check()).toBe('');
    expect(udp.verifyChecksum(SRC, DST)).toBe(true);
  });

  it('names what is wrong with a malformed datagram', () => {
    const udp = new UdpView();
    expect(udp.check()).toBe(UDP_ERR_SHORT);
    const bytes = UDP_FRAME.slice(ETH_HLEN + 20);
    udp.at(bytes);
    expect(udp.check(7)).toBe(UDP_ERR_SHORT);
    expect(udp.check(9)).toBe(UDP_ERR_TRUNCATED);
    udp.udpLength = 7;
    expect(udp.check()).toBe(UDP_ERR_LENGTH);
    udp.udpLength = 11;
    expect(udp.check()).toBe(UDP_ERR_TRUNCATED);
    expect(udp.at(bytes, 4, 100).check()).toBe(UDP_ERR_SHORT);
  });
});
