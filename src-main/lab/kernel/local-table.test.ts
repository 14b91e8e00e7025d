import { describe, expect, it } from 'vitest';
import { Lab } from '../lab';
import { parseIpv4 } from '../wire/ipv4-addr';
import { fibValidateSource } from './route-input';

const ip = (s: string) => parseIpv4(s)!;

describe('the local table (own addresses and subnet broadcasts)', () => {
  it('follows addresses as they are added and deleted, on every interface', () => {
    const lab = new Lab({ seed: 1 });
    const h = lab.addHost('h');
    const eth0 = lab.addInterface(h, { model: 'nofilter', ip: '10.0.0.1/24' }).dev;
    const eth1 = lab.addInterface(h, { model: 'nofilter' }).dev;
    const k = h.kernel;
    expect(k.isLocalAddr(ip('10.0.0.1'))).toBe(true);
    expect(fibValidateSource(k, ip('10.0.0.255'))).toBe(false); // a subnet's broadcast
    expect(fibValidateSource(k, ip('10.0.0.2'))).toBe(true);

    expect(k.addAddress(eth1, ip('192.168.7.1'), 31)).toBe(0);
    expect(k.isLocalAddr(ip('192.168.7.1'))).toBe(true);
    expect(fibValidateSource(k, ip('192.168.7.1'))).toBe(false);
    expect(fibValidateSource(k, ip('192.168.7.0'))).toBe(true); // a /31 has no broadcast: a peer

    expect(k.delAddress(eth0, ip('10.0.0.1'))).toBe(0);
    expect(k.isLocalAddr(ip('10.0.0.1'))).toBe(false);
    expect(fibValidateSource(k, ip('10.0.0.1'))).toBe(true);
    expect(fibValidateSource(k, ip('10.0.0.255'))).toBe(true);
    expect(fibValidateSource(k, ip('255.255.255.255'))).toBe(false);
  });

  it('forgets a device’s addresses when the device is unregistered', () => {
    const lab = new Lab({ seed: 1 });
    const h = lab.addHost('h');
    const dev = lab.addInterface(h, { model: 'nofilter', ip: '10.0.0.1/24' }).dev;
    h.kernel.unregisterNetdev(dev);
    expect(h.kernel.isLocalAddr(ip('10.0.0.1'))).toBe(false);
    expect(dev.ipPtr).toBeNull();
  });
});
