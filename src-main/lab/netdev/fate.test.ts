import { describe, expect, it } from 'vitest';
import {
  FATE_DELIVERED,
  FATE_FORWARDED,
  FATE_HW_FILTER,
  FATE_NAMES,
  FATE_NEIGH_FAILED,
  FATE_RING_FULL,
  FateLog,
} from './fate';

describe('FateLog.find', () => {
  it('finds records written nearly in order, past wrap-around, and misses the unknown', () => {
    const log = new FateLog();
    // 200,000 frames; every 10th is recorded early (a ring overflow), out of order by a few.
    const order: number[] = [];
    for (let s = 1; s <= 200_000; s++) order.push(s);
    for (let i = 10; i < order.length; i += 10) [order[i - 3], order[i]] = [order[i], order[i - 3]];
    for (const s of order)
      log.record(s, s * 10, s % 7 === 0 ? FATE_RING_FULL : FATE_DELIVERED, s % 5);
    expect(log.find(199_999)).toEqual({ stage: 'delivered', time: 1_999_990, socket: 4, iif: 0 });
    expect(log.find(199_997)).toEqual({ stage: 'ring full', time: 1_999_970, socket: 2, iif: 0 }); // 199,997 = 7 × 28,571
    expect(log.find(140_000)).toEqual({ stage: 'ring full', time: 1_400_000, socket: 0, iif: 0 });
    expect(log.find(10)).toBeNull(); // aged out of the last 65,536 records
    expect(log.find(300_000)).toBeNull();
    expect(log.total(FATE_RING_FULL)).toBe(Math.floor(200_000 / 7));
  });

  it('tells two cards’ records of the same wire frame apart', () => {
    const log = new FateLog();
    log.record(41, 1000, FATE_DELIVERED, 7, 2); // eth0 (ifindex 2) gave it to socket 7
    log.record(41, 1200, FATE_RING_FULL, -1, 3); // eth1's ring was full
    log.record(42, 1300, FATE_DELIVERED, 2 ** 31, 65535);
    expect(log.find(41, 2)).toEqual({ stage: 'delivered', time: 1000, socket: 7, iif: 2 });
    expect(log.find(41, 3)).toEqual({ stage: 'ring full', time: 1200, socket: -1, iif: 3 });
    expect(log.find(41, 4)).toBeNull();
    expect([2, 3]).toContain(log.find(41)?.iif); // no card asked: either card's record
    expect(log.find(42, 65535)).toEqual({
      stage: 'delivered',
      time: 1300,
      socket: 2 ** 31,
      iif: 65535,
    });
  });
});

describe('FateLog totals', () => {
  it('keeps each stage’s total through the log’s growth, counts, amends and collectors', () => {
    const log = new FateLog();
    let pending = 0;
    log.onRead(() => {
      log.count(FATE_HW_FILTER, pending);
      pending = 0;
    });
    for (let s = 1; s <= 5000; s++) log.record(s, s, s % 2 ? FATE_DELIVERED : FATE_FORWARDED);
    log.count(FATE_HW_FILTER, 3);
    pending = 4;
    log.amend(4, 0, FATE_FORWARDED, FATE_NEIGH_FAILED);
    const t = log.totals;
    expect(t.length).toBe(FATE_NAMES.length);
    expect(t[FATE_DELIVERED]).toBe(2500);
    expect(t[FATE_FORWARDED]).toBe(2499);
    expect(t[FATE_NEIGH_FAILED]).toBe(1);
    expect(t[FATE_HW_FILTER]).toBe(7);
    expect(t.reduce((a, b) => a + b, 0)).toBe(5007);
    expect(log.find(4999)).toEqual({ stage: 'delivered', time: 4999, socket: -1, iif: 0 });
    pending = 1;
    expect(log.total(FATE_HW_FILTER)).toBe(8);
  });
});
