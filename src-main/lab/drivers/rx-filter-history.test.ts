import { describe, expect, it } from 'vitest';
import { RxFilter } from './rx-filter';
import { RxFilterHistory } from './rx-filter-history';

describe('RxFilterHistory', () => {
  it('answers the state in force at a time, from copies the card cannot change later', () => {
    const h = new RxFilterHistory();
    const f = new RxFilter();
    h.note(100, true, true, 2, f);
    f.setBin(4);
    h.note(200, true, true, 2, f);
    f.setBin(19);
    expect(h.at(99)).toBeNull(); // before the card was noted at all
    expect(h.at(100)!.filter.describe().bins).toEqual([]);
    expect(h.at(199)!.filter.describe().bins).toEqual([]);
    expect(h.at(200)!.filter.describe().bins).toEqual([4]); // a change at the arrival counts
    expect(h.at(1e9)!.filter.describe().bins).toEqual([4]);
  });

  it('writes only changes, keeps the last of several at one instant, and forgets the oldest', () => {
    const h = new RxFilterHistory();
    const f = new RxFilter();
    h.note(0, false, true, 2, f);
    h.note(5, false, true, 2, f);
    expect(h.length).toBe(1);
    h.note(10, true, true, 2, f);
    h.note(10, true, true, 3, f);
    expect(h.length).toBe(2);
    expect(h.at(10)).toMatchObject({ since: 10, receiving: true, ownKey: 3 });
    for (let t = 11; t < 2000; t++) h.note(t, t % 2 === 0, true, 3, f);
    expect(h.length).toBe(1024);
    expect(h.at(10)).toBeNull();
    expect(h.at(1999)).toMatchObject({ since: 1999, receiving: false });
  });
});
