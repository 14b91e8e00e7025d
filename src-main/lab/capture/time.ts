/**
 * Capture times, exactly. A real capture's times are epoch nanoseconds (1.7e18 in 2023), past
 * the 2^53 a double holds exactly, so no time is ever one number of ns since 1970. A capture has
 * an origin, an exact instant as whole seconds and nanoseconds (the lab's start: 0; an imported
 * file's first frame), and its frame store holds each frame's time as ns since that origin: a
 * double, exact for 104 days either side of it. Files, the detail tree, the API and the filters
 * turn origin + offset back into exact seconds and nanoseconds with the functions here.
 */

/** An instant as whole seconds since 1970 and nanoseconds 0..999 999 999. */
export interface ExactTime {
  readonly sec: number;
  readonly nsec: number;
}

export const NS_PER_SEC = 1e9;

/** The farthest a frame's time may lie from its capture's origin: 2^53 ns, about 104 days. */
export const MAX_OFFSET_NS = Number.MAX_SAFE_INTEGER;

export const EPOCH: ExactTime = { sec: 0, nsec: 0 };

/**
 * `origin + offsetNs` (ns, rounded to a whole ns: a generator's rate can put the simulated clock
 * between two), written into `out`. Exact for any offset up to MAX_OFFSET_NS either way.
 */
export function addNs(
  origin: ExactTime,
  offsetNs: number,
  out: { sec: number; nsec: number },
): void {
  const t = Math.round(offsetNs);
  // Whole seconds first: t - s * 1e9 is exact because both are integers below 2^53.
  let s = Math.trunc(t / NS_PER_SEC);
  let n = t - s * NS_PER_SEC + origin.nsec;
  // The quotient may round to the next second near 2^53; the remainder puts it right.
  while (n < 0) {
    s--;
    n += NS_PER_SEC;
  }
  while (n >= NS_PER_SEC) {
    s++;
    n -= NS_PER_SEC;
  }
  out.sec = origin.sec + s;
  out.nsec = n;
}

/**
 * `t - origin` in ns: exact while within MAX_OFFSET_NS, else a double computed one way for every
 * pair (whole seconds and a nanosecond part 0..999 999 999), so equal spans give equal doubles.
 */
export function diffNs(t: ExactTime, origin: ExactTime): number {
  let s = t.sec - origin.sec;
  let n = t.nsec - origin.nsec;
  if (n < 0) {
    s--;
    n += NS_PER_SEC;
  }
  return s * NS_PER_SEC + n;
}

/** `1700000000.010000000`: exact seconds with nine decimals, as tshark prints frame.time_epoch. */
export function formatExact(t: ExactTime): string {
  if (t.sec < 0 && t.nsec > 0) {
    // -0.5 s is { sec: -1, nsec: 500000000 }.
    const s = -(t.sec + 1);
    return `-${s}.${String(NS_PER_SEC - t.nsec).padStart(9, '0')}`;
  }
  return `${t.sec}.${String(t.nsec).padStart(9, '0')}`;
}

/** A span of `ns` (rounded to a whole ns) as seconds with nine decimals: `0.490000010`. */
export function formatSpanNs(ns: number): string {
  const t = Math.round(ns);
  const a = Math.abs(t);
  const s = Math.floor(a / NS_PER_SEC);
  return `${t < 0 ? '-' : ''}${s}.${String(a - s * NS_PER_SEC).padStart(9, '0')}`;
}

/**
 * `Nov 14, 2023 22:13:20.009999990 UTC`: frame.time as tshark prints it in UTC. Exact: only the
 * whole seconds go through Date.
 */
export function formatDate(t: ExactTime): string {
  const d = new Date(t.sec * 1000);
  if (Number.isNaN(d.getTime())) return `${formatExact(t)} s`;
  const month = MONTHS[d.getUTCMonth()];
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  const ns = String(t.nsec).padStart(9, '0');
  return `${month} ${day}, ${d.getUTCFullYear()} ${hh}:${mm}:${ss}.${ns} UTC`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const SECONDS = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/;

/**
 * Decimal seconds (`1700000000.01`, `-0.5`, `.25`), as Wireshark takes a time in a filter, read
 * exactly: null when it is not such a number or has more than nine decimals (finer than a ns).
 */
export function parseSeconds(text: string): ExactTime | null {
  const m = SECONDS.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const frac = m[3] ?? '';
  if (frac.length > 9) return null;
  const whole = m[2] === '' ? 0 : Number(m[2]);
  if (!Number.isSafeInteger(whole)) return null;
  const nsec = frac === '' ? 0 : Number(frac.padEnd(9, '0'));
  if (m[1] !== '-' || (whole === 0 && nsec === 0)) return { sec: whole, nsec };
  return nsec === 0 ? { sec: -whole, nsec: 0 } : { sec: -whole - 1, nsec: NS_PER_SEC - nsec };
}

/**
 * `parseSeconds` as ns: exact up to MAX_OFFSET_NS (a span of 104 days), past it the nearest
 * double, rounded as a frame's span is (diffNs), so that equal spans still compare equal.
 */
export function parseSecondsNs(text: string): number | null {
  const t = parseSeconds(text);
  return t === null ? null : diffNs(t, EPOCH);
}
