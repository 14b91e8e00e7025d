import { describe, expect, it } from 'vitest';
import { hashBin512, hashBin64 } from '../../../src-main/lab/wire/crc32';
import { groupMac, hashBin, macText, parseMacText, probeVerdict, whereIs } from './multicast';

describe('multicast helpers', () => {
  it('maps a group to its MAC', () => {
    expect(macText(groupMac('239.1.1.24')!)).toBe('01:00:5e:01:01:18');
    expect(macText(groupMac('239.129.1.1')!)).toBe('01:00:5e:01:01:01');
    expect(groupMac('10.0.0.1')).toBeNull();
  });

  it('computes the hash64 bin as the lab does', () => {
    for (const text of [
      '01:00:5e:01:01:01',
      '01:00:5e:01:01:18',
      '01:00:5e:00:00:01',
      '33:33:00:00:00:01',
    ]) {
      const mac = parseMacText(text)!;
      expect(hashBin(mac)).toBe(hashBin64(mac));
      expect(hashBin(mac, 512)).toBe(hashBin512(mac));
    }
    // tulip's broadcast entry: ether_crc_le of ff:ff:ff:ff:ff:ff & 0x1ff is bin 255.
    expect(whereIs('ff:ff:ff:ff:ff:ff', 512)?.bin).toBe(255);
    // The hash-collisions exercise: 239.1.1.1 and 239.1.1.24 share bin 4.
    expect(whereIs('239.1.1.1')).toEqual({ mac: '01:00:5e:01:01:01', bin: 4 });
    expect(whereIs('239.1.1.24')?.bin).toBe(4);
    expect(whereIs('nonsense')).toBeNull();
  });

  it('says a promiscuous or all-multicast card takes a group whatever its bin', () => {
    const { mac, bin } = whereIs('239.1.1.24')!;
    const hash = { mode: 'hash', bins: [(bin + 1) % 64], perfect: [] };
    expect(probeVerdict(hash, mac, bin)).toEqual({ passes: false, why: 'kept out by the hash' });
    expect(probeVerdict({ ...hash, mode: 'promisc' }, mac, bin).passes).toBe(true);
    expect(probeVerdict({ ...hash, mode: 'promisc' }, mac, bin).why).toMatch(/promiscuous/);
    expect(probeVerdict({ ...hash, mode: 'allmulti' }, mac, bin).why).toMatch(/ALLMULTI/);
    expect(probeVerdict({ ...hash, bins: [bin] }, mac, bin).why).toBe('passes the hash');
    const perfect = { mode: 'perfect', bins: [], perfect: [mac] };
    expect(probeVerdict(perfect, mac, bin).why).toBe('passes: a perfect entry');
    expect(probeVerdict({ ...perfect, perfect: ['01:00:5e:00:00:09'] }, mac, bin).passes).toBe(
      false,
    );
  });
});
