import { describe, expect, it } from 'vitest';
import { hashBin512, hashBin64 } from '../wire/crc32';
import { macKey, parseMac } from '../wire/mac';
import {
  HW_ALLMULTI,
  HW_BROADCAST,
  HW_HASH,
  HW_PERFECT,
  HW_PROMISC,
  HW_REJECT,
  HW_UNICAST,
  RxFilter,
} from './rx-filter';
import { explainFilter } from './rx-filter-explain';

const key = (text: string) => macKey(parseMac(text)!);
const OWN = key('02:00:00:00:00:02');
const GROUP = '01:00:5e:01:01:01'; // hash bin 4
const OTHER = '01:00:5e:01:01:02'; // hash bin 19

function hashFilter(...groups: string[]): RxFilter {
  const f = new RxFilter();
  for (const g of groups) f.setBin(hashBin64(parseMac(g)!));
  f.mode = groups.length > 0 ? 'hash' : 'none';
  return f;
}

function perfectFilter(capacity: number, ...groups: string[]): RxFilter {
  const f = new RxFilter(capacity);
  for (const g of groups) f.perfect[f.perfectCount++] = key(g);
  f.mode = groups.length > 0 ? 'perfect' : 'none';
  return f;
}

describe('explainFilter', () => {
  it('names the hash bin that let a frame in or kept it out', () => {
    const f = hashFilter(GROUP);
    expect(explainFilter(f, 'hash64', OWN, key(GROUP))).toEqual({
      verdict: HW_HASH,
      why: 'hash bin 4 set (bins set: 4)',
    });
    expect(explainFilter(f, 'hash64', OWN, key(OTHER))).toEqual({
      verdict: HW_REJECT,
      why: 'hash bin 19 not set (bins set: 4)',
    });
    expect(explainFilter(hashFilter(), 'hash64', OWN, key(OTHER)).why).toBe(
      'hash bin 19 not set (no bins set)',
    );
  });

  it('names a perfect table miss, and the hash a full table fell back to', () => {
    const f = perfectFilter(14, GROUP);
    expect(explainFilter(f, 'perfect', OWN, key(GROUP))).toEqual({
      verdict: HW_PERFECT,
      why: 'perfect-filter entry for 01:00:5e:01:01:01',
    });
    expect(explainFilter(f, 'perfect', OWN, key(OTHER)).why).toBe(
      'no perfect-filter entry for 01:00:5e:01:01:02 (1 of 14 entries used)',
    );
    expect(explainFilter(perfectFilter(14), 'perfect', OWN, key(OTHER)).why).toBe(
      'no perfect-filter entry for 01:00:5e:01:01:02 (the table is empty)',
    );
    // A 21x4x's 512-bin hash: GROUP in bin 136, broadcast's 255 always set; OTHER in bin 306.
    const overflowed = new RxFilter(14, 512);
    overflowed.setBin(255);
    overflowed.setBin(hashBin512(parseMac(GROUP)!));
    overflowed.mode = 'hash';
    expect(explainFilter(overflowed, 'perfect', OWN, key(OTHER)).why).toBe(
      'hash bin 306 not set (bins set: 136, 255; the perfect table overflowed to its hash)',
    );
  });

  it('says why cards without a multicast filter refuse multicast, and unicast for others', () => {
    const none = new RxFilter();
    expect(explainFilter(none, 'nofilter', OWN, key(GROUP)).why).toBe(
      'multicast: this card has no multicast filter and takes it only with ALLMULTI or PROMISC',
    );
    expect(explainFilter(none, 'promisc-only', OWN, key(GROUP)).why).toBe(
      'multicast: this card takes it only when promiscuous',
    );
    expect(explainFilter(none, 'hash64', OWN, key('02:00:00:00:00:03'))).toEqual({
      verdict: HW_REJECT,
      why: 'unicast for 02:00:00:00:00:03, not this card (02:00:00:00:00:02)',
    });
  });

  it('names the mode or address that let a frame in', () => {
    const none = new RxFilter();
    expect(explainFilter(none, 'hash64', OWN, OWN)).toEqual({
      verdict: HW_UNICAST,
      why: 'unicast to this card',
    });
    expect(explainFilter(none, 'hash64', OWN, key('ff:ff:ff:ff:ff:ff')).verdict).toBe(HW_BROADCAST);
    const all = new RxFilter();
    all.allMulti = true;
    expect(explainFilter(all, 'nofilter', OWN, key(GROUP)).verdict).toBe(HW_ALLMULTI);
    const promisc = new RxFilter();
    promisc.promisc = true;
    expect(explainFilter(promisc, 'promisc-only', OWN, key('02:00:00:00:00:03'))).toEqual({
      verdict: HW_PROMISC,
      why: 'promiscuous mode',
    });
  });
});
