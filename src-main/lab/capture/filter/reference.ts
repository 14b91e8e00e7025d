import { dissect, type Field } from '../dissect/dissect';
import type { FrameMeta } from '../dissect/meta';
import { buildPredicate, fieldsOf, type FieldSource } from './compile';
import { FilterSyntaxError, parseFilter, type FilterError } from './parser';
import type { Values } from './values';
import { EPOCH, type ExactTime } from '../time';

/**
 * The slow path: a filter evaluated over a dissection tree, with the same
 * operators as the compiled filter (see compile.ts) and the fields taken
 * from the tree instead of the bytes. Tests use it to check the fast path
 * field by field; a UI can use it on a tree it has already built.
 */

export interface TreeFrame {
  /** The frame's bytes: field ranges index them. */
  bytes: Uint8Array;
  /** Every field of the tree (hidden ones included) by name, in tree order. */
  index: Map<string, Field[]>;
  /** The instant the tree's frame.time_epoch (ns) counts from. */
  origin: ExactTime;
}

/** Indexes a tree for `TreeFilter.matchTree`. */
export function indexTree(tree: Field[], bytes: Uint8Array, origin = EPOCH): TreeFrame {
  const index = new Map<string, Field[]>();
  const walk = (fields: Field[]): void => {
    for (const f of fields) {
      if (f.name !== '') {
        const list = index.get(f.name);
        if (list) list.push(f);
        else index.set(f.name, [f]);
      }
      walk(f.children);
    }
  };
  walk(tree);
  return { bytes, index, origin };
}

const treeSource: FieldSource<TreeFrame> = {
  origin: (t) => t.origin,
  collector(def) {
    return (t: TreeFrame, V: Values) => {
      V.buf = t.bytes;
      const list = t.index.get(def.name);
      if (!list) return;
      for (const f of list) {
        if (typeof f.raw === 'string') {
          V.pushString(f.raw);
          continue;
        }
        const [start, end] = f.range;
        V.push(typeof f.raw === 'number' ? f.raw : 0, start, end - start, f.dataEnd ?? end);
      }
    };
  },
};

export interface TreeFilter {
  readonly text: string;
  readonly fields: readonly string[];
  /** Whether a tree (from `dissect`, indexed) matches. */
  matchTree(frame: TreeFrame): boolean;
  /** Dissects the frame (with `meta`) and tests the tree. */
  match(bytes: Uint8Array, len: number, meta: FrameMeta): boolean;
}

export type TreeFilterResult = { ok: true; filter: TreeFilter } | { ok: false; error: FilterError };

/** Compiles a filter to run over dissection trees. Never throws. */
export function compileTreeFilter(text: string): TreeFilterResult {
  try {
    const expr = parseFilter(text);
    const pred = buildPredicate(expr, treeSource, text);
    const filter: TreeFilter = {
      text,
      fields: [...fieldsOf(expr)],
      matchTree: pred,
      match(bytes, len, meta) {
        const view = len < bytes.length ? bytes.subarray(0, len) : bytes;
        return pred(indexTree(dissect(view, view.length, meta), view, meta.origin));
      },
    };
    return { ok: true, filter };
  } catch (err) {
    if (err instanceof FilterSyntaxError) return { ok: false, error: err.toJSON() };
    throw err;
  }
}
