import { describe, expect, it } from 'vitest';
import { emptyForm, entryOf, formOf } from './generator-form';

describe('generator form', () => {
  it('sends only what was given, numbers as numbers', () => {
    const f = { ...emptyForm('h0'), name: ' probe ', count: '5', size: '' };
    expect(entryOf(f)).toEqual({
      ok: true,
      entry: { name: 'probe', from: 'h0', to: '239.1.1.1:5000', rate: '1000pps', count: 5 },
    });
    expect(entryOf({ ...f, pattern: 'onoff' })).toMatchObject({
      entry: { pattern: 'onoff', on: '10ms', off: '10ms' },
    });
    expect(entryOf({ ...f, count: '2.5' })).toEqual({
      ok: false,
      field: 'count',
      message: 'count: a whole number',
    });
  });

  it('edits an existing generator', () => {
    const f = formOf({
      index: 0,
      name: 'flood',
      host: 'h0',
      dev: 'eth0',
      to: '239.1.1.24',
      port: 5000,
      pattern: 'cbr',
      rate: '10000pps',
      count: 500,
      sizes: [18, 64],
      start: null,
      stop: '1s',
      on: null,
      off: null,
      active: true,
      sent: 0,
      attempts: 0,
      sendErrors: {},
    });
    expect(f).toMatchObject({
      name: 'flood',
      from: 'h0:eth0',
      to: '239.1.1.24:5000',
      rate: '10000pps',
      count: '500',
      size: '18, 64',
      start: '',
      stop: '1s',
    });
    // Sent back unchanged, the entry is what the lab file holds.
    expect(entryOf(f)).toEqual({
      ok: true,
      entry: {
        name: 'flood',
        from: 'h0:eth0',
        to: '239.1.1.24:5000',
        rate: '10000pps',
        count: 500,
        size: [18, 64],
        stop: '1s',
      },
    });
  });

  it('names a size list with a bad entry', () => {
    expect(entryOf({ ...emptyForm('h0'), name: 'g', size: '18, x' })).toMatchObject({
      ok: false,
      field: 'size',
    });
    expect(entryOf({ ...emptyForm('h0'), name: 'g', size: '1472' })).toMatchObject({
      entry: { size: 1472 },
    });
  });
});
