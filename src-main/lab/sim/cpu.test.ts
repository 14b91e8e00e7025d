import { describe, expect, it } from 'vitest';
import { Cpu } from './cpu';

describe('Cpu', () => {
  it('counts as spent by now only the work done by now, not the work queued ahead', () => {
    const cpu = new Cpu(1000);
    // 10 frames arrive at 0: the CPU is busy until 10 µs.
    expect(cpu.charge(0, 10)).toBe(10_000);
    expect(cpu.busyNs).toBe(10_000);
    expect(cpu.busyBy(4_000)).toBe(4_000);
    // 10 more at 5 µs wait behind them: busy until 20 µs, of which 5 µs is done.
    expect(cpu.charge(5_000, 10)).toBe(20_000);
    expect(cpu.busyBy(5_000)).toBe(5_000);
    expect(cpu.busyBy(20_000)).toBe(20_000);
    expect(cpu.busyBy(30_000)).toBe(20_000);
  });

  it('never makes a busy share over an interval pass 100 %, however far ahead work is queued', () => {
    const cpu = new Cpu(700);
    let before = 0;
    for (let t = 1_000; t <= 100_000; t += 1_000) {
      cpu.charge(t, 3); // 2.1 µs of work per µs: the queue grows without end
      const now = cpu.busyBy(t);
      expect(now - before).toBeLessThanOrEqual(1_000);
      before = now;
    }
    expect(cpu.busyNs - cpu.busyBy(100_000)).toBeGreaterThan(100_000);
  });
});
