// The packet-details tree: fields addressed by their path of child indexes ("2.0.1"), the field
// a byte belongs to (for a click in the hex pane), and the ancestors to expand to show a field.
import type { FieldView } from '../../../src-main/ipc/api';

export type FieldPath = string;

export function fieldAt(tree: readonly FieldView[], path: FieldPath): FieldView | null {
  let level = tree;
  let field: FieldView | null = null;
  for (const part of path.split('.')) {
    field = level[Number(part)] ?? null;
    if (field === null) return null;
    level = field.children;
  }
  return field;
}

/** Paths of the fields above `path`, outermost first: "2.0.1" → ["2", "2.0"]. */
export function ancestorsOf(path: FieldPath): FieldPath[] {
  const parts = path.split('.');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('.'));
}

/**
 * The field byte `offset` belongs to, as a click in the hex pane selects it: of the visible
 * fields whose bytes include it, the narrowest (the deepest on a tie; the first on a tie of both).
 */
export function fieldForByte(tree: readonly FieldView[], offset: number): FieldPath | null {
  let best: { path: FieldPath; width: number; depth: number } | null = null;
  const visit = (fields: readonly FieldView[], prefix: string, depth: number) => {
    fields.forEach((f, i) => {
      if (f.hidden) return;
      const path = prefix === '' ? String(i) : `${prefix}.${i}`;
      const [start, end] = f.range;
      const width = end - start;
      if (width > 0 && offset >= start && offset < end) {
        if (best === null || width < best.width || (width === best.width && depth > best.depth))
          best = { path, width, depth };
      }
      visit(f.children, path, depth + 1);
    });
  };
  visit(tree, '', 0);
  return (best as { path: FieldPath } | null)?.path ?? null;
}

/** The top-level field with this name (`ip`, `udp`), for the sk_buff inspector. */
export function topField(tree: readonly FieldView[], name: string): FieldView | null {
  return tree.find((f) => f.name === name) ?? null;
}

/** A line of the tree as drawn: the field, its path, how deep, and whether it can open. */
export interface TreeLine {
  path: FieldPath;
  field: FieldView;
  depth: number;
  hasChildren: boolean;
  open: boolean;
}

/** The lines a tree shows with `expanded` open (hidden fields are never shown). */
export function visibleLines(
  tree: readonly FieldView[],
  expanded: ReadonlySet<FieldPath>,
): TreeLine[] {
  const out: TreeLine[] = [];
  const walk = (fields: readonly FieldView[], prefix: string, depth: number) => {
    fields.forEach((field, i) => {
      if (field.hidden) return;
      const path = prefix === '' ? String(i) : `${prefix}.${i}`;
      const hasChildren = field.children.some((c) => !c.hidden);
      const open = hasChildren && expanded.has(path);
      out.push({ path, field, depth, hasChildren, open });
      if (open) walk(field.children, path, depth + 1);
    });
  };
  walk(tree, '', 0);
  return out;
}
