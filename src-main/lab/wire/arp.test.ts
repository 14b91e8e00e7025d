import { describe, expect, it } from 'vitest';
import {
  ARP_ERR_HLEN,
  ARP_ERR_HTYPE,
  ARP_ERR_OPER,
  ARP_ERR_PLEN,
  ARP_ERR_PTYPE,
  ARP_ERR_SHORT,
  ARP_LEN,
  ARPOP_REPLY,
  ARPOP_REQUEST,
  ArpView,
} from './arp';
import { ETH_HLEN, ETH_P_ARP, EthernetView } from './ethernet';
import { formatIpv4, parseIpv4 } from './ipv4-addr';
import { parseMac, macKey } from './mac';

const hex = (s: string) =>
  Uint8Array.from(s.replace(/\s/g, '').match(/../g)!, (h) => parseInt(h, 16));
const ip = (text: string) => parseIpv4(text)!;
const mac = (text: string) => macKey(parseMac(text)!);

// "Who has 192.168.1.1? Tell 192.168.1.100" from 00:1b:21:3a:4b:5c, as tshark dissects it.
const REQUEST_FRAME = hex(
  'ffffffffffff 001b213a4b5c 0806' +
    '0001 0800 06 04 0001 001b213a4b5c c0a80164 000000000000 c0a80101',
);

describe('ArpView', () => {
  it('reads a real request in place', () => {
    expect(new EthernetView(REQUEST_FRAME).etherType).toBe(ETH_P_ARP);
    const arp = new ArpView(REQUEST_FRAME, ETH_HLEN);
    expect(arp.length).toBe(ARP_LEN);
    expect(arp.check()).toBe('');
    expect(arp.htype).toBe(1);
    expect(arp.ptype).toBe(0x0800);
    expect(arp.hlen).toBe(6);
    expect(arp.plen).toBe(4);
    expect(arp.oper).toBe(ARPOP_REQUEST);
    expect(arp.shaKey).toBe(mac('00:1b:21:3a:4b:5c'));
    expect(formatIpv4(arp.spa)).toBe('192.168.1.100');
    expect(arp.thaKey).toBe(0);
    expect(arp.tpa).toBe(ip('192.168.1.1'));
  });

  it('writes the same request byte for byte, and the reply to it', () => {
    const out = new Uint8Array(ARP_LEN);
    ArpView.write(
      out,
      0,
      ARPOP_REQUEST,
      mac('00:1b:21:3a:4b:5c'),
      ip('192.168.1.100'),
      0,
      ip('192.168.1.1'),
    );
    expect(out).toEqual(REQUEST_FRAME.subarray(ETH_HLEN));

    const req = new ArpView(REQUEST_FRAME, ETH_HLEN);
    const reply = new Uint8Array(ARP_LEN + 2);
    ArpView.write(reply, 2, ARPOP_REPLY, mac('02:00:00:00:00:01'), req.tpa, req.shaKey, req.spa);
    expect(reply.subarray(2)).toEqual(
      hex('0001 0800 06 04 0002 020000000001 c0a80101 001b213a4b5c c0a80164'),
    );
  });

  it('is re-pointed with at() and writes oper in place', () => {
    const view = new ArpView();
    expect(view.check()).toBe(ARP_ERR_SHORT);
    const copy = REQUEST_FRAME.slice();
    expect(view.at(copy, ETH_HLEN)).toBe(view);
    view.oper = ARPOP_REPLY;
    expect(copy[ETH_HLEN + 7]).toBe(2);
    expect(view.at(REQUEST_FRAME, ETH_HLEN, 20).check()).toBe(ARP_ERR_SHORT);
  });

  it('names what is wrong with a malformed packet', () => {
    const broken = (at: number, value: number) => {
      const bytes = REQUEST_FRAME.slice(ETH_HLEN);
      bytes[at] = value;
      return new ArpView(bytes).check();
    };
    expect(broken(4, 8)).toBe(ARP_ERR_HLEN);
    expect(broken(5, 16)).toBe(ARP_ERR_PLEN);
    expect(broken(1, 7)).toBe(ARP_ERR_HTYPE);
    expect(broken(1, 6)).toBe(''); // ARPHRD_IEEE802, which Linux accepts on Ethernet
    expect(broken(2, 0x86)).toBe(ARP_ERR_PTYPE);
    expect(broken(7, 3)).toBe(ARP_ERR_OPER);
    // A length that claims more than the buffer holds is still short.
    expect(new ArpView(REQUEST_FRAME, ETH_HLEN + 4, 28).check()).toBe(ARP_ERR_SHORT);
  });
});
