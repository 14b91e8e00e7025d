import { describe, expect, it } from 'vitest';
import { faultSpan, filterHint } from './filter-hint';

const bare = (w: string) => ({
  message: `'${w}' is a value, not a test: compare a field with it`,
  position: 0,
});

describe('filter hints', () => {
  it('says what Wireshark would accept instead', () => {
    expect(filterHint('dropped', bare('dropped'))).toMatch(/fate == "dropped"/);
    expect(filterHint('tcp', bare('tcp'))).toMatch(/dissects no "tcp"/);
    expect(filterHint('5000', bare('5000'))).toMatch(/udp.port == 5000/);
    expect(
      filterHint('ip.addr = 10.0.0.1', { message: "unexpected character '='", position: 8 }),
    ).toMatch(/ip.addr == 10.0.0.1/);
    expect(
      filterHint('udp &&', { message: "expected a field or a test after '&&'", position: 6 }),
    ).toBe('');
  });
});

describe('faultSpan', () => {
  it('cuts the filter at the fault the compiler named, whatever its length', () => {
    expect(faultSpan('ip.dst = 239.1.1.1', 7, 1)).toEqual({
      before: 'ip.dst ',
      at: '=',
      after: ' 239.1.1.1',
    });
    expect(faultSpan('ip.addr == 10.0.0.1', 0, 7)).toEqual({
      before: '',
      at: 'ip.addr',
      after: ' == 10.0.0.1',
    });
    // Something missing at the end: a space is marked there.
    expect(faultSpan('udp &&', 6, 0)).toEqual({ before: 'udp &&', at: ' ', after: '' });
    expect(faultSpan('udp &&', 99, 3)).toEqual({ before: 'udp &&', at: ' ', after: '' });
    expect(faultSpan('udp', null, 0)).toBeNull();
  });
});
