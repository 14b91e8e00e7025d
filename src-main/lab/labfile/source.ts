import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { PathSegment } from './errors';

/** Line and column, both 1-based. */
export interface Position {
  line: number;
  column: number;
}

/** Where a node's text starts (its range's first offset); 0 when it has none. */
function start(node: unknown): number {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : 0;
}

/**
 * Maps a field's path to where it is written in the file, through the YAML
 * document the text was parsed into (a JSON text parses into one too). A
 * path that leads nowhere (a required key that is missing) stops at the
 * deepest node that exists: the map that lacks the key.
 */
export class SourcePositions {
  constructor(
    private readonly doc: Document.Parsed | null,
    private readonly lines: LineCounter,
  ) {}

  /** The position of the value at `segments`, or of its key when `at` is 'key'. */
  locate(segments: readonly PathSegment[], at: 'key' | 'value' = 'value'): Position {
    let node: unknown = this.doc?.contents ?? null;
    let offset = start(node);
    for (let k = 0; k < segments.length && node; k++) {
      node = this.resolve(node);
      const seg = segments[k];
      let next: unknown = null;
      if (isMap(node)) {
        const pair = this.findPair(node, String(seg));
        if (pair) {
          next = k === segments.length - 1 && at === 'key' ? pair.key : (pair.value ?? pair.key);
        }
      } else if (isSeq(node) && typeof seg === 'number') {
        next = node.items[seg] ?? null;
      }
      if (!next) break;
      node = next;
      offset = start(node) || offset;
    }
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  private resolve(node: unknown): unknown {
    // An alias's target; a chain of aliases is bounded by the document.
    for (let hops = 0; isAlias(node) && this.doc && hops < 100; hops++) {
      node = node.resolve(this.doc);
    }
    return node;
  }

  /** The pair whose key reads `key`, looking into `<<` merges too. */
  private findPair(map: unknown, key: string, depth = 0): { key: unknown; value: unknown } | null {
    if (!isMap(map) || depth > 8) return null;
    let merged: { key: unknown; value: unknown } | null = null;
    for (const pair of map.items) {
      const k = isScalar(pair.key) ? pair.key.value : pair.key;
      if (String(k) === key) return pair;
      if (k === '<<' && !merged) {
        const sources = this.resolve(pair.value);
        const list = isSeq(sources) ? sources.items : [sources];
        for (const src of list) {
          merged = this.findPair(this.resolve(src), key, depth + 1);
          if (merged) break;
        }
      }
    }
    return merged;
  }
}

/** Line and column of `offset` in `text`, for texts with no YAML document. */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
