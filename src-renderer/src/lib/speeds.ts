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

/**
 * The speed the engine actually achieves, from the simulated clock as it is pushed: simulated
 * seconds per wall second over the last `windowMs` of wall time. A run that cannot keep up
 * (a flood under load) is slower than the speed chosen; the toolbar says so.
 */
export class SpeedMeter {
  private samples: { simNs: number; wallMs: number }[] = [];

  constructor(private readonly windowMs = 2000) {}

  /** Forgets the samples: the run paused, its speed changed, or a new lab started. */
  reset(): void {
    this.samples = [];
  }

  sample(simNs: number, wallMs: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && (simNs < last.simNs || wallMs < last.wallMs)) this.samples = [];
    this.samples.push({ simNs, wallMs });
    while (this.samples.length > 2 && wallMs - this.samples[1].wallMs >= this.windowMs)
      this.samples.shift();
  }

  /** Simulated seconds per wall second, or null until half a window of samples is in. */
  get speed(): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || last.wallMs - first.wallMs < this.windowMs / 2) return null;
    return (last.simNs - first.simNs) / 1e6 / (last.wallMs - first.wallMs);
  }
}

/**
 * What the toolbar shows beside the speed chosen: the speed achieved, when it is clearly below
 * (under 90 % of) the chosen one; '' otherwise. `max` has no speed to fall short of.
 */
export function shortfall(chosen: Speed, achieved: number | null): string {
  if (chosen === 'max' || achieved === null || achieved >= chosen * 0.9) return '';
  const digits = achieved >= 0.1 ? 2 : achieved >= 0.01 ? 3 : 4;
  return `${Number(achieved.toFixed(digits))}×`;
}
