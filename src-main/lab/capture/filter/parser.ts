import { fieldHint } from '../dissect/field-hints';
import { fieldDef, type FieldDef } from '../dissect/fields';

/**
 * The display-filter language, in Wireshark's style:
 *
 *   filter    := or
 *   or        := and (('or' | '||') and)*
 *   and       := unary (('and' | '&&') unary)*        ('and' binds tighter than 'or')
 *   unary     := ('not' | '!') unary | '(' or ')' | relation
 *   relation  := operand [cmp operand | 'in' set]     (an operand alone is a test)
 *   operand   := atom ('&' atom)*                     (bitwise and)
 *   atom      := field [slice] | value
 *   cmp       := == != === !== ~= < <= > >= eq ne all_eq any_eq all_ne any_ne lt le gt ge
 *                contains matches
 *   slice     := '[' i ']' | '[' i ':' n ']' | '[' i '-' j ']' | '[' ':' n ']' | '[' i ':' ']'
 *   set       := '{' value [',' value]* '}'           (values may be ranges lo..hi)
 *
 * Values are numbers (decimal, 0x hex, 0b binary, 0-prefixed octal),
 * byte strings (01:00:5e:01:01:01, 01-00-5e, 01005e, ff), IPv4 addresses
 * with an optional /prefix, and "quoted strings". Keywords are
 * case-insensitive. Positions count characters from 0.
 */

export interface FilterError {
  message: string;
  /** Where the problem is, in characters from the start of the filter. */
  position: number;
  /** How many characters it spans (0 at the end of the text). */
  length: number;
}

export type CmpOp =
  'eq' | 'ne' | 'all_eq' | 'any_ne' | 'lt' | 'le' | 'gt' | 'ge' | 'contains' | 'matches';

export interface Slice {
  /** Start; negative counts from the end of the field. */
  start: number;
  /** Length, or -1 for "to the end". */
  length: number;
}

export type Operand =
  | { k: 'field'; def: FieldDef; slice: Slice | null; pos: number; len: number }
  | { k: 'value'; text: string; quoted: boolean; pos: number; len: number }
  | { k: 'and'; a: Operand; b: Operand; pos: number; len: number };

export interface SetItem {
  lo: Operand & { k: 'value' };
  hi: (Operand & { k: 'value' }) | null;
}

export type Expr =
  | { k: 'or' | 'and'; a: Expr; b: Expr }
  | { k: 'not'; a: Expr }
  | { k: 'test'; v: Operand }
  | { k: 'cmp'; op: CmpOp; opText: string; opPos: number; a: Operand; b: Operand }
  | { k: 'in'; a: Operand; items: SetItem[]; pos: number };

export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
    readonly length: number,
  ) {
    super(message);
  }

  toJSON(): FilterError {
    return { message: this.message, position: this.position, length: this.length };
  }
}

type TokKind = 'word' | 'string' | 'op' | 'punct' | 'end';

interface Token {
  kind: TokKind;
  /** The token as written; a string's decoded value. */
  text: string;
  pos: number;
  end: number;
}

const OPS = ['===', '!==', '==', '!=', '~=', '<=', '>=', '&&', '||', '<', '>', '!', '&'];
const PUNCT = '()[]{},';
const WORD = /[A-Za-z0-9_.:/-]/;

const CMP_WORDS: Record<string, CmpOp> = {
  '==': 'eq',
  eq: 'eq',
  any_eq: 'eq',
  '!=': 'ne',
  ne: 'ne',
  all_ne: 'ne',
  '===': 'all_eq',
  all_eq: 'all_eq',
  '~=': 'any_ne',
  '!==': 'any_ne',
  any_ne: 'any_ne',
  '<': 'lt',
  lt: 'lt',
  '<=': 'le',
  le: 'le',
  '>': 'gt',
  gt: 'gt',
  '>=': 'ge',
  ge: 'ge',
  contains: 'contains',
  matches: 'matches',
  '~': 'matches',
};

const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'in',
  ...Object.keys(CMP_WORDS).filter((w) => /^[a-z_]+$/.test(w)),
]);

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '"') {
      const start = i++;
      let s = '';
      for (;;) {
        if (i >= text.length)
          throw new FilterSyntaxError('unterminated string', start, text.length - start);
        const d = text[i++];
        if (d === '"') break;
        if (d !== '\\') {
          s += d;
          continue;
        }
        if (i >= text.length)
          throw new FilterSyntaxError('unterminated string', start, text.length - start);
        const e = text[i++];
        if (e === 'n') s += '\n';
        else if (e === 't') s += '\t';
        else if (e === 'r') s += '\r';
        else if (e === 'x' && /^[0-9a-f]{2}$/i.test(text.slice(i, i + 2))) {
          s += String.fromCharCode(parseInt(text.slice(i, i + 2), 16));
          i += 2;
        } else s += e;
      }
      out.push({ kind: 'string', text: s, pos: start, end: i });
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', text: op, pos: i, end: i + op.length });
      i += op.length;
      continue;
    }
    if (c === '~') {
      out.push({ kind: 'op', text: c, pos: i, end: i + 1 });
      i++;
      continue;
    }
    if (PUNCT.includes(c)) {
      out.push({ kind: 'punct', text: c, pos: i, end: i + 1 });
      i++;
      continue;
    }
    if (WORD.test(c)) {
      const start = i;
      while (i < text.length && WORD.test(text[i])) i++;
      out.push({ kind: 'word', text: text.slice(start, i), pos: start, end: i });
      continue;
    }
    throw new FilterSyntaxError(`unexpected character '${c}'`, i, 1);
  }
  out.push({ kind: 'end', text: '', pos: text.length, end: text.length });
  return out;
}

/** Looks like a field name (letters first, dotted) rather than a value. */
const FIELD_LIKE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;

function isKeyword(t: Token, ...words: string[]): boolean {
  return t.kind === 'word' && words.includes(t.text.toLowerCase());
}

/** ', found X' for an error message, or nothing at the end of the text (the position says it). */
function found(t: Token): string {
  return t.kind === 'end' ? '' : `, found ${describe(t)}`;
}

function describe(t: Token): string {
  if (t.kind === 'end') return 'the end of the filter';
  if (t.kind === 'string') return 'a string';
  return `'${t.text}'`;
}

/** Is this word a value (number, bytes, address), so that it must not be read as a field? */
function looksLikeValue(text: string): boolean {
  return (
    /^[0-9]/.test(text) ||
    /^[0-9a-f]{1,2}([:.-][0-9a-f]{2})*$/i.test(text) ||
    /^[0-9a-f]{4}(\.[0-9a-f]{4})+$/i.test(text) ||
    text.includes(':') ||
    text.includes('/')
  );
}

/**
 * Parentheses and nots nested deeper than this are refused: parsing and matching recurse, and
 * 4000 '(' in a row (the API takes 4096 characters) ran a parse on Node's main thread out of
 * stack.
 */
export const MAX_FILTER_NESTING = 64;

export class Parser {
  private readonly toks: Token[];
  private i = 0;
  /** Parentheses and nots open around the token being read. */
  private depth = 0;

  constructor(readonly text: string) {
    this.toks = tokenize(text);
  }

  /** The whole filter; null when it is empty (everything matches). */
  parse(): Expr | null {
    if (this.peek().kind === 'end') return null;
    const e = this.or();
    const t = this.peek();
    if (t.kind !== 'end') {
      const what =
        t.kind === 'punct' && t.text === ')' ? "')' without a matching '('" : describe(t);
      throw new FilterSyntaxError(
        `expected 'and', 'or' or the end of the filter, found ${what}`,
        t.pos,
        t.end - t.pos,
      );
    }
    return e;
  }

  private peek(): Token {
    return this.toks[this.i];
  }

  private next(): Token {
    return this.toks[this.i++];
  }

  private or(): Expr {
    let a = this.and();
    for (;;) {
      const t = this.peek();
      if (!(isKeyword(t, 'or') || (t.kind === 'op' && t.text === '||'))) return a;
      this.next();
      const b = this.and(t);
      a = { k: 'or', a, b };
    }
  }

  private and(after?: Token): Expr {
    let a = this.unary(after);
    for (;;) {
      const t = this.peek();
      if (!(isKeyword(t, 'and') || (t.kind === 'op' && t.text === '&&'))) return a;
      this.next();
      const b = this.unary(t);
      a = { k: 'and', a, b };
    }
  }

  private unary(after?: Token): Expr {
    const t = this.peek();
    const not = isKeyword(t, 'not') || (t.kind === 'op' && t.text === '!');
    const open = t.kind === 'punct' && t.text === '(';
    if (!not && !open) return this.relation(after);
    if (this.depth === MAX_FILTER_NESTING)
      throw new FilterSyntaxError(
        `nested more than ${MAX_FILTER_NESTING} levels deep`,
        t.pos,
        t.end - t.pos,
      );
    this.depth++;
    const e = not ? this.not(t) : this.parenthesized(t);
    this.depth--;
    return e;
  }

  private not(t: Token): Expr {
    this.next();
    return { k: 'not', a: this.unary(t) };
  }

  private parenthesized(t: Token): Expr {
    this.next();
    const e = this.or();
    const close = this.peek();
    if (!(close.kind === 'punct' && close.text === ')')) {
      throw new FilterSyntaxError(
        `expected ')' to close the '(' at ${t.pos}${found(close)}`,
        close.pos,
        close.end - close.pos,
      );
    }
    this.next();
    return e;
  }

  private relation(after?: Token): Expr {
    const first = this.peek();
    if (!this.startsOperand(first)) {
      const what = after ? ` after '${after.text}'` : '';
      throw new FilterSyntaxError(
        `expected a field or a test${what}${found(first)}`,
        first.pos,
        first.end - first.pos,
      );
    }
    const a = this.operand();
    const t = this.peek();
    if (isKeyword(t, 'in')) {
      this.next();
      return { k: 'in', a, items: this.set(t), pos: t.pos };
    }
    const opWord = t.kind === 'op' || t.kind === 'word' ? t.text.toLowerCase() : '';
    const op =
      (t.kind === 'op' || t.kind === 'word') && Object.hasOwn(CMP_WORDS, opWord)
        ? CMP_WORDS[opWord]
        : null;
    if (op === null) {
      if (t.kind === 'op' && t.text === '!') {
        throw new FilterSyntaxError("expected a comparison ('!' is not one; '!=' is)", t.pos, 1);
      }
      return { k: 'test', v: a };
    }
    this.next();
    const v = this.peek();
    if (!this.startsOperand(v)) {
      throw new FilterSyntaxError(
        `expected a value after '${t.text}'${found(v)}`,
        v.pos,
        v.end - v.pos,
      );
    }
    const b = this.operand();
    return { k: 'cmp', op, opText: t.text, opPos: t.pos, a, b };
  }

  private startsOperand(t: Token): boolean {
    return t.kind === 'string' || (t.kind === 'word' && !KEYWORDS.has(t.text.toLowerCase()));
  }

  private operand(): Operand {
    let a = this.atom();
    for (;;) {
      const t = this.peek();
      if (!(t.kind === 'op' && t.text === '&')) return a;
      this.next();
      const v = this.peek();
      if (!this.startsOperand(v)) {
        throw new FilterSyntaxError(`expected a value after '&'${found(v)}`, v.pos, v.end - v.pos);
      }
      const b = this.atom();
      a = { k: 'and', a, b, pos: a.pos, len: b.pos + b.len - a.pos };
    }
  }

  private atom(): Operand {
    const t = this.next();
    if (t.kind === 'string')
      return { k: 'value', text: t.text, quoted: true, pos: t.pos, len: t.end - t.pos };
    const def = fieldDef(t.text);
    const hint = def ? undefined : fieldHint(t.text, fieldDef);
    if (!def && hint !== undefined) throw new FilterSyntaxError(hint, t.pos, t.end - t.pos);
    if (def) {
      const slice = this.slice(t);
      const end = slice ? this.toks[this.i - 1].end : t.end;
      return { k: 'field', def, slice, pos: t.pos, len: end - t.pos };
    }
    if (
      FIELD_LIKE.test(t.text) &&
      !looksLikeValue(t.text) &&
      (t.text.includes('.') || this.peek().text === '[')
    ) {
      throw new FilterSyntaxError(`unknown field '${t.text}'`, t.pos, t.end - t.pos);
    }
    const p = this.peek();
    if (p.kind === 'punct' && p.text === '[') {
      throw new FilterSyntaxError(`only a field can be sliced, not '${t.text}'`, p.pos, 1);
    }
    return { k: 'value', text: t.text, quoted: false, pos: t.pos, len: t.end - t.pos };
  }

  private slice(field: Token): Slice | null {
    const open = this.peek();
    if (!(open.kind === 'punct' && open.text === '[')) return null;
    this.next();
    const body = this.next();
    const close = body.kind === 'punct' && body.text === ']' ? body : this.next();
    const bad = (msg: string): never => {
      throw new FilterSyntaxError(msg, open.pos, Math.max(1, close.end - open.pos));
    };
    if (!(close.kind === 'punct' && close.text === ']')) {
      throw new FilterSyntaxError(
        `expected ']' to close the slice of ${field.text}`,
        close.pos,
        close.end - close.pos,
      );
    }
    if (body === close || body.kind !== 'word')
      return bad('expected a byte range such as [0], [0:3] or [1-2] in the slice');
    const spec = body.text;
    let m: RegExpExecArray | null;
    if ((m = /^(-?\d+)$/.exec(spec))) return { start: Number(m[1]), length: 1 };
    if ((m = /^(-?\d+)?:(\d+)?$/.exec(spec))) {
      const start = m[1] === undefined ? 0 : Number(m[1]);
      const length = m[2] === undefined ? -1 : Number(m[2]);
      if (length === 0) bad('a slice of length 0 is empty');
      return { start, length };
    }
    if ((m = /^(\d+)-(\d+)$/.exec(spec))) {
      const start = Number(m[1]);
      const last = Number(m[2]);
      if (last < start) bad(`the slice [${spec}] ends before it starts`);
      return { start, length: last - start + 1 };
    }
    return bad(`'${spec}' is not a byte range: use [i], [i:length], [i-j], [:length] or [i:]`);
  }

  private set(inTok: Token): SetItem[] {
    const open = this.next();
    if (!(open.kind === 'punct' && open.text === '{')) {
      throw new FilterSyntaxError(
        `expected '{' after 'in'${found(open)}`,
        open.pos,
        open.end - open.pos,
      );
    }
    const items: SetItem[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'punct' && t.text === '}') {
        if (items.length === 0)
          throw new FilterSyntaxError("expected a value in the set after 'in'", t.pos, 1);
        this.next();
        return items;
      }
      if (t.kind === 'punct' && t.text === ',' && items.length > 0) {
        this.next();
        continue;
      }
      if (!(t.kind === 'word' || t.kind === 'string')) {
        throw new FilterSyntaxError(
          `expected a value or '}' in the set after '${inTok.text}'${found(t)}`,
          t.pos,
          t.end - t.pos,
        );
      }
      this.next();
      const range = t.kind === 'word' ? t.text.indexOf('..') : -1;
      if (range > 0) {
        const lo = t.text.slice(0, range);
        const hi = t.text.slice(range + 2);
        items.push({
          lo: { k: 'value', text: lo, quoted: false, pos: t.pos, len: lo.length },
          hi: { k: 'value', text: hi, quoted: false, pos: t.pos + range + 2, len: hi.length },
        });
      } else {
        items.push({
          lo: {
            k: 'value',
            text: t.text,
            quoted: t.kind === 'string',
            pos: t.pos,
            len: t.end - t.pos,
          },
          hi: null,
        });
      }
    }
  }
}

/** Parses a filter; throws FilterSyntaxError. Null for an empty filter. */
export function parseFilter(text: string): Expr | null {
  return new Parser(text).parse();
}
