// The generator form's fields as text, to and from the API's generators.set entry.
import type { GeneratorView, OpArgs } from '../../../src-main/ipc/api';

export interface GeneratorForm {
  name: string;
  from: string;
  to: string;
  rate: string;
  count: string;
  /** One size or a list used in turn: `18` or `18, 64, 1472`. */
  size: string;
  /** Simulated times as a lab file writes them (`500ms`); empty: from now, until stopped. */
  start: string;
  stop: string;
  pattern: 'cbr' | 'poisson' | 'onoff';
  on: string;
  off: string;
}

export function emptyForm(from: string): GeneratorForm {
  return {
    name: '',
    from,
    to: '239.1.1.1:5000',
    rate: '1000pps',
    count: '',
    size: '18',
    start: '',
    stop: '',
    pattern: 'cbr',
    on: '10ms',
    off: '10ms',
  };
}

/** A generator as the form edits it: everything its lab file entry holds. */
export function formOf(g: GeneratorView): GeneratorForm {
  const empty = emptyForm(`${g.host}:${g.dev}`);
  return {
    ...empty,
    name: g.name,
    to: `${g.to}:${g.port}`,
    rate: g.rate.startsWith('line rate') ? '' : g.rate,
    count: g.count === null ? '' : String(g.count),
    size: g.sizes.join(', '),
    start: g.start ?? '',
    stop: g.stop ?? '',
    pattern: (['cbr', 'poisson', 'onoff'] as const).find((p) => p === g.pattern) ?? 'cbr',
    on: g.on ?? empty.on,
    off: g.off ?? empty.off,
  };
}

type Refusal = { ok: false; field: string; message: string };

/** The entry to send; a number field that is not a whole number is an error naming it. */
export function entryOf(f: GeneratorForm): { ok: true; entry: OpArgs<'generators.set'> } | Refusal {
  const entry: OpArgs<'generators.set'> = {
    name: f.name.trim(),
    from: f.from.trim(),
    to: f.to.trim(),
  };
  if (f.rate.trim() !== '') entry.rate = f.rate.trim();
  if (f.count.trim() !== '') {
    const n = wholeNumber(f.count);
    if (n === null) return { ok: false, field: 'count', message: 'count: a whole number' };
    entry.count = n;
  }
  if (f.size.trim() !== '') {
    const sizes = f.size
      .split(/[\s,]+/)
      .filter((t) => t !== '')
      .map(wholeNumber);
    if (sizes.some((n) => n === null))
      return {
        ok: false,
        field: 'size',
        message: 'size: a whole number of bytes, or a list of them (18, 64, 1472)',
      };
    entry.size = sizes.length === 1 ? sizes[0]! : (sizes as number[]);
  }
  for (const key of ['start', 'stop'] as const) {
    const text = f[key].trim();
    if (text !== '') entry[key] = text;
  }
  if (f.pattern !== 'cbr') entry.pattern = f.pattern;
  if (f.pattern === 'onoff') {
    entry.on = f.on.trim();
    entry.off = f.off.trim();
  }
  return { ok: true, entry };
}

function wholeNumber(text: string): number | null {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) && n >= 0 ? n : null;
}
