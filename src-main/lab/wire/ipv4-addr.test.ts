import { describe, expect, it } from 'vitest';
import {
  formatIpv4,
  inSubnet,
  ipMulticastMacKey,
  ipMulticastToMac,
  isLocalMulticastIp,
  isMulticastIp,
  maskToPrefix,
  networkAddress,
  parseIpv4,
  parseIpv4Prefix,
  prefixToMask,
  subnetBroadcast,
} from './ipv4-addr';
import { formatMac, macKey, parseMac } from './mac';

const ip = (text: string) => parseIpv4(text)!;

describe('dotted quads', () => {
  it('parse to unsigned 32-bit numbers and format back', () => {
    expect(ip('192.168.0.1')).toBe(0xc0a80001);
    expect(ip('255.255.255.255')).toBe(0xffffffff);
    expect(ip(' 0.0.0.0 ')).toBe(0);
    expect(formatIpv4(0xef010101)).toBe('239.1.1.1');
    expect(formatIpv4(ip('10.20.30.40'))).toBe('10.20.30.40');
    // Signed results of bitwise operations format the same.
    expect(formatIpv4(0xe0000001 | 0)).toBe('224.0.0.1');
  });

  it('refuse what is not a dotted quad', () => {
    for (const bad of [
      '256.0.0.1',
      '1.2.3',
      '1.2.3.4.5',
      '1.2.3.x',
      '01.2.3.4',
      '',
      '1..2.3',
      '-1.2.3.4',
    ]) {
      expect(parseIpv4(bad)).toBeNull();
    }
  });

  it('parse address/prefix', () => {
    expect(parseIpv4Prefix('10.0.0.1/24')).toEqual({ addr: 0x0a000001, prefix: 24 });
    expect(parseIpv4Prefix('10.0.0.1')).toEqual({ addr: 0x0a000001, prefix: 32 });
    expect(parseIpv4Prefix('10.0.0.1/33')).toBeNull();
    expect(parseIpv4Prefix('10.0.0.1/')).toBeNull();
    expect(parseIpv4Prefix('10.0.0/8')).toBeNull();
  });
});

describe('multicast addresses', () => {
  it('are 224.0.0.0/4', () => {
    expect(isMulticastIp(ip('224.0.0.1'))).toBe(true);
    expect(isMulticastIp(ip('239.255.255.255'))).toBe(true);
    expect(isMulticastIp(ip('223.255.255.255'))).toBe(false);
    expect(isMulticastIp(ip('240.0.0.0'))).toBe(false);
    expect(isLocalMulticastIp(ip('224.0.0.22'))).toBe(true);
    expect(isLocalMulticastIp(ip('224.0.1.1'))).toBe(false);
  });

  it('map to 01:00:5e and their low 23 bits (RFC 1112, ip_eth_mc_map)', () => {
    const out = new Uint8Array(8);
    ipMulticastToMac(ip('239.1.1.1'), out, 1);
    expect(formatMac(out, 1)).toBe('01:00:5e:01:01:01');
    // The high bit of the second octet is dropped: 32 groups share one MAC.
    ipMulticastToMac(ip('239.129.1.1'), out, 1);
    expect(formatMac(out, 1)).toBe('01:00:5e:01:01:01');
    ipMulticastToMac(ip('224.0.0.1'), out);
    expect(formatMac(out)).toBe('01:00:5e:00:00:01');
    ipMulticastToMac(ip('239.255.255.250'), out);
    expect(formatMac(out)).toBe('01:00:5e:7f:ff:fa');
  });

  it('map to the same 48-bit key as the bytes do', () => {
    expect(ipMulticastMacKey(ip('239.129.1.1'))).toBe(macKey(parseMac('01:00:5e:01:01:01')!));
    expect(ipMulticastMacKey(ip('239.255.255.250'))).toBe(0x01005e7ffffa);
  });
});

describe('prefixes and subnets', () => {
  it('turn prefix lengths into netmasks and back', () => {
    expect(prefixToMask(0)).toBe(0);
    expect(prefixToMask(8)).toBe(0xff000000);
    expect(prefixToMask(24)).toBe(ip('255.255.255.0'));
    expect(prefixToMask(31)).toBe(0xfffffffe);
    expect(prefixToMask(32)).toBe(0xffffffff);
    for (let p = 0; p <= 32; p++) expect(maskToPrefix(prefixToMask(p))).toBe(p);
    expect(maskToPrefix(ip('255.0.255.0'))).toBe(-1);
    expect(maskToPrefix(ip('0.0.0.255'))).toBe(-1);
  });

  it('give network, broadcast and membership', () => {
    const mask = prefixToMask(24);
    expect(formatIpv4(networkAddress(ip('192.168.1.77'), mask))).toBe('192.168.1.0');
    expect(formatIpv4(subnetBroadcast(ip('192.168.1.77'), mask))).toBe('192.168.1.255');
    expect(subnetBroadcast(ip('10.1.2.3'), prefixToMask(8))).toBe(ip('10.255.255.255'));
    expect(subnetBroadcast(ip('10.1.2.3'), prefixToMask(0))).toBe(0xffffffff);
    expect(inSubnet(ip('192.168.1.200'), ip('192.168.1.0'), mask)).toBe(true);
    expect(inSubnet(ip('192.168.2.1'), ip('192.168.1.0'), mask)).toBe(false);
    expect(inSubnet(ip('239.1.1.1'), ip('239.1.1.0'), mask)).toBe(true);
  });
});
