import type { Values } from '../filter/values';
import type { Field, Tree } from './tree';
import { leaf } from './tree';

/**
 * Where a protocol that walks its message once (ICMPv6) sends what it finds: the same walk
 * builds the details tree (`TreeSink`) and feeds a filter field reader (`ReaderSink`), so the
 * two cannot disagree.
 */
export interface Sink {
  /** A field of `size` bytes at `at`; `raw` is its number (absent for bytes and addresses). */
  field(name: string, at: number, size: number, label: string, value: string, raw?: number): void;
  /** A group (an option, a record): the fields that follow go under it until `close`. */
  open(name: string, label: string, at: number, end: number): void;
  close(): void;
}

export class TreeSink implements Sink {
  private readonly stack: Field[];

  constructor(
    private readonly t: Tree,
    node: Field,
  ) {
    this.stack = [node];
  }

  field(name: string, at: number, size: number, label: string, value: string, raw?: number): void {
    this.t.add(this.stack[this.stack.length - 1], name, at, size, label, value, raw);
  }

  open(name: string, label: string, at: number, end: number): void {
    const f = leaf(name, label, '', at, end);
    this.stack[this.stack.length - 1].children.push(f);
    this.stack.push(f);
  }

  close(): void {
    this.stack.pop();
  }
}

/** Pushes the occurrences of one field name. */
export class ReaderSink implements Sink {
  V!: Values;

  constructor(private readonly name: string) {}

  field(name: string, at: number, size: number, _l: string, _v: string, raw?: number): void {
    if (name === this.name) this.V.push(raw ?? 0, at, size);
  }

  open(name: string, _label: string, at: number, end: number): void {
    if (name === this.name) this.V.push(0, at, end - at);
  }

  close(): void {}
}
