import { describe, expect, it } from 'vitest';
import { ETH_HLEN } from './ethernet';
import {
  Ipv4Summary,
  UDP_BAD_CHECKSUM,
  UDP_BAD_HEADER,
  UDP_OK,
  UdpSummary,
} from './header-summary';
import { parseIpv4 } from './ipv4-addr';

const hex = (s: string) =>
  Uint8Array.from(s.replace(/\s/g, '').match(/../g)!, (h) => parseInt(h, 16));
const ip = (text: string) => parseIpv4(text)!;

/** 10.0.0.1:5000 → 239.1.1.1:5001, data "hi" (the frame of udp.test.ts, checked by tshark). */
const frame = () =>
  hex(
    '01005e010101 020000000001 0800' +
      '4500 001e 0000 4000 0111 7fcc 0a000001 ef010101' +
      '1388 1389 000a 765c 6869',
  );
const UDP_AT = ETH_HLEN + 20;

describe('header summaries', () => {
  it('read what IPv4 input needs of a good header', () => {
    const h = new Ipv4Summary().parse(frame(), ETH_HLEN, 30);
    expect(h).toMatchObject({
      ok: true,
      src: ip('10.0.0.1'),
      dst: ip('239.1.1.1'),
      protocol: 17,
      totalLength: 30,
      headerLength: 20,
      fragment: false,
    });
    expect(h.isOf(ETH_HLEN, 30)).toBe(true);
    expect(h.isOf(ETH_HLEN, 29)).toBe(false);
  });

  it('refuse a header whose checksum fails, or that is cut short, or a fragment’s flags', () => {
    const bad = frame();
    bad[ETH_HLEN + 11] ^= 1;
    expect(new Ipv4Summary().parse(bad, ETH_HLEN, 30).ok).toBe(false);
    expect(new Ipv4Summary().parse(frame(), ETH_HLEN, 19).ok).toBe(false);
    const frag = frame();
    frag[ETH_HLEN + 6] = 0x20; // MF, no DF: the checksum must follow
    frag[ETH_HLEN + 10] = 0x9f;
    frag[ETH_HLEN + 11] = 0xcc;
    const f = new Ipv4Summary().parse(frag, ETH_HLEN, 30);
    expect(f.ok).toBe(true);
    expect(f.fragment).toBe(true);
  });

  it('tell a malformed UDP header from a failed checksum, as the counters do', () => {
    const src = ip('10.0.0.1');
    const dst = ip('239.1.1.1');
    const good = new UdpSummary().parse(frame(), UDP_AT, 10, src, dst);
    expect(good).toMatchObject({ verdict: UDP_OK, srcPort: 5000, dstPort: 5001, udpLength: 10 });
    expect(new UdpSummary().parse(frame(), UDP_AT, 7, src, dst).verdict).toBe(UDP_BAD_HEADER);
    // The same bytes from another source: the pseudo-header differs, the checksum fails.
    expect(new UdpSummary().parse(frame(), UDP_AT, 10, ip('10.0.0.2'), dst).verdict).toBe(
      UDP_BAD_CHECKSUM,
    );
    const none = frame();
    none[UDP_AT + 6] = 0;
    none[UDP_AT + 7] = 0; // no checksum: taken from anyone
    expect(new UdpSummary().parse(none, UDP_AT, 10, ip('10.0.0.2'), dst).verdict).toBe(UDP_OK);
  });

  it('forget, so a reused buffer is parsed again', () => {
    const h = new UdpSummary().parse(frame(), UDP_AT, 10, 1, 2);
    h.forget();
    expect(h.isOf(UDP_AT, 10)).toBe(false);
  });
});
