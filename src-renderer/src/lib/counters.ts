// Counters between two samples: the change and the rate per simulated second.

export interface CounterRow {
  name: string;
  value: number;
  delta: number;
  /** Per simulated second; 0 when no simulated time passed. */
  rate: number;
}

export function counterRows(
  current: Record<string, number>,
  previous: Record<string, number> | null,
  dtNs: number,
): CounterRow[] {
  return Object.entries(current).map(([name, value]) => {
    const delta = previous && name in previous ? value - previous[name] : 0;
    return { name, value, delta, rate: dtNs > 0 ? (delta * 1e9) / dtNs : 0 };
  });
}

/** Per simulated second between two samples of one counter. */
export function ratePerSecond(now: number, before: number, dtNs: number): number {
  return dtNs > 0 ? ((now - before) * 1e9) / dtNs : 0;
}

/** The receive-side drops of a device's stats, as the charts' "drops" series counts them. */
export function dropCount(stats: Record<string, number> | null): number {
  if (!stats) return 0;
  return (
    (stats['rx_dropped'] ?? 0) + (stats['rx_missed_errors'] ?? 0) + (stats['rx_over_errors'] ?? 0)
  );
}
