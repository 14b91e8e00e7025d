import { describe, expect, it } from 'vitest';
import { formatIpv6, ipv6InPrefix, parseIpv6, parseIpv6Prefix } from './ipv6-addr';

const round = (text: string) => formatIpv6(parseIpv6(text)!, 0);

describe('IPv6 addresses', () => {
  it('writes RFC 5952 text: the longest zero run as ::, one zero group kept', () => {
    expect(round('ff02:0:0:0:0:0:0:16')).toBe('ff02::16');
    expect(round('FE80::00FF:FE00:0A01')).toBe('fe80::ff:fe00:a01');
    expect(round('::')).toBe('::');
    expect(round('::1')).toBe('::1');
    expect(round('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(round('2001:0:0:1:0:0:0:1')).toBe('2001:0:0:1::1');
    expect(round('ff02::1:ff00:a01')).toBe('ff02::1:ff00:a01');
    expect(round('::ffff:10.0.0.1')).toBe('::ffff:10.0.0.1');
  });

  it('refuses what is not an address', () => {
    for (const bad of ['', ':', '1:2:3', '1::2::3', 'fe80::g', '1:2:3:4:5:6:7:8:9', '10.0.0.1'])
      expect(parseIpv6(bad), bad).toBeNull();
    expect(parseIpv6Prefix('fe80::/129')).toBeNull();
  });

  it('tests a prefix bit by bit', () => {
    const a = parseIpv6('fe80::1')!;
    const p = parseIpv6Prefix('fe80::/10')!;
    expect(ipv6InPrefix(a, 0, p.addr, p.prefix)).toBe(true);
    expect(ipv6InPrefix(parseIpv6('fec0::1')!, 0, p.addr, p.prefix)).toBe(false);
    expect(ipv6InPrefix(a, 0, parseIpv6('ff02::')!, 0)).toBe(true);
  });
});
