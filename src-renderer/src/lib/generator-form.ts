// The generator form's fields as text, to and from the API's generators.set entry.
import type { GeneratorView, OpArgs } from '../../../src-main/ipc/api';

export interface GeneratorForm {
  name: string;
  from: string;
  to: string;
  rate: string;
  count: string;
  size: string;
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
    pattern: 'cbr',
    on: '10ms',
    off: '10ms',
  };
}

/** A generator as the form edits it (the view has no count or size: they start empty). */
export function formOf(g: GeneratorView): GeneratorForm {
  return {
    ...emptyForm(`${g.host}:${g.dev}`),
    name: g.name,
    to: `${g.to}:${g.port}`,
    rate: g.rate.startsWith('line rate') ? '' : g.rate,
    size: '',
    pattern: (['cbr', 'poisson', 'onoff'] as const).find((p) => p === g.pattern) ?? 'cbr',
  };
}

/** The entry to send; a number field that is not a whole number is an error naming it. */
export function entryOf(
  f: GeneratorForm,
): { ok: true; entry: OpArgs<'generators.set'> } | { ok: false; field: string; message: string } {
  const entry: OpArgs<'generators.set'> = {
    name: f.name.trim(),
    from: f.from.trim(),
    to: f.to.trim(),
  };
  if (f.rate.trim() !== '') entry.rate = f.rate.trim();
  for (const key of ['count', 'size'] as const) {
    const text = f[key].trim();
    if (text === '') continue;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0)
      return { ok: false, field: key, message: `${key}: a whole number` };
    entry[key] = n;
  }
  if (f.pattern !== 'cbr') entry.pattern = f.pattern;
  if (f.pattern === 'onoff') {
    entry.on = f.on.trim();
    entry.off = f.off.trim();
  }
  return { ok: true, entry };
}
