import { describe, expect, it } from 'vitest';
import { counterRows, dropCount, ratePerSecond } from './counters';
import { RollingSeries } from './series';

describe('counters', () => {
  it('gives each counter its change and its rate per simulated second', () => {
    const rows = counterRows({ rx_packets: 1500, tx_packets: 2 }, { rx_packets: 500 }, 100e6);
    expect(rows).toEqual([
      { name: 'rx_packets', value: 1500, delta: 1000, rate: 10_000 },
      { name: 'tx_packets', value: 2, delta: 0, rate: 0 },
    ]);
    expect(counterRows({ a: 1 }, null, 0)[0]).toMatchObject({ delta: 0, rate: 0 });
    expect(ratePerSecond(10, 5, 0)).toBe(0);
  });

  it('counts receive-side drops', () => {
    expect(
      dropCount({ rx_dropped: 2, rx_missed_errors: 3, rx_over_errors: 1, tx_dropped: 9 }),
    ).toBe(6);
    expect(dropCount(null)).toBe(0);
  });
});

describe('RollingSeries', () => {
  it('appends and shifts in place, keeping the same arrays', () => {
    const s = new RollingSeries(['rx', 'tx'], 3);
    const [x, rx] = s.data();
    for (let t = 1; t <= 5; t++) s.push(t, [t * 10, t]);
    expect(s.x).toBe(x);
    expect(s.ys[0]).toBe(rx);
    expect(s.data()).toEqual([
      [3, 4, 5],
      [30, 40, 50],
      [3, 4, 5],
    ]);
  });

  it('ignores a repeated time and starts again when the clock goes back', () => {
    const s = new RollingSeries(['rx']);
    s.push(5, [1]);
    s.push(5, [2]);
    expect(s.x).toEqual([5]);
    s.push(1, [3]);
    expect(s.data()).toEqual([[1], [3]]);
  });
});
