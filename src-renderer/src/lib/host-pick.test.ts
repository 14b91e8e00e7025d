import { describe, expect, it } from 'vitest';
import { filterHosts, hostForQuery } from './host-pick';

const hosts = ['br0', 'br1', 'h1', 'h10', 'h11', 'h2', 'r1'];

describe('filterHosts', () => {
  it('lists every host for a blank query', () => {
    expect(filterHosts(hosts, '  ')).toEqual(hosts);
  });
  it('keeps the hosts whose name holds the query, ignoring case', () => {
    expect(filterHosts(hosts, 'BR')).toEqual(['br0', 'br1']);
    expect(filterHosts(hosts, 'h1')).toEqual(['h1', 'h10', 'h11']);
  });
  it('keeps the chosen host listed', () => {
    expect(filterHosts(hosts, 'br', 'h2')).toEqual(['br0', 'br1', 'h2']);
  });
});

describe('hostForQuery', () => {
  it('opens the exact name even when others hold it', () => {
    expect(hostForQuery(hosts, 'h1')).toBe('h1');
  });
  it('opens the only match', () => {
    expect(hostForQuery(hosts, 'r0')).toBe('br0');
    expect(hostForQuery(hosts, '0')).toBe(null); // br0 and h10
  });
  it('opens nothing for a blank or unmatched query', () => {
    expect(hostForQuery(hosts, '')).toBe(null);
    expect(hostForQuery(hosts, 'zz')).toBe(null);
  });
});
