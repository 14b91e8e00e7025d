// Numbers as the window shows them: simulated times, byte counts, rates and speeds.
import type { Speed } from '../../../src-main/ipc/api';

/** Simulated nanoseconds as seconds to the nanosecond (steps move it by less than a µs): `1.234567890 s`. */
export function formatSimTime(ns: number): string {
  return `${(ns / 1e9).toFixed(9)} s`;
}

/**
 * The toolbar's clock, in a width that does not grow with the run: seconds to the nanosecond
 * under 1000 s (steps move it by less than a µs), then hours, minutes and seconds to the ms
 * (`2:46:40.000`): 100 000 s at nine decimals would push the toolbar onto a second row.
 */
export function formatClock(ns: number): string {
  if (ns < 1e12) return formatSimTime(ns);
  const ms = Math.floor(ns / 1e6);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${h}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/** A capture timestamp as Wireshark's Time column shows it: seconds, nine decimals. */
export function formatFrameTime(ns: number): string {
  return (ns / 1e9).toFixed(9);
}

/** `0.001×`, `0.5×`, `1×`, `max`. */
export function formatSpeed(speed: Speed): string {
  return speed === 'max' ? 'max' : `${speed}×`;
}

/** An integer with thin grouping: `1 234 567`. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US').replace(/,/g, '\u2009');
}

/** A rate per second with an SI prefix: `12.3 k/s`. */
export function formatRate(perSecond: number, unit = '/s'): string {
  const abs = Math.abs(perSecond);
  if (abs >= 1e9) return `${(perSecond / 1e9).toFixed(2)} G${unit}`;
  if (abs >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M${unit}`;
  if (abs >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k${unit}`;
  return `${perSecond.toFixed(abs < 10 && abs !== 0 ? 1 : 0)} ${unit}`;
}

/** Bytes in binary units: `1.5 KiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

/** A bit rate: `100 Mbit/s`. */
export function formatBitRate(bps: number): string {
  if (bps >= 1e9) return `${bps / 1e9} Gbit/s`;
  if (bps >= 1e6) return `${bps / 1e6} Mbit/s`;
  if (bps >= 1e3) return `${bps / 1e3} kbit/s`;
  return `${bps} bit/s`;
}

/** A fraction as a percentage: `5.8 %`. */
export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)} %`;
}

/** A duration in nanoseconds, in the unit that reads best: `850 ns`, `12.5 µs`, `3.2 ms`. */
export function formatDuration(ns: number | null): string {
  if (ns === null || !Number.isFinite(ns)) return '—';
  if (Math.abs(ns) < 1e3) return `${Math.round(ns)} ns`;
  if (Math.abs(ns) < 1e6) return `${(ns / 1e3).toFixed(1)} µs`;
  if (Math.abs(ns) < 1e9) return `${(ns / 1e6).toFixed(2)} ms`;
  return `${(ns / 1e9).toFixed(3)} s`;
}

/** A number as hex, `0x300`. */
export function hex(n: number, digits = 0): string {
  return `0x${n.toString(16).padStart(digits, '0')}`;
}
