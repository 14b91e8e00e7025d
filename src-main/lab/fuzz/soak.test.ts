import { describe, expect, it } from 'vitest';
import { captureRing } from '../capture/capture-limit';
import { runSoak } from './soak';

/** The short version of `npm run soak` (bench/soak.ts): a few simulated seconds. */
describe('soak, short', () => {
  it('16 hosts at line rate for 2 simulated seconds: buffers bounded while running, none left after teardown', () => {
    const r = runSoak({ seconds: 2, every: 0.25 });
    const [first, ...rest] = r.samples.slice(2); // from 0.5 s on: rings and queues are full by then
    for (const s of rest) expect(s.outstanding).toBeLessThanOrEqual(first.outstanding * 1.25 + 64);
    expect(r.samples[r.samples.length - 1].framesOnWire).toBeGreaterThan(30_000);
    // The ring capture holds what its limit allows and no more.
    const ring = captureRing(r.captureLimit);
    for (const s of r.samples) {
      expect(s.capturedBytes).toBeLessThanOrEqual(ring.maxBytes);
      expect(s.capturedHeld).toBeLessThanOrEqual(ring.maxFrames);
    }
    expect(r.audit.problems).toEqual([]);
    expect(r.outstandingAfterTeardown).toBe(0);
    expect(r.auditAfterTeardown.problems).toEqual([]);
  }, 120_000);
});
