import { describe, expect, it } from 'vitest';
import { ETH_HLEN } from './ethernet';
import {
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  ICMP_ERR_BEYOND_BUFFER,
  ICMP_ERR_SHORT,
  ICMP_ERR_TYPE,
  ICMP_PORT_UNREACH,
  IcmpView,
} from './icmp';
import { IPPROTO_ICMP, Ipv4View } from './ipv4';

const hex = (s: string) =>
  Uint8Array.from(s.replace(/\s/g, '').match(/../g)!, (h) => parseInt(h, 16));

// A ping 10.0.0.1 → 10.0.0.2, id 0x1c2f, sequence 1, 16 bytes "abcd…p";
// tshark reports the ICMP checksum 0x9884 correct.
const ECHO_FRAME = hex(
  '020000000002 020000000001 0800' +
    '4500 002c 1234 4000 4001 149b 0a000001 0a000002' +
    '0800 9884 1c2f 0001 6162636465666768696a6b6c6d6e6f70',
);

function icmpOf(frame: Uint8Array): IcmpView {
  const iph = new Ipv4View(frame, ETH_HLEN);
  expect(iph.check()).toBe('');
  expect(iph.protocol).toBe(IPPROTO_ICMP);
  return new IcmpView(frame, iph.payloadOffset, iph.payloadLength);
}

describe('IcmpView', () => {
  it('reads a real echo request', () => {
    const icmp = icmpOf(ECHO_FRAME);
    expect(icmp.length).toBe(24);
    expect(icmp.check()).toBe('');
    expect(icmp.type).toBe(ICMP_ECHO);
    expect(icmp.code).toBe(0);
    expect(icmp.checksum).toBe(0x9884);
    expect(icmp.echoId).toBe(0x1c2f);
    expect(icmp.echoSequence).toBe(1);
    expect(icmp.restOfHeader).toBe(0x1c2f0001);
    expect(ECHO_FRAME[icmp.payloadOffset]).toBe(0x61);
    expect(icmp.verifyChecksum()).toBe(true);
    expect(icmp.verifyChecksum(23)).toBe(false);
  });

  it('turns the request into its reply in place (type 0, checksum refilled)', () => {
    const frame = ECHO_FRAME.slice();
    const icmp = icmpOf(frame);
    icmp.type = ICMP_ECHOREPLY;
    expect(icmp.verifyChecksum()).toBe(false);
    icmp.fillChecksum();
    // Type 8 → 0 lowers the sum by 0x0800, so the checksum rises by 0x0800.
    expect(icmp.checksum).toBe(0xa084);
    expect(icmp.verifyChecksum()).toBe(true);
  });

  it('writes an echo header whose filled checksum matches the capture', () => {
    const out = ECHO_FRAME.slice(ETH_HLEN + 20);
    out.fill(0, 0, 8);
    IcmpView.writeEcho(out, 0, ICMP_ECHO, 0x1c2f, 1);
    new IcmpView(out).fillChecksum();
    expect(out).toEqual(ECHO_FRAME.subarray(ETH_HLEN + 20));
  });

  it('writes a port unreachable header', () => {
    const out = new Uint8Array(8 + 28);
    IcmpView.write(out, 0, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
    out.set(ECHO_FRAME.subarray(ETH_HLEN, ETH_HLEN + 28), 8);
    const icmp = new IcmpView(out);
    icmp.fillChecksum();
    expect(icmp.type).toBe(3);
    expect(icmp.code).toBe(3);
    expect(icmp.restOfHeader).toBe(0);
    expect(icmp.verifyChecksum()).toBe(true);
    expect(new Ipv4View(out, icmp.payloadOffset).src).toBe(0x0a000001);
  });

  it('names what is wrong with a malformed message', () => {
    const icmp = new IcmpView();
    expect(icmp.check()).toBe(ICMP_ERR_SHORT);
    expect(icmp.at(ECHO_FRAME, ETH_HLEN + 20, 7).check()).toBe(ICMP_ERR_SHORT);
    expect(icmp.at(ECHO_FRAME, ECHO_FRAME.length - 4, 8).check()).toBe(ICMP_ERR_BEYOND_BUFFER);
    const bytes = ECHO_FRAME.slice(ETH_HLEN + 20);
    bytes[0] = 19;
    expect(icmp.at(bytes).check()).toBe(ICMP_ERR_TYPE);
  });
});
