// A driver exercise's starter, made from the card's reference driver: the reference marks the
// regions exercises may take away (`// exercise: NAME` … `// exercise end: NAME`), and the lab
// file's `exercise.starter` says which regions its starter replaces by which stub. One copy of
// each driver serves every exercise on it; what the student opens, edits and saves is the
// derived text, an ordinary file.
import type { DriverReader } from '../labfile/build';
import type { LabSpec } from '../labfile/schema';
import type { StarterSpec } from '../labfile/schema/exercise';

/** A marked region: the lines of its two markers (0-based) and the marker's indentation. */
export interface DriverRegion {
  name: string;
  open: number;
  close: number;
  indent: string;
}

const OPEN = /^(\s*)\/\/ exercise: ([a-z][a-z0-9-]*)\s*$/;
const CLOSE = /^\s*\/\/ exercise end: ([a-z][a-z0-9-]*)\s*$/;

/** The regions `source` marks, in order. Throws on a marker left open, closed twice or nested. */
export function markedRegions(source: string, file: string): DriverRegion[] {
  const regions: DriverRegion[] = [];
  let open: { name: string; line: number; indent: string } | null = null;
  source.split('\n').forEach((text, i) => {
    const o = OPEN.exec(text);
    const c = CLOSE.exec(text);
    if (o) {
      if (open)
        throw new Error(
          `${file}:${i + 1}: region "${o[2]}" opens inside "${open.name}" (line ${open.line + 1}): regions do not nest`,
        );
      if (regions.some((r) => r.name === o[2]))
        throw new Error(`${file}:${i + 1}: region "${o[2]}" is marked twice`);
      open = { name: o[2], line: i, indent: o[1] };
    } else if (c) {
      if (!open || open.name !== c[1])
        throw new Error(
          `${file}:${i + 1}: "exercise end: ${c[1]}" closes ${open ? `"${open.name}"` : 'no region'}`,
        );
      regions.push({ name: open.name, open: open.line, close: i, indent: open.indent });
      open = null;
    }
  });
  if (open !== null) {
    const left = open as { name: string; line: number };
    throw new Error(`${file}:${left.line + 1}: region "${left.name}" is never closed`);
  }
  return regions;
}

/**
 * The starter `starter` makes from `reference`: its header as comment lines, then the reference
 * with each region it names replaced by its stub (indented as the region's marker) and every
 * marker line dropped, so the student reads plain code.
 */
export function deriveStarter(
  reference: { file: string; source: string },
  starter: StarterSpec,
): string {
  const regions = markedRegions(reference.source, reference.file);
  for (const name of Object.keys(starter.replace)) {
    if (!regions.some((r) => r.name === name))
      throw new Error(
        `exercise.starter.replace: ${reference.file} marks no region "${name}" (it marks: ${regions.map((r) => r.name).join(', ') || 'none'})`,
      );
  }
  const lines = reference.source.split('\n');
  const out: string[] = [];
  if (starter.header !== undefined)
    for (const h of starter.header.replace(/\n+$/, '').split('\n'))
      out.push(h === '' ? '//' : `// ${h}`);
  if (out.length > 0) out.push('//');
  let at = 0;
  for (const r of regions) {
    out.push(...lines.slice(at, r.open));
    const stub = starter.replace[r.name];
    if (stub === undefined) out.push(...lines.slice(r.open + 1, r.close));
    else
      for (const s of stub.replace(/\n+$/, '').split('\n'))
        out.push(s.trim() === '' ? '' : r.indent + s);
    at = r.close + 1;
  }
  out.push(...lines.slice(at));
  return out.join('\n');
}

/**
 * `read` with the exercise's starter made when the lab's folder lacks its file (`has` says
 * whether it holds one): a file the student saved there is theirs and is read as it is.
 */
export function withStarter(
  spec: LabSpec,
  read: DriverReader,
  has: (file: string) => boolean,
): DriverReader {
  const starter = spec.exercise?.starter;
  if (!starter) return read;
  return (file, card) => {
    if (file !== starter.file || has(file)) return read(file, card);
    return { file, source: deriveStarter(read(null, card), starter) };
  };
}
