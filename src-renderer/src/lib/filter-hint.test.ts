import { describe, expect, it } from 'vitest';
import { filterHint } from './filter-hint';

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
