import { describe, expect, it } from 'vitest';
import { Scheduler } from '../sim/scheduler';
import { Timers } from './timer';

describe('Timers', () => {
  it('fire once when armed, once more when re-armed, never when deleted', () => {
    const sched = new Scheduler();
    const timers = new Timers(sched);
    const fired: number[] = [];
    const t = timers.setup(() => fired.push(sched.now));
    timers.mod(t, 100);
    timers.mod(t, 50); // re-arming moves it: the event at 100 is stale
    expect(timers.expiresAt(t)).toBe(50);
    sched.runUntil(200);
    expect(fired).toEqual([50]);
    expect(timers.pending(t)).toBe(false);
    timers.mod(t, 300);
    timers.del(t);
    sched.runUntil(400);
    expect(fired).toEqual([50]);
  });

  it("give a freed id to the next setup, and never fire the old owner's function", () => {
    const sched = new Scheduler();
    const timers = new Timers(sched);
    const fired: string[] = [];
    const old = timers.setup(() => fired.push('old'));
    timers.mod(old, 100);
    timers.free(old); // the owner is done while its timer is armed
    expect(timers.inUse).toBe(0);
    const next = timers.setup(() => fired.push('next'));
    expect(next).toBe(old);
    expect(timers.slots).toBe(1);
    sched.runUntil(200);
    expect(fired).toEqual([]); // the event armed before the free is stale
    timers.mod(next, 300);
    sched.runUntil(400);
    expect(fired).toEqual(['next']);
  });

  it('ignore a second free and a del after free; arming a freed id throws', () => {
    const sched = new Scheduler();
    const timers = new Timers(sched);
    const a = timers.setup(() => {});
    timers.free(a);
    timers.free(a); // must not put the id on the free list twice
    timers.del(a);
    const b = timers.setup(() => {});
    const c = timers.setup(() => {});
    expect(b).toBe(a);
    expect(c).not.toBe(b); // a doubled free list would hand the same id out twice
    timers.free(b);
    expect(() => timers.mod(b, 10)).toThrow(`timer ${b} armed after it was freed`);
    expect(timers.inUse).toBe(1);
  });
});
