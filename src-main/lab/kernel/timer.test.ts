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
});
