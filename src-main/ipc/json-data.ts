// Plain JSON data from a UI (a driver's private ioctl argument), checked without recursion.
//
// zod's z.json() checks recursively: data nested a hundred thousand levels deep (200 KB of
// brackets, which JSON.parse reads happily) ran the API server out of stack, and the web host
// died of the unhandled rejection. This walks with a stack of its own, stops at MAX_JSON_DEPTH,
// and says where the data went wrong and what it found there.
import { z } from 'zod';

/** Nesting a driver's argument could need, with room to spare: its structs are one level deep. */
export const MAX_JSON_DEPTH = 32;

export type JsonData = string | number | boolean | null | JsonData[] | { [key: string]: JsonData };

export interface JsonProblem {
  message: string;
  /** Where inside the data, from its root. */
  path: (string | number)[];
}

/** What is wrong with `value` as JSON data, or null when it is plain JSON. */
export function jsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem | null {
  const todo: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  for (let item = todo.pop(); item !== undefined; item = todo.pop()) {
    const { value: v, path } = item;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (Number.isFinite(v)) continue;
      return { message: `expected a finite number, got ${String(v)}`, path };
    }
    const plainObject =
      typeof v === 'object' &&
      (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
    if (!Array.isArray(v) && !plainObject)
      return {
        message: `expected JSON data (null, true/false, a number, a string, an array or an object), got ${kindOf(v)}`,
        path,
      };
    if (path.length >= maxDepth)
      return { message: `nested more than ${maxDepth} levels deep`, path };
    if (Array.isArray(v)) v.forEach((x, i) => todo.push({ value: x, path: [...path, i] }));
    else
      for (const [k, x] of Object.entries(v as Record<string, unknown>))
        todo.push({ value: x, path: [...path, k] });
  }
  return null;
}

/** What a value is, for a message: `null`, `a string`, `an array`, `a Uint8Array`. */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'an array';
  if (typeof v !== 'object') return `a ${typeof v}`;
  const name = (Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor
    ?.name;
  return name ? `a ${name}` : 'an object';
}

/** A zod schema for JSON data: the problem becomes an issue at its path inside the data. */
export const jsonData = z.custom<JsonData>().superRefine((value, ctx) => {
  const problem = jsonProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
});
