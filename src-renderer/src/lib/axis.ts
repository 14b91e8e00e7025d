// Chart axis labels that read: time ticks with as many decimals as their spacing needs (never a
// row of "0.00 s", never "20000.00" run into its neighbour), and room for the longest rate.
import { formatRate } from './format';

/** Labels for time ticks in seconds: the step decides the decimals; long runs in ks. */
export function timeTickLabels(ticks: readonly number[]): string[] {
  if (ticks.length === 0) return [];
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.abs(ticks[0]) || 1;
  const max = Math.max(...ticks.map(Math.abs));
  if (max >= 1000 && step >= 100) {
    const d = Math.max(0, Math.min(3, -Math.floor(Math.log10(step / 1000) + 1e-9)));
    return ticks.map((t) => `${(t / 1000).toFixed(d)} ks`);
  }
  const decimals = step > 0 ? Math.max(0, Math.min(9, -Math.floor(Math.log10(step) + 1e-9))) : 0;
  return ticks.map((t) => `${t.toFixed(decimals)} s`);
}

/** Labels for rate ticks (frames per second). */
export function rateTickLabels(ticks: readonly number[]): string[] {
  return ticks.map((t) => formatRate(t));
}

/** The width, in px, an axis needs for its longest label at `charPx` per character. */
export function axisWidth(labels: readonly (string | null)[], charPx = 6.6): number {
  const longest = labels.reduce((n, l) => Math.max(n, (l ?? '').length), 0);
  return Math.ceil(longest * charPx) + 18;
}
