// The header click's sort cycle and the session's column widths.
import { describe, expect, it } from 'vitest';
import { COLUMNS, fitColumn, loadWidths, nextSort, saveWidths } from './columns';

describe('nextSort', () => {
  it('goes ascending, descending, then back to frame order, as Wireshark does', () => {
    const asc = nextSort({ column: 'no', descending: false }, 'length');
    expect(asc).toEqual({ column: 'length', descending: false });
    const desc = nextSort(asc, 'length');
    expect(desc).toEqual({ column: 'length', descending: true });
    expect(nextSort(desc, 'length')).toEqual({ column: 'no', descending: false });
    expect(nextSort(desc, 'source')).toEqual({ column: 'source', descending: false });
    expect(nextSort(undefined, 'no')).toEqual({ column: 'no', descending: false });
    expect(nextSort({ column: 'no', descending: false }, 'no')).toEqual({
      column: 'no',
      descending: true,
    });
  });
});

describe('column widths', () => {
  it('keeps what was saved, and drops what is not a width a column can have', () => {
    const items = new Map<string, string>();
    const store = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
    } as Storage;
    saveWidths(store, { src: 220, info: 400 });
    expect(loadWidths(store)).toEqual({ src: 220, info: 400 });
    items.set('netlab.columnWidths', '{"src": 3, "dst": "wide", "info": 300, "bogus": 50}');
    expect(loadWidths(store)).toEqual({ info: 300 });
    items.set('netlab.columnWidths', '{not json');
    expect(loadWidths(store)).toEqual({});
    expect(loadWidths(null)).toEqual({});
  });
});

describe('fitColumn', () => {
  it('widens a column to its text and padding, never below its defaults', () => {
    const point = COLUMNS.find((c) => c.id === 'point')!;
    expect(fitColumn(point, 20)).toEqual(point);
    // `lan2/h2:eth0` in 12 px monospace: 86.4 px of text, 6 px padding each side.
    expect(fitColumn(point, 86.4)).toMatchObject({ width: 100, min: 100 });
  });
});
