import { describe, expect, it } from 'vitest';
import { RowPager } from './pager';

function source(total: { n: number }) {
  const calls: [number, number][] = [];
  const fetch = async (from: number, count: number) => {
    calls.push([from, count]);
    const rows = [];
    for (let i = from; i < Math.min(total.n, from + count); i++) rows.push(i);
    return { total: total.n, rows };
  };
  return { calls, fetch };
}

describe('RowPager', () => {
  it('fetches the pages a range needs, once', async () => {
    const total = { n: 1_000_000 };
    const { calls, fetch } = source(total);
    const pager = new RowPager(fetch, () => {}, 100);
    pager.setTotal(total.n);
    await Promise.all([pager.ensure(150, 320), pager.ensure(250, 260)]);
    expect(calls).toEqual([
      [100, 100],
      [200, 100],
      [300, 100],
    ]);
    expect(pager.get(150)).toBe(150);
    expect(pager.get(999_999)).toBeUndefined();
    await pager.ensure(999_950, 999_999);
    expect(pager.get(999_999)).toBe(999_999);
  });

  it('fetches a short last page again when the list grows', async () => {
    const total = { n: 150 };
    const { calls, fetch } = source(total);
    const pager = new RowPager(fetch, () => {}, 100);
    pager.setTotal(150);
    await pager.ensure(100, 149);
    await pager.ensure(100, 149);
    expect(calls.length).toBe(1);
    total.n = 180;
    pager.setTotal(180);
    await pager.ensure(100, 179);
    expect(calls.length).toBe(2);
    expect(pager.get(179)).toBe(179);
  });

  it('drops answers that arrive after a reset, and keeps at most maxPages', async () => {
    const total = { n: 10_000 };
    const { fetch } = source(total);
    let changes = 0;
    const pager = new RowPager(fetch, () => changes++, 10, 3);
    pager.setTotal(total.n);
    const late = pager.ensure(0, 9);
    pager.reset(10_000);
    await late;
    expect(pager.get(0)).toBeUndefined();
    await pager.ensure(0, 49);
    expect(changes).toBe(5);
    expect(pager.get(0)).toBeUndefined();
    expect(pager.get(49)).toBe(49);
  });

  it('forgets everything when the list shrinks', async () => {
    const { fetch } = source({ n: 100 });
    const pager = new RowPager(fetch, () => {}, 10);
    pager.setTotal(100);
    await pager.ensure(0, 9);
    pager.setTotal(5);
    expect(pager.get(0)).toBeUndefined();
  });
});
