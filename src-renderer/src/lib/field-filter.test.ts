import { describe, expect, it } from 'vitest';
import { combineFilter, fieldFilter } from './field-filter';

describe('a filter from a detail-tree field', () => {
  it('names the value as Wireshark would', () => {
    expect(fieldFilter({ name: 'ip.dst', value: '239.1.1.24' })).toBe('ip.dst == 239.1.1.24');
    expect(fieldFilter({ name: 'udp.dstport', value: '5000' })).toBe('udp.dstport == 5000');
    expect(fieldFilter({ name: 'eth.dst', value: '01:00:5e:01:01:18' })).toBe(
      'eth.dst == 01:00:5e:01:01:18',
    );
    expect(fieldFilter({ name: 'ip.flags', value: '0x2' })).toBe('ip.flags == 0x2');
    expect(fieldFilter({ name: 'udp', value: '' })).toBe('udp');
    expect(fieldFilter({ name: 'fate', value: 'group not "joined"' })).toBe(
      'fate == "group not \\"joined\\""',
    );
    expect(fieldFilter({ name: '', value: 'x' })).toBeNull();
  });

  it('joins it to the filter in force', () => {
    expect(combineFilter('', 'udp', '&&')).toBe('udp');
    expect(combineFilter('arp || igmp', 'udp', '||')).toBe('(arp || igmp) || udp');
  });
});
