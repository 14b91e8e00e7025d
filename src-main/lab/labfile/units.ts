/**
 * Quantities with units, as lab files write them: durations (`500ns`, `2us`,
 * `1.5ms`, `2s`), packet and bit rates (`10000pps`, `64kbps`, `100Mbps`,
 * `1Gbps`). Prefixes are SI (k = 1000). A unit is always required: a bare
 * `500` could be ns or s, so it is refused with a message that says so.
 *
 * Parsing is exact where the text is: `1.1ms` is 1,100,000 ns, not
 * 1100000.0000000002, because the decimal is scaled as text before it is
 * converted. Formatting picks the largest unit that writes the value in a few
 * digits and parses back to the same number, so a saved file reads like a
 * hand-written one and loads to the same values.
 */

/** A parse result: the value, or what was expected and what was found. */
export type Parsed<T> = { value: T } | { error: string };

/** Packets per second, or bits per second (the generator's `rate`). */
export type Rate = { pps: number } | { bitsPerSecond: number };

const DURATION_UNITS: Record<string, number> = { ns: 0, us: 3, µs: 3, μs: 3, ms: 6, s: 9 };
const PPS_UNITS: Record<string, number> = { pps: 0, kpps: 3, Mpps: 6 };
const BPS_UNITS: Record<string, number> = { bps: 0, kbps: 3, Kbps: 3, Mbps: 6, Gbps: 9 };

/** Writing order for formatting: largest first, ASCII spellings only. */
const DURATION_OUT: [string, number][] = [
  ['s', 9],
  ['ms', 6],
  ['us', 3],
  ['ns', 0],
];
const BPS_OUT: [string, number][] = [
  ['Gbps', 9],
  ['Mbps', 6],
  ['kbps', 3],
  ['bps', 0],
];
const PPS_OUT: [string, number][] = [
  ['Mpps', 6],
  ['pps', 0],
];

/** A decimal number (no sign), then optional blanks, then a unit. */
const QUANTITY = /^(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d{1,3}))?[ \t]*([A-Za-zµμ]+)$/;

export const DURATION_EXAMPLES = 'such as 500ns, 2us, 1ms or 2s';
export const RATE_EXAMPLES = 'such as 10000pps, 64kbps, 100Mbps or 1Gbps';
export const PPS_EXAMPLES = 'such as 1000pps';
export const BIT_RATE_EXAMPLES = 'such as 10Mbps, 100Mbps or 1Gbps';

/** How a value looks in a message: strings quoted, collections named. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(shown);
  }
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return String(value);
}

/** Splits `text` into a number (scaled by 10^`exponents[unit]`) and its unit. */
function quantity(
  text: string,
  units: Record<string, number>,
): { value: number; unit: string } | 'syntax' | 'unit' {
  const m = QUANTITY.exec(text.trim());
  if (!m) return 'syntax';
  const [, mantissa, exp, unit] = m;
  if (!Object.hasOwn(units, unit)) return 'unit';
  // Scale as text, so the conversion to binary rounds once: 1.1e6 is exact.
  const value = Number(`${mantissa}e${Number(exp ?? 0) + units[unit]}`);
  return Number.isFinite(value) ? { value, unit } : 'syntax';
}

function expected(what: string, input: unknown): string {
  const hint = typeof input === 'number' ? ' (a number needs a unit)' : '';
  return `expected ${what}, got ${describeValue(input)}${hint}`;
}

/** `2us` → 2000 (ns). */
export function parseDuration(input: unknown): Parsed<number> {
  const what = `a duration ${DURATION_EXAMPLES}`;
  if (typeof input !== 'string') return { error: expected(what, input) };
  const q = quantity(input, DURATION_UNITS);
  if (typeof q === 'string') return { error: expected(what, input) };
  if (q.value > Number.MAX_SAFE_INTEGER)
    return { error: `expected ${what}, got ${describeValue(input)} (too long)` };
  return { value: q.value };
}

/** `100Mbps` → 100e6 (bit/s). */
export function parseBitRate(input: unknown): Parsed<number> {
  const what = `a bit rate ${BIT_RATE_EXAMPLES}`;
  if (typeof input !== 'string') return { error: expected(what, input) };
  const q = quantity(input, BPS_UNITS);
  if (q === 'unit' && quantity(input, PPS_UNITS) !== 'unit')
    return { error: `expected ${what}, got ${describeValue(input)} (a packet rate)` };
  if (typeof q === 'string' || !(q.value > 0)) return { error: expected(what, input) };
  return { value: q.value };
}

/** `1000pps` → 1000 (packets per second). */
export function parsePacketRate(input: unknown): Parsed<number> {
  const what = `a packet rate ${PPS_EXAMPLES}`;
  if (typeof input !== 'string') return { error: expected(what, input) };
  const q = quantity(input, PPS_UNITS);
  if (q === 'unit' && quantity(input, BPS_UNITS) !== 'unit')
    return { error: `expected ${what}, got ${describeValue(input)} (a bit rate)` };
  if (typeof q === 'string' || !(q.value > 0)) return { error: expected(what, input) };
  return { value: q.value };
}

/** `10000pps` → { pps: 10000 }; `64kbps` → { bitsPerSecond: 64000 }. */
export function parseRate(input: unknown): Parsed<Rate> {
  const what = `a rate ${RATE_EXAMPLES}`;
  if (typeof input !== 'string') return { error: expected(what, input) };
  const pps = quantity(input, PPS_UNITS);
  if (typeof pps !== 'string') {
    return pps.value > 0 ? { value: { pps: pps.value } } : { error: expected(what, input) };
  }
  const bps = quantity(input, BPS_UNITS);
  if (typeof bps !== 'string' && bps.value > 0) return { value: { bitsPerSecond: bps.value } };
  return { error: expected(what, input) };
}

/**
 * Writes `value` in the largest of `units` that shows it in at most three
 * decimals and parses back to exactly `value`; the smallest unit otherwise.
 */
function formatQuantity(value: number, out: [string, number][]): string {
  const table = Object.fromEntries(out);
  for (const [unit, exp] of out) {
    const scaled = value / 10 ** exp;
    if (scaled < 1 && value !== 0 && exp > 0) continue;
    const text = String(scaled);
    if (!/^\d+(\.\d{1,3})?$/.test(text)) continue;
    const back = quantity(`${text}${unit}`, table);
    if (typeof back !== 'string' && back.value === value) return `${text}${unit}`;
  }
  const [unit] = out[out.length - 1];
  return `${String(value)}${unit}`;
}

/** 2000 → `2us`, 1.5e6 → `1.5ms`, 0 → `0s`. */
export function formatDuration(ns: number): string {
  return formatQuantity(ns, DURATION_OUT);
}

/** 100e6 → `100Mbps`. */
export function formatBitRate(bitsPerSecond: number): string {
  return formatQuantity(bitsPerSecond, BPS_OUT);
}

/** 10000 → `10000pps`; packet rates stay in pps up to a million for readability. */
export function formatPacketRate(pps: number): string {
  return formatQuantity(pps, PPS_OUT);
}

export function formatRate(rate: Rate): string {
  return 'pps' in rate ? formatPacketRate(rate.pps) : formatBitRate(rate.bitsPerSecond);
}

const SIZE_UNITS: Record<string, number> = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
};
const SIZE_OUT: [string, number][] = [
  ['GiB', 2 ** 30],
  ['MiB', 2 ** 20],
  ['KiB', 2 ** 10],
  ['B', 1],
];
export const SIZE_EXAMPLES = 'such as 64MiB, 512MB or 1GiB';

/** `64MiB` → 67108864 (bytes); a whole number of bytes, or an error. */
export function parseSize(input: unknown): Parsed<number> {
  const what = `a size ${SIZE_EXAMPLES}`;
  if (typeof input !== 'string') return { error: expected(what, input) };
  const m = /^(\d+(?:\.\d+)?)[ \t]*([A-Za-z]+)$/.exec(input.trim());
  if (!m || !Object.hasOwn(SIZE_UNITS, m[2])) return { error: expected(what, input) };
  const value = Math.round(Number(m[1]) * SIZE_UNITS[m[2]]);
  if (!Number.isSafeInteger(value)) return { error: expected(what, input) };
  return { value };
}

/** 67108864 → `64MiB`; the largest binary unit that writes it whole. */
export function formatSize(bytes: number): string {
  for (const [unit, scale] of SIZE_OUT)
    if (bytes >= scale && bytes % scale === 0) return `${bytes / scale}${unit}`;
  return `${bytes}B`;
}
