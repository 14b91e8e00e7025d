import { describe, expect, it } from 'vitest';
import { Scheduler, type EventHandler } from './scheduler';

class Recorder implements EventHandler {
  seen: string[] = [];
  constructor(private readonly sched: Scheduler) {}
  handleEvent(kind: number, arg: number): void {
    this.seen.push(`${this.sched.now}:${kind}:${arg}`);
  }
}

describe('Scheduler', () => {
  it('dispatches in time order and breaks ties by insertion order', () => {
    const s = new Scheduler();
    const r = new Recorder(s);
    const id = s.register(r);
    s.schedule(30, id, 1);
    s.schedule(10, id, 2);
    s.schedule(20, id, 3);
    s.schedule(10, id, 4);
    s.schedule(10, id, 5);
    while (s.step());
    expect(r.seen).toEqual(['10:2:0', '10:4:0', '10:5:0', '20:3:0', '30:1:0']);
  });

  it('keeps order across growth with many random events', () => {
    const s = new Scheduler();
    const times: number[] = [];
    const id = s.register({ handleEvent: () => times.push(s.now) });
    let x = 12345;
    for (let i = 0; i < 5000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      s.schedule(x % 100000, id, 0);
    }
    while (s.step());
    expect(times).toHaveLength(5000);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
  });

  it('runUntil stops at the bound and advances the clock to it', () => {
    const s = new Scheduler();
    const r = new Recorder(s);
    const id = s.register(r);
    s.schedule(5, id, 1);
    s.schedule(15, id, 2);
    expect(s.runUntil(10)).toBe(1);
    expect(s.now).toBe(10);
    expect(s.pending).toBe(1);
    expect(s.nextTime).toBe(15);
  });

  it('refuses events in the past', () => {
    const s = new Scheduler();
    const id = s.register({ handleEvent: () => {} });
    s.runUntil(100);
    expect(() => s.schedule(50, id, 0)).toThrow(/in the past/);
  });
});
