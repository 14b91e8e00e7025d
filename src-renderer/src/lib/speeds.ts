// The speeds the toolbar offers: simulated seconds per wall second, slowest first, then 'max'.
import type { Speed } from '../../../src-main/ipc/api';

export const SPEEDS: readonly Speed[] = [0.001, 0.01, 0.1, 0.25, 0.5, 1, 'max'];

/** The offered speed nearest to `speed` (for an engine that reports one we do not list). */
export function nearestSpeed(speed: Speed): Speed {
  if (speed === 'max') return 'max';
  let best: Speed = 1;
  let bestGap = Infinity;
  for (const s of SPEEDS) {
    if (s === 'max') continue;
    const gap = Math.abs(Math.log(s) - Math.log(speed));
    if (gap < bestGap) {
      best = s;
      bestGap = gap;
    }
  }
  return best;
}

/** Parses the value of the speed `<select>`. */
export function parseSpeed(value: string): Speed {
  if (value === 'max') return 'max';
  const n = Number(value);
  return Number.isFinite(n) ? Math.min(1, Math.max(0.001, n)) : 1;
}
