import { describe, expect, it } from 'vitest';
import { Lab } from '../lab/lab';
import { MS, US } from '../lab/sim/time';
import { runRealtime, type RealtimeInput } from './realtime';

describe('runRealtime', () => {
  it('keeps the simulated clock with the wall clock, not ahead of it', async () => {
    const lab = new Lab({ seed: 1 });
    const t = performance.now();
    const r = await runRealtime(lab, 200 * MS);
    expect(r.ended).toBe('duration');
    expect(lab.now).toBe(200 * MS);
    expect(performance.now() - t).toBeGreaterThanOrEqual(199);
    expect(r.wallNs).toBeGreaterThanOrEqual(r.simNs - MS);
  });

  it('finishes a run whose last stretch is shorter than the smallest step (it used to wait forever)', async () => {
    const lab = new Lab({ seed: 1 });
    const r = await runRealtime(lab, 50 * US + 0.4);
    expect(r.ended).toBe('duration');
    expect(lab.now).toBe(50 * US);
  });

  it('ends when aborted or when `until` says so', async () => {
    const lab = new Lab({ seed: 1 });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 50);
    const r = await runRealtime(lab, Infinity, { signal: stop.signal });
    expect(r.ended).toBe('signal');
    expect(r.simNs).toBeGreaterThan(0);
    const u = await runRealtime(lab, Infinity, { until: () => lab.now >= 30 * MS + r.simNs });
    expect(u.ended).toBe('until');
  });

  it('delivers what arrived when the lab reaches the time it arrived, and unbinds at the end', async () => {
    const lab = new Lab({ seed: 1 });
    const delivered: number[] = [];
    const stamps: number[] = [];
    let clock: { stamp(): number; wake(): void } | null = null;
    const input: RealtimeInput = {
      bind: (c) => (clock = c),
      deliver: (ns) => {
        while (stamps.length > 0 && stamps[0] <= ns) {
          stamps.shift();
          delivered.push(lab.now);
        }
      },
    };
    setTimeout(() => {
      stamps.push(clock!.stamp());
      clock!.wake();
    }, 40);
    await runRealtime(lab, 100 * MS, { inputs: [input] });
    expect(delivered).toHaveLength(1);
    // Within a couple of milliseconds of 40 ms after the start, however the timers fell.
    expect(delivered[0]).toBeGreaterThanOrEqual(39 * MS);
    expect(delivered[0]).toBeLessThan(100 * MS);
    expect(clock).toBeNull();
  });
});
