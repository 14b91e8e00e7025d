import { parseIpv4Prefix, prefixToMask } from '../../wire/ipv4-addr';
import { ipv6InPrefix, parseIpv6Prefix } from '../../wire/ipv6-addr';
import type { FieldDef } from '../dissect/fields';
import type { FrameMeta } from '../dissect/meta';
import { FastFrame, fastCollector, LINK_FIELDS, META_FIELDS } from './access';
import { fateMatches } from './fate';
import { diffNs, parseSeconds, parseSecondsNs, type ExactTime } from '../time';
import {
  FilterSyntaxError,
  parseFilter,
  type CmpOp,
  type Expr,
  type FilterError,
  type Operand,
  type SetItem,
} from './parser';
import {
  compareBytes,
  containsBytes,
  parseBytesLiteral,
  parseIntegerLiteral,
  parseNumberLiteral,
  utf8,
  Values,
} from './values';

/**
 * Turns a parsed filter into a predicate, once. The same code serves the fast
 * path (fields read from the bytes by `access.ts`) and the reference path
 * (fields read from a dissection tree by `reference.ts`): only where the
 * occurrences of a field come from differs, so the two cannot disagree on
 * what an operator means.
 *
 * Semantics follow Wireshark 4: a field may occur several times and
 *   a == b, a < b, a contains b, a matches b, a in {…}: some occurrence satisfies it;
 *   a != b (all_ne): a occurs and no occurrence equals b;
 *   a === b (all_eq): a occurs and every occurrence equals b;
 *   a ~= b (any_ne): some occurrence differs from b;
 * a comparison with a field that is absent is false (so `ip.dst != 1.2.3.4`
 * does not match ARP), and a field alone tests that it is present.
 */

/** Where a compiled filter finds the occurrences of a field in the frame of `ctx`. */
export interface FieldSource<C> {
  collector(def: FieldDef): (ctx: C, V: Values) => void;
  /** The instant the frame's times count from: frame.time_epoch values are ns since it. */
  origin(ctx: C): ExactTime;
}

export type Pred<C> = (ctx: C) => boolean;

/** What an operand's values are compared as. */
type Class = 'number' | 'ipv4' | 'ether' | 'bytes' | 'string' | 'none';

const TYPE_WORDS: Record<string, string> = {
  protocol: 'a protocol',
  uint: 'an unsigned integer',
  bool: 'a flag',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  ether: 'a MAC address',
  bytes: 'a byte string',
  double: 'a number',
  abstime: 'a time in seconds since 1970',
  reltime: 'a time in seconds',
  string: 'a string',
  none: 'a label without a value',
};

function classOf(def: FieldDef): Class {
  switch (def.type) {
    case 'uint':
    case 'bool':
    case 'double':
    case 'abstime':
    case 'reltime':
      return 'number';
    case 'ipv4':
      return 'ipv4';
    case 'ether':
      return 'ether';
    case 'bytes':
    case 'protocol':
    case 'ipv6':
      // An IPv6 address compares as its 16 bytes (its literals and prefixes: `constant`).
      return 'bytes';
    case 'string':
      return 'string';
    default:
      return 'none';
  }
}

function fail(message: string, at: { pos: number; len: number }): never {
  throw new FilterSyntaxError(message, at.pos, at.len);
}

interface Plan<C> {
  cls: Class;
  /** The field behind the operand (for literal coercion and names), or null for a value. */
  def: FieldDef | null;
  /** A field with neither slice nor mask: a test of it is a presence test. */
  plain: boolean;
  /** `&` was applied: a test of it asks for a nonzero result. */
  masked: boolean;
  fill: (ctx: C) => Values;
  op: Operand;
}

class Compiler<C> {
  constructor(
    private readonly src: FieldSource<C>,
    private readonly text: string,
  ) {}

  /** How the operand is written in the filter, for messages. */
  private written(o: Operand): string {
    return this.text.slice(o.pos, o.pos + o.len);
  }

  expr(e: Expr): Pred<C> {
    switch (e.k) {
      case 'or': {
        const a = this.expr(e.a);
        const b = this.expr(e.b);
        return (c) => a(c) || b(c);
      }
      case 'and': {
        const a = this.expr(e.a);
        const b = this.expr(e.b);
        return (c) => a(c) && b(c);
      }
      case 'not': {
        const a = this.expr(e.a);
        return (c) => !a(c);
      }
      case 'test':
        return this.test(e.v);
      case 'cmp':
        return this.cmp(e.op, e.opText, e.a, e.b);
      case 'in':
        return this.member(e.a, e.items);
    }
  }

  private operand(o: Operand): Plan<C> {
    if (o.k === 'value') {
      // Values become constants where they are compared (`constant`); this plan is never filled.
      const none = new Values(1);
      return { cls: 'none', def: null, plain: false, masked: false, fill: () => none, op: o };
    }
    if (o.k === 'field') {
      const def = o.def;
      const collect = this.src.collector(def);
      const V = new Values();
      let cls = classOf(def);
      if (o.slice === null) {
        return {
          cls,
          def,
          plain: true,
          masked: false,
          fill: (c) => {
            V.n = 0;
            collect(c, V);
            return V;
          },
          op: o,
        };
      }
      if (cls !== 'bytes' && cls !== 'ether' && cls !== 'ipv4') {
        fail(`${def.name} (${TYPE_WORDS[def.type]}) cannot be sliced into a sequence of bytes`, o);
      }
      cls = 'bytes';
      const { start, length } = o.slice;
      return {
        cls,
        def,
        plain: false,
        masked: false,
        fill: (c) => {
          V.n = 0;
          collect(c, V);
          let k = 0;
          for (let i = 0; i < V.n; i++) {
            const size = V.size[i];
            const s = start < 0 ? size + start : start;
            const n = length < 0 ? size - s : length;
            if (s < 0 || n <= 0 || s + n > size) continue;
            V.num[k] = 0;
            V.start[k] = V.start[i] + s;
            V.size[k] = n;
            V.ext[k] = V.start[k] + n;
            k++;
          }
          V.n = k;
          return V;
        },
        op: o,
      };
    }
    // o.k === 'and': bitwise and with a value.
    const a = this.operand(o.a);
    if (o.b.k !== 'value') fail("the right side of '&' must be a value", o.b);
    const lit = o.b;
    if (a.cls === 'number' && a.def && (a.def.type === 'uint' || a.def.type === 'bool')) {
      const m = parseIntegerLiteral(lit.text);
      if (m === null || m > 0xffffffff)
        fail(
          `'${lit.text}' is not a valid mask for ${a.def.name} (${TYPE_WORDS[a.def.type]})`,
          lit,
        );
      const fill = a.fill;
      return {
        cls: 'number',
        def: a.def,
        plain: false,
        masked: true,
        fill: (c) => {
          const V = fill(c);
          for (let i = 0; i < V.n; i++) V.num[i] = (V.num[i] & m) >>> 0;
          return V;
        },
        op: o,
      };
    }
    if (a.cls === 'bytes' || a.cls === 'ether') {
      const mask = lit.quoted ? null : parseBytesLiteral(lit.text);
      if (mask === null) fail(`'${lit.text}' is not a valid byte string to mask with`, lit);
      const fill = a.fill;
      const out = new Values();
      let scratch = new Uint8Array(256);
      return {
        cls: 'bytes',
        def: a.def,
        plain: false,
        masked: true,
        fill: (c) => {
          const V = fill(c);
          let need = 0;
          for (let i = 0; i < V.n; i++) need += Math.min(V.size[i], mask.length);
          if (need > scratch.length) scratch = new Uint8Array(need * 2);
          out.n = 0;
          out.buf = scratch;
          let at = 0;
          for (let i = 0; i < V.n; i++) {
            const n = Math.min(V.size[i], mask.length);
            for (let j = 0; j < n; j++) scratch[at + j] = V.buf[V.start[i] + j] & mask[j];
            out.push(0, at, n);
            at += n;
          }
          return out;
        },
        op: o,
      };
    }
    const what = a.def
      ? `${a.def.name} (${TYPE_WORDS[a.def.type]})`
      : `'${o.a.k === 'value' ? o.a.text : ''}'`;
    return fail(`${what} cannot be used with '&'`, o.a);
  }

  private test(o: Operand): Pred<C> {
    if (o.k === 'value') fail(`'${o.text}' is a value, not a test: compare a field with it`, o);
    const p = this.operand(o);
    const fill = p.fill;
    if (!p.masked) return (c) => fill(c).n > 0;
    if (p.cls === 'number') {
      return (c) => {
        const V = fill(c);
        for (let i = 0; i < V.n; i++) if (V.num[i] !== 0) return true;
        return false;
      };
    }
    return (c) => {
      const V = fill(c);
      for (let i = 0; i < V.n; i++) {
        for (let j = V.start[i], end = j + V.size[i]; j < end; j++) if (V.buf[j] !== 0) return true;
      }
      return false;
    };
  }

  /** A value for an operand of class `cls` (and field `def`), as one or more occurrences. */
  private constant(
    cls: Class,
    def: FieldDef | null,
    lit: Operand & { k: 'value' },
    op: CmpOp | 'in',
    of: Operand,
  ): Values | { net: number; mask: number } | Ipv6Net {
    const sliced = of.k !== 'field' || of.slice !== null;
    const name = def
      ? `${this.written(of)} (${sliced ? 'bytes' : TYPE_WORDS[def.type]})`
      : 'the field';
    const text = lit.text;
    const V = new Values(16);
    switch (cls) {
      case 'number': {
        if (def?.valueNames) {
          const want = text.toLowerCase();
          for (const [k, v] of Object.entries(def.valueNames))
            if (v.toLowerCase() === want) V.push(Number(k), 0, 0);
          if (V.n > 0) return V;
        }
        if (def?.type === 'bool' && /^(true|false)$/i.test(text)) {
          V.push(/^true$/i.test(text) ? 1 : 0, 0, 0);
          return V;
        }
        if (def?.type === 'abstime')
          fail(`compare ${def.name} with ==, !=, <, <=, > or >= and a time in seconds`, lit);
        const v = lit.quoted
          ? null
          : def?.type === 'double'
            ? parseSigned(text)
            : def?.type === 'reltime'
              ? parseSecondsNs(text)
              : parseIntegerLiteral(text);
        if (v === null) fail(`'${text}' is not a valid value for ${name}`, lit);
        V.push(v, 0, 0);
        return V;
      }
      case 'ipv4': {
        const p = lit.quoted ? null : parseIpv4Prefix(text);
        if (p === null) fail(`'${text}' is not a valid IPv4 address or prefix for ${name}`, lit);
        if (p.prefix < 32) {
          if (op !== 'eq' && op !== 'ne' && op !== 'all_eq' && op !== 'any_ne' && op !== 'in') {
            fail(`a prefix such as '${text}' can only be compared with ==, !=, === or ~=`, lit);
          }
          const mask = prefixToMask(p.prefix);
          return { net: (p.addr & mask) >>> 0, mask };
        }
        V.push(p.addr, 0, 0);
        return V;
      }
      case 'ether': {
        const b = lit.quoted ? null : parseBytesLiteral(text);
        if (b === null || b.length !== 6)
          fail(`'${text}' is not a valid MAC address for ${name}`, lit);
        V.push(
          b[0] * 2 ** 40 + b[1] * 2 ** 32 + b[2] * 2 ** 24 + b[3] * 2 ** 16 + b[4] * 2 ** 8 + b[5],
          0,
          0,
        );
        return V;
      }
      case 'bytes': {
        if (def?.type === 'ipv6' && !sliced) {
          const p = lit.quoted ? null : parseIpv6Prefix(text);
          if (p === null) fail(`'${text}' is not a valid IPv6 address or prefix for ${name}`, lit);
          if (p.prefix < 128) {
            if (op !== 'eq' && op !== 'ne' && op !== 'all_eq' && op !== 'any_ne' && op !== 'in')
              fail(`a prefix such as '${text}' can only be compared with ==, !=, === or ~=`, lit);
            return { net6: p.addr, bits: p.prefix };
          }
          V.buf = p.addr;
          V.push(0, 0, 16);
          return V;
        }
        const b = lit.quoted ? utf8(text) : parseBytesLiteral(text);
        if (b === null)
          fail(
            `'${text}' is not a valid byte string for ${name} (use hex bytes such as 01:00:5e, or a "string")`,
            lit,
          );
        V.buf = b;
        V.push(0, 0, b.length);
        return V;
      }
      case 'string':
        V.pushString(text);
        return V;
      default:
        return fail(`${name} has no value to compare: test it alone`, lit);
    }
  }

  private cmp(op: CmpOp, opText: string, ao: Operand, bo: Operand): Pred<C> {
    // A value on the left and a field on the right: turn it round.
    if (ao.k === 'value' && bo.k !== 'value') return this.cmp(MIRROR[op], opText, bo, ao);
    if (ao.k === 'value') fail('a comparison needs a field on at least one side', ao);
    const a = this.operand(ao);
    const where = { pos: ao.pos, len: ao.len };
    const aName = this.written(ao);
    if (a.def?.refuse) fail(a.def.refuse, where);
    if (a.cls === 'none') fail(`${aName} has no value to compare: test it alone`, where);

    if (op === 'matches') {
      if (a.cls !== 'string' && a.cls !== 'bytes' && a.cls !== 'ether')
        fail(
          `${aName} (${a.def ? TYPE_WORDS[a.def.type] : 'a number'}) is not text, bytes or a protocol: 'matches' applies to those`,
          where,
        );
      if (bo.k !== 'value') fail("'matches' needs a quoted regular expression", bo);
      let re: RegExp;
      try {
        const ci = bo.text.startsWith('(?i)');
        re = new RegExp(ci ? bo.text.slice(4) : bo.text, ci ? 'i' : '');
      } catch (err) {
        return fail(`invalid regular expression: ${(err as Error).message}`, bo);
      }
      const fill = a.fill;
      if (a.cls !== 'string') {
        // As Wireshark does, a regular expression over bytes reads them one character per byte
        // (a protocol: everything it carries, as `contains` searches).
        return (c) => {
          const V = fill(c);
          for (let i = 0; i < V.n; i++)
            if (re.test(latin1(V.buf, V.start[i], V.ext[i]))) return true;
          return false;
        };
      }
      return (c) => {
        const V = fill(c);
        for (let i = 0; i < V.n; i++) if (re.test(V.str[i])) return true;
        return false;
      };
    }

    if (op === 'contains') {
      if (a.cls === 'number' || a.cls === 'ipv4') {
        fail(
          `${aName} (${a.def ? TYPE_WORDS[a.def.type] : 'a number'}) cannot be searched with 'contains'`,
          where,
        );
      }
      if (bo.k !== 'value') fail("'contains' needs a value to look for", bo);
      const fill = a.fill;
      if (a.cls === 'string') {
        const needle = bo.text;
        return (c) => {
          const V = fill(c);
          for (let i = 0; i < V.n; i++) if (V.str[i].includes(needle)) return true;
          return false;
        };
      }
      const K = this.constant('bytes', a.def, bo, op, ao) as Values;
      const needle = K.buf.slice(0, K.size[0]);
      return (c) => {
        const V = fill(c);
        for (let i = 0; i < V.n; i++)
          if (containsBytes(V.buf, V.start[i], V.ext[i], needle)) return true;
        return false;
      };
    }

    if (bo.k !== 'value') return this.fieldPair(op, a, this.operand(bo), opText, bo);

    if (a.def?.type === 'abstime' && a.plain) return this.instant(op, a, bo);
    const K = this.constant(a.cls, a.def, bo, op, ao);
    const fill = a.fill;
    if ('net6' in K) return cidr6(op, fill, K);
    if (!(K instanceof Values)) return cidr(op, fill, K.net, K.mask);
    if (a.cls === 'number' || a.cls === 'ipv4' || a.cls === 'ether') {
      if (K.n === 1) return numberVsConstant(op, fill, K.num[0]);
      return quantified(
        op,
        fill,
        () => K,
        (A, i, B, j) => A.num[i] - B.num[j],
      );
    }
    if (a.cls === 'string') {
      const isFate = a.def?.name === 'fate' && a.plain;
      if (isFate && (op === 'eq' || op === 'ne' || op === 'all_eq' || op === 'any_ne')) {
        const lit = K.str[0];
        return quantified(
          op,
          fill,
          () => K,
          (A, i) => (fateMatches(A.str[i], lit) ? 0 : 1),
        );
      }
      return quantified(
        op,
        fill,
        () => K,
        (A, i, B, j) => compareStrings(A.str[i], B.str[j]),
      );
    }
    return quantified(op, fill, () => K, byteOrder);
  }

  /**
   * An instant (frame.time_epoch) against epoch seconds, to the ns: the field holds ns since the
   * frame's origin, so the constant is turned into the same, once per origin (not per frame).
   */
  private instant(op: CmpOp, a: Plan<C>, lit: Operand & { k: 'value' }): Pred<C> {
    const t = lit.quoted ? null : parseSeconds(lit.text);
    if (t === null)
      fail(
        `'${lit.text}' is not a valid time for ${this.written(a.op)} (seconds since 1970, at most nine decimals)`,
        lit,
      );
    const K = new Values(1);
    K.push(0, 0, 0);
    let from: ExactTime | null = null;
    const origin = this.src.origin;
    const constant = (c: C): Values => {
      const o = origin(c);
      if (o !== from) {
        from = o;
        K.num[0] = diffNs(t, o);
      }
      return K;
    };
    return quantified(op, a.fill, constant, (A, i, B, j) => A.num[i] - B.num[j]);
  }

  /** A field compared with a field. */
  private fieldPair(op: CmpOp, a: Plan<C>, b: Plan<C>, opText: string, bo: Operand): Pred<C> {
    const numeric = (x: Class) => x === 'number' || x === 'ipv4' || x === 'ether';
    const byteLike = (x: Class) => x === 'bytes' || x === 'ether' || x === 'ipv4';
    const fa = a.fill;
    const fb = b.fill;
    if (a.cls === b.cls && numeric(a.cls))
      return quantified(op, fa, fb, (A, i, B, j) => A.num[i] - B.num[j]);
    if (a.cls === 'string' && b.cls === 'string')
      return quantified(op, fa, fb, (A, i, B, j) => compareStrings(A.str[i], B.str[j]));
    // Bytes compare with bytes, and with a MAC or an address by its bytes; a MAC never with an address.
    if (byteLike(a.cls) && byteLike(b.cls) && (a.cls === 'bytes' || b.cls === 'bytes'))
      return quantified(op, fa, fb, byteOrder);
    return fail(
      `${this.written(a.op)} and ${this.written(bo)} are not of compatible types for '${opText}'`,
      bo,
    );
  }

  private member(ao: Operand, items: SetItem[]): Pred<C> {
    if (ao.k === 'value') fail("the left side of 'in' must be a field", ao);
    const a = this.operand(ao);
    if (a.cls === 'none') fail(`${a.def?.name ?? 'it'} has no value to compare: test it alone`, ao);
    const tests: ((V: Values, i: number) => boolean)[] = [];
    for (const item of items) {
      const lo = this.constant(a.cls, a.def, item.lo, 'in', ao);
      if ('net6' in lo) {
        if (item.hi) fail('a prefix cannot start a range', item.lo);
        tests.push((V, i) => V.size[i] === 16 && ipv6InPrefix(V.buf, V.start[i], lo.net6, lo.bits));
        continue;
      }
      if (!(lo instanceof Values)) {
        if (item.hi) fail('a prefix cannot start a range', item.lo);
        const { net, mask } = lo;
        tests.push((V, i) => (V.num[i] & mask) >>> 0 === net);
        continue;
      }
      if (item.hi) {
        if (!(a.cls === 'number' || a.cls === 'ipv4' || a.cls === 'ether'))
          fail('only numbers and addresses have ranges', item.lo);
        const hi = this.constant(a.cls, a.def, item.hi, 'in', ao);
        if (!(hi instanceof Values))
          return fail('a range ends with a value, not a prefix', item.hi);
        const l = lo.num[0];
        const h = hi.num[0];
        tests.push((V, i) => V.num[i] >= l && V.num[i] <= h);
        continue;
      }
      if (a.cls === 'string') {
        const lit = lo.str[0];
        const isFate = a.def?.name === 'fate' && a.plain;
        tests.push(isFate ? (V, i) => fateMatches(V.str[i], lit) : (V, i) => V.str[i] === lit);
      } else if (a.cls === 'bytes') {
        tests.push((V, i) => byteOrder(V, i, lo, 0) === 0);
      } else {
        const set = Array.from(lo.num.subarray(0, lo.n));
        tests.push((V, i) => set.includes(V.num[i]));
      }
    }
    const fill = a.fill;
    return (c) => {
      const V = fill(c);
      for (let i = 0; i < V.n; i++) for (const t of tests) if (t(V, i)) return true;
      return false;
    };
  }
}

function parseSigned(text: string): number | null {
  if (text.startsWith('-')) {
    const v = parseNumberLiteral(text.slice(1));
    return v === null ? null : -v;
  }
  return parseNumberLiteral(text);
}

const MIRROR: Record<CmpOp, CmpOp> = {
  eq: 'eq',
  ne: 'ne',
  all_eq: 'all_eq',
  any_ne: 'any_ne',
  lt: 'gt',
  le: 'ge',
  gt: 'lt',
  ge: 'le',
  contains: 'contains',
  matches: 'matches',
};

/** Bytes [start, end) as a string of one character per byte, for `matches`. */
function latin1(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 8192)
    s += String.fromCharCode(...buf.subarray(i, Math.min(end, i + 8192)));
  return s;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byteOrder(A: Values, i: number, B: Values, j: number): number {
  return compareBytes(A.buf, A.start[i], A.size[i], B.buf, B.start[j], B.size[j]);
}

/** Does `order` (<0, 0, >0) satisfy `op`? */
function holds(op: CmpOp, order: number): boolean {
  switch (op) {
    case 'eq':
    case 'all_eq':
      return order === 0;
    case 'ne':
    case 'any_ne':
      return order !== 0;
    case 'lt':
      return order < 0;
    case 'le':
      return order <= 0;
    case 'gt':
      return order > 0;
    default:
      return order >= 0;
  }
}

/**
 * The general comparison over two sets of occurrences: `ne` and `all_eq` need
 * every pair to hold (and both sides present), the others one pair.
 */
function quantified<C>(
  op: CmpOp,
  fa: (c: C) => Values,
  fb: (c: C) => Values,
  order: (A: Values, i: number, B: Values, j: number) => number,
): Pred<C> {
  const all = op === 'ne' || op === 'all_eq';
  return (c) => {
    const A = fa(c);
    if (A.n === 0) return false;
    const B = fb(c);
    if (B.n === 0) return false;
    for (let i = 0; i < A.n; i++) {
      for (let j = 0; j < B.n; j++) {
        const ok = holds(op, order(A, i, B, j));
        if (all ? !ok : ok) return !all;
      }
    }
    return all;
  };
}

/** The hot case: a numeric field against one number, with no closure per occurrence. */
function numberVsConstant<C>(op: CmpOp, fill: (c: C) => Values, k: number): Pred<C> {
  switch (op) {
    case 'eq':
      return (c) => {
        const V = fill(c);
        const num = V.num;
        for (let i = 0, n = V.n; i < n; i++) if (num[i] === k) return true;
        return false;
      };
    case 'ne':
      return (c) => {
        const V = fill(c);
        const num = V.num;
        for (let i = 0, n = V.n; i < n; i++) if (num[i] === k) return false;
        return V.n > 0;
      };
    case 'all_eq':
      return (c) => {
        const V = fill(c);
        const num = V.num;
        for (let i = 0, n = V.n; i < n; i++) if (num[i] !== k) return false;
        return V.n > 0;
      };
    case 'any_ne':
      return (c) => {
        const V = fill(c);
        const num = V.num;
        for (let i = 0, n = V.n; i < n; i++) if (num[i] !== k) return true;
        return false;
      };
    case 'lt':
      return (c) => {
        const V = fill(c);
        for (let i = 0, n = V.n; i < n; i++) if (V.num[i] < k) return true;
        return false;
      };
    case 'le':
      return (c) => {
        const V = fill(c);
        for (let i = 0, n = V.n; i < n; i++) if (V.num[i] <= k) return true;
        return false;
      };
    case 'gt':
      return (c) => {
        const V = fill(c);
        for (let i = 0, n = V.n; i < n; i++) if (V.num[i] > k) return true;
        return false;
      };
    default:
      return (c) => {
        const V = fill(c);
        for (let i = 0, n = V.n; i < n; i++) if (V.num[i] >= k) return true;
        return false;
      };
  }
}

/** An IPv4 field against a prefix: == is "in it", != "none in it". */
function cidr<C>(op: CmpOp, fill: (c: C) => Values, net: number, mask: number): Pred<C> {
  const all = op === 'ne' || op === 'all_eq';
  const want = op === 'eq' || op === 'all_eq';
  return (c) => {
    const V = fill(c);
    if (V.n === 0) return false;
    for (let i = 0; i < V.n; i++) {
      const inside = (V.num[i] & mask) >>> 0 === net;
      const ok = inside === want;
      if (all ? !ok : ok) return !all;
    }
    return all;
  };
}

/** An IPv6 prefix (`fe80::/10`): its first `bits` bits. */
interface Ipv6Net {
  net6: Uint8Array;
  bits: number;
}

/** `ipv6.addr == fe80::/10` and its kin, as `cidr` for IPv4. */
function cidr6<C>(op: CmpOp, fill: (c: C) => Values, K: Ipv6Net): Pred<C> {
  const all = op === 'ne' || op === 'all_eq';
  const want = op === 'eq' || op === 'all_eq';
  return (c) => {
    const V = fill(c);
    if (V.n === 0) return false;
    for (let i = 0; i < V.n; i++) {
      const inside = V.size[i] === 16 && ipv6InPrefix(V.buf, V.start[i], K.net6, K.bits);
      const ok = inside === want;
      if (all ? !ok : ok) return !all;
    }
    return all;
  };
}

/** Builds the predicate of a parsed filter over any source of fields. Throws FilterSyntaxError. */
export function buildPredicate<C>(expr: Expr | null, src: FieldSource<C>, text: string): Pred<C> {
  if (expr === null) return () => true;
  return new Compiler(src, text).expr(expr);
}

/** The names of the fields a parsed filter reads. */
export function fieldsOf(expr: Expr | null, out = new Set<string>()): Set<string> {
  if (expr === null) return out;
  const operand = (o: Operand): void => {
    if (o.k === 'field') out.add(o.def.name);
    else if (o.k === 'and') {
      operand(o.a);
      operand(o.b);
    }
  };
  switch (expr.k) {
    case 'or':
    case 'and':
      fieldsOf(expr.a, out);
      fieldsOf(expr.b, out);
      break;
    case 'not':
      fieldsOf(expr.a, out);
      break;
    case 'test':
      operand(expr.v);
      break;
    case 'cmp':
      operand(expr.a);
      operand(expr.b);
      break;
    case 'in':
      operand(expr.a);
  }
  return out;
}

/** A display filter, compiled once, tested against one frame at a time. */
export interface CompiledFilter {
  readonly text: string;
  /** The fields it names. */
  readonly fields: readonly string[];
  /** False when it names only capture metadata (frame.len, point, fate…): the bytes are not parsed. */
  readonly readsBytes: boolean;
  /**
   * Whether the frame at `bytes[at, at + len)` (the captured bytes) matches;
   * `meta` gives the rest (number, time, wire length, point, direction, fate).
   * Allocates nothing; only the fields the filter names are read.
   */
  match(bytes: Uint8Array, len: number, meta: FrameMeta, at?: number): boolean;
}

export type FilterResult = { ok: true; filter: CompiledFilter } | { ok: false; error: FilterError };

const fastSource: FieldSource<FastFrame> = {
  origin: (f) => f.meta.origin,
  collector(def) {
    const collect = fastCollector(def.name);
    if (!collect) throw new FilterSyntaxError(`field '${def.name}' cannot be filtered on`, 0, 0);
    return (f, V) => {
      V.buf = f.bytes;
      collect(f, V);
    };
  },
};

/** Compiles a display filter; an empty one matches every frame. Never throws. */
export function compileFilter(text: string): FilterResult {
  try {
    const expr = parseFilter(text);
    const fields = [...fieldsOf(expr)];
    const readsBytes = fields.some((n) => !META_FIELDS.has(n));
    const linkOnly = fields.every((n) => META_FIELDS.has(n) || LINK_FIELDS.has(n));
    const pred = buildPredicate(expr, fastSource, text);
    const frame = new FastFrame();
    const filter: CompiledFilter = {
      text,
      fields,
      readsBytes,
      match(bytes, len, meta, at = 0) {
        frame.bytes = bytes;
        frame.at = at;
        // Unless the bytes are read, `len` is only frame.cap_len and `bytes` may be empty.
        frame.len = readsBytes ? Math.max(0, Math.min(len, bytes.length - at)) : len;
        frame.meta = meta;
        if (readsBytes) frame.L.parse(bytes, len, at, meta.wireLength, linkOnly, meta.fromLab);
        return pred(frame);
      },
    };
    return { ok: true, filter };
  } catch (err) {
    if (err instanceof FilterSyntaxError) return { ok: false, error: err.toJSON() };
    throw err;
  }
}

/** `expected a value after '==' at 10`: an error as one line. */
export function formatFilterError(e: FilterError): string {
  return `${e.message} at ${e.position}`;
}
