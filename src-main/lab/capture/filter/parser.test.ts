import { describe, expect, it } from 'vitest';
import { compileFilter, formatFilterError } from './compile';
import {
  FilterSyntaxError,
  MAX_FILTER_NESTING,
  parseFilter,
  type Expr,
  type Operand,
} from './parser';

/** A parse as an s-expression, to check structure and precedence. */
function show(e: Expr | null): string {
  if (e === null) return '()';
  const op = (o: Operand): string => {
    if (o.k === 'field')
      return o.slice ? `${o.def.name}[${o.slice.start}:${o.slice.length}]` : o.def.name;
    if (o.k === 'value') return o.quoted ? JSON.stringify(o.text) : o.text;
    return `(& ${op(o.a)} ${op(o.b)})`;
  };
  switch (e.k) {
    case 'or':
    case 'and':
      return `(${e.k} ${show(e.a)} ${show(e.b)})`;
    case 'not':
      return `(not ${show(e.a)})`;
    case 'test':
      return op(e.v);
    case 'cmp':
      return `(${e.op} ${op(e.a)} ${op(e.b)})`;
    case 'in':
      return `(in ${op(e.a)} ${e.items.map((i) => (i.hi ? `${i.lo.text}..${i.hi.text}` : op(i.lo))).join(' ')})`;
  }
}

const p = (text: string) => show(parseFilter(text));

/** The error a filter gets, from parsing or from compiling. */
function error(text: string) {
  const r = compileFilter(text);
  if (r.ok) throw new Error(`'${text}' compiled`);
  return r.error;
}

describe('the filter parser', () => {
  it('reads every comparison, in symbols and in words', () => {
    const ops: [string, string][] = [
      ['==', 'eq'],
      ['eq', 'eq'],
      ['any_eq', 'eq'],
      ['!=', 'ne'],
      ['ne', 'ne'],
      ['all_ne', 'ne'],
      ['===', 'all_eq'],
      ['all_eq', 'all_eq'],
      ['~=', 'any_ne'],
      ['!==', 'any_ne'],
      ['any_ne', 'any_ne'],
      ['<', 'lt'],
      ['lt', 'lt'],
      ['<=', 'le'],
      ['le', 'le'],
      ['>', 'gt'],
      ['gt', 'gt'],
      ['>=', 'ge'],
      ['ge', 'ge'],
      ['GE', 'ge'],
    ];
    for (const [text, op] of ops) {
      expect(p(`ip.ttl ${text} 64`), text).toBe(`(${op} ip.ttl 64)`);
      // Symbols need no spaces around them.
      if (!/^[a-z]/i.test(text)) expect(p(`ip.ttl${text}64`), text).toBe(`(${op} ip.ttl 64)`);
    }
    expect(p('udp contains "NLAB"')).toBe('(contains udp "NLAB")');
    expect(p('fate matches "full$"')).toBe('(matches fate "full$")');
    expect(p('fate ~ "full"')).toBe('(matches fate "full")');
    expect(p('udp.port in {5000, 5001 6000..6010}')).toBe('(in udp.port 5000 5001 6000..6010)');
  });

  it('reads presence tests, slices, bitwise and, and every kind of value', () => {
    expect(p('igmp')).toBe('igmp');
    expect(p('ip.opt.type')).toBe('ip.opt.type');
    expect(p('eth.dst[0]')).toBe('eth.dst[0:1]');
    expect(p('eth.dst[0:3] == 01:00:5e')).toBe('(eq eth.dst[0:3] 01:00:5e)');
    expect(p('eth.dst[1-2]')).toBe('eth.dst[1:2]');
    expect(p('eth.dst[-1]')).toBe('eth.dst[-1:1]');
    expect(p('eth.dst[:2]')).toBe('eth.dst[0:2]');
    expect(p('eth.dst[2:]')).toBe('eth.dst[2:-1]');
    expect(p('eth.dst[0] & 1')).toBe('(& eth.dst[0:1] 1)');
    expect(p('eth.dst[0]&1==1')).toBe('(eq (& eth.dst[0:1] 1) 1)');
    expect(p('ip.dst == 239.0.0.0/8')).toBe('(eq ip.dst 239.0.0.0/8)');
    expect(p('eth.dst == ff-ff-ff-ff-ff-ff')).toBe('(eq eth.dst ff-ff-ff-ff-ff-ff)');
    expect(p('eth.dst == ffff.ffff.ffff')).toBe('(eq eth.dst ffff.ffff.ffff)');
    expect(p('udp.port == 0x1388')).toBe('(eq udp.port 0x1388)');
    expect(p('fate == "a \\"quoted\\" \\x41"')).toBe('(eq fate "a \\"quoted\\" A")');
    expect(p('5000 == udp.port')).toBe('(eq 5000 udp.port)');
    expect(p('')).toBe('()');
    expect(p('   ')).toBe('()');
  });

  it('binds not tighter than and, and and tighter than or', () => {
    expect(p('arp or udp and igmp')).toBe('(or arp (and udp igmp))');
    expect(p('arp and udp or igmp')).toBe('(or (and arp udp) igmp)');
    expect(p('arp || udp && igmp')).toBe('(or arp (and udp igmp))');
    expect(p('(arp or udp) and igmp')).toBe('(and (or arp udp) igmp)');
    expect(p('not arp and udp')).toBe('(and (not arp) udp)');
    expect(p('!arp || !(udp && igmp)')).toBe('(or (not arp) (not (and udp igmp)))');
    expect(p('not not arp')).toBe('(not (not arp))');
    expect(p('a or b and c'.replace('a', 'arp').replace('b', 'udp').replace('c', 'igmp'))).toBe(
      '(or arp (and udp igmp))',
    );
    expect(p('arp and udp and igmp')).toBe('(and (and arp udp) igmp)');
    expect(p('ip.ttl > 1 AND ip.ttl <= 64 Or arp')).toBe(
      '(or (and (gt ip.ttl 1) (le ip.ttl 64)) arp)',
    );
  });

  it('points at what is wrong', () => {
    expect(error('ip.dsst == 1')).toEqual({
      message: "unknown field 'ip.dsst'",
      position: 0,
      length: 7,
    });
    expect(error('ip.dst == ')).toEqual({
      message: "expected a value after '=='",
      position: 10,
      length: 0,
    });
    expect(formatFilterError(error('ip.dst == '))).toBe("expected a value after '==' at 10");
    expect(error('ip.dst == and udp')).toEqual({
      message: "expected a value after '==', found 'and'",
      position: 10,
      length: 3,
    });
    expect(error('udp and')).toEqual({
      message: "expected a field or a test after 'and'",
      position: 7,
      length: 0,
    });
    expect(error('udp or or')).toMatchObject({
      message: "expected a field or a test after 'or', found 'or'",
      position: 7,
    });
    expect(error('(udp and arp')).toEqual({
      message: "expected ')' to close the '(' at 0",
      position: 12,
      length: 0,
    });
    expect(error('udp)')).toMatchObject({ position: 3, length: 1 });
    expect(error('udp)').message).toMatch(/without a matching '\('/);
    expect(error('udp arp')).toEqual({
      message: "expected 'and', 'or' or the end of the filter, found 'arp'",
      position: 4,
      length: 3,
    });
    expect(error('fate == "open')).toEqual({
      message: 'unterminated string',
      position: 8,
      length: 5,
    });
    expect(error('udp # x')).toEqual({
      message: "unexpected character '#'",
      position: 4,
      length: 1,
    });
    expect(error('eth.dst[x] == 1')).toMatchObject({ position: 7, length: 3 });
    expect(error('eth.dst[0:0]').message).toBe('a slice of length 0 is empty');
    expect(error('eth.dst[0')).toMatchObject({
      message: "expected ']' to close the slice of eth.dst",
      position: 9,
    });
    expect(error('frame.len in {}')).toMatchObject({ position: 14 });
    expect(error('frame.len in 60')).toMatchObject({
      message: "expected '{' after 'in', found '60'",
      position: 13,
    });
    expect(error('ip.ttl ! 1')).toMatchObject({ position: 7 });
    expect(error('foo.bar[0]')).toEqual({
      message: "unknown field 'foo.bar'",
      position: 0,
      length: 7,
    });
  });

  it('points at values that do not fit their field', () => {
    expect(error('ip.dst == 239.1')).toEqual({
      message: "'239.1' is not a valid IPv4 address or prefix for ip.dst (an IPv4 address)",
      position: 10,
      length: 5,
    });
    expect(error('eth.dst == 1.2.3.4')).toMatchObject({ position: 11, length: 7 });
    expect(error('ip.ttl == 1.5').message).toBe(
      "'1.5' is not a valid value for ip.ttl (an unsigned integer)",
    );
    expect(error('ip.ttl[0] == 1')).toEqual({
      message: 'ip.ttl (an unsigned integer) cannot be sliced into a sequence of bytes',
      position: 0,
      length: 9,
    });
    expect(error('ip.dst contains 01').message).toBe(
      "ip.dst (an IPv4 address) cannot be searched with 'contains'",
    );
    expect(error('eth.dst[0:2] == 0x0100')).toMatchObject({
      message: expect.stringContaining('eth.dst[0:2] (bytes)'),
      position: 16,
    });
    expect(error('ip.dst & 1').message).toBe("ip.dst (an IPv4 address) cannot be used with '&'");
    expect(error('ip.src == eth.src')).toMatchObject({
      message: "ip.src and eth.src are not of compatible types for '=='",
      position: 10,
      length: 7,
    });
    expect(error('ip.dst < 239.0.0.0/8').message).toMatch(/prefix/);
    expect(error('5000').message).toBe("'5000' is a value, not a test: compare a field with it");
    expect(error('1 == 1').message).toBe('a comparison needs a field on at least one side');
    expect(error('igmp.record == 1').message).toBe(
      'igmp.record has no value to compare: test it alone',
    );
    expect(error('fate matches "("').message).toMatch(/^invalid regular expression/);
    expect(error('ip.ttl matches "x"').message).toMatch(/not text/);
  });

  it('refuses parentheses and nots nested past MAX_FILTER_NESTING, pointing at the one too many', () => {
    const deep = (n: number) => `${'('.repeat(n)}udp${')'.repeat(n)}`;
    expect(p(deep(MAX_FILTER_NESTING))).toBe('udp');
    expect(error(deep(MAX_FILTER_NESTING + 1))).toEqual({
      message: `nested more than ${MAX_FILTER_NESTING} levels deep`,
      position: MAX_FILTER_NESTING,
      length: 1,
    });
    expect(error(`${'!'.repeat(MAX_FILTER_NESTING)}(udp)`).position).toBe(MAX_FILTER_NESTING);
    // Without the limit, 4096 brackets (the API's longest filter) ran a parse on Node's main
    // thread out of stack.
    expect(error('('.repeat(4096)).message).toMatch(/^nested more than/);
  });

  it('refuses names Wireshark users type that the lab lacks, naming what to use', () => {
    expect(error('tcp.sport == 80')).toMatchObject({
      message: 'not a Wireshark field: use tcp.srcport',
      position: 0,
      length: 9,
    });
    expect(error('ipv4.src == 10.0.0.1').message).toBe('not a Wireshark field: use ip.src');
    expect(error('udp and IPV4.TTL > 1').message).toBe('not a Wireshark field: use ip.ttl');
    expect(error('ipv6.nh == 58').message).toMatch(/use ipv6.nxt$/);
    expect(error('icmp6').message).toMatch(/use icmpv6$/);
    expect(error('tcp.seq == 0').message).toMatch(/relative to the stream .*use tcp.seq_raw$/);
    expect(error('tcp.window_size > 0').message).toMatch(/use tcp.window_size_value$/);
    expect(error('dns').message).toMatch(/use udp.port == 53/);
    // Wireshark's names work: protocols and fields of TCP, IPv6 and ICMPv6.
    for (const ok of [
      'tcp',
      'ipv6',
      'icmpv6',
      'tcp.port == 80',
      'ipv6.dst == ff02::1',
      'icmpv6.type == 135',
      'ip.ttl',
      'ipv6.addr == fe80::/10',
    ])
      expect(compileFilter(ok).ok, ok).toBe(true);
    expect(error('ip.opt').message).toMatch(/use ip.opt.type or ip.opt.len/);
    expect(error('frame.time == 5')).toMatchObject({
      message: expect.stringMatching(/compare seconds with frame.time_epoch .*frame.time_relative/),
      position: 0,
      length: 10,
    });
    // frame.time alone is there, as in Wireshark; only comparing it is refused.
    expect(compileFilter('frame.time').ok).toBe(true);
    expect(error('frame.time_epoch == 1700000000.0000000001').message).toMatch(
      /not a valid time for frame.time_epoch/,
    );
    expect(error('frame.time_epoch contains 1').message).toMatch(/cannot be searched/);
    expect(error('ip.ttl matches "x"').message).toMatch(/not text, bytes or a protocol/);
    expect(compileFilter('udp matches "NLAB"').ok).toBe(true);
    expect(compileFilter('frame matches "(?i)nlab"').ok).toBe(true);
  });

  it('throws FilterSyntaxError from parseFilter', () => {
    expect(() => parseFilter('ip.dst ==')).toThrow(FilterSyntaxError);
  });

  it('has a collector for every registered field', async () => {
    const { FIELDS } = await import('../dissect/fields');
    const { COLLECTED_FIELDS } = await import('./access');
    expect([...FIELDS.keys()].sort()).toEqual([...COLLECTED_FIELDS].sort());
  });
});
