// Requests an operation's argument schema must refuse, derived from the schema itself: for the
// bad-request tests, so that a new operation or a new field is covered without anyone writing
// its cases. Each case says which field the refusal has to name.
//
// Values are what some transport can carry: JSON's, and structured clone's NaN, ±Infinity,
// undefined and typed arrays (Electron's IPC and the engine's worker clone; the web host parses
// JSON).
import { z } from 'zod';

export interface BadArgs {
  /** What is wrong, for a failing test's message: `mtu = NaN`, `without host`. */
  what: string;
  args: unknown;
  /** The field the error must name, from the request's root: `args.mtu`. */
  field: string;
  /**
   * False where the field named may be another under `field`: with no arguments at all, which
   * missing field is reported first; in a union of shapes (`lab.load`), which shape was meant.
   */
  exact: boolean;
}

/** One megabyte and a byte: over every string limit of the contract but the capture file's. */
export const HUGE_STRING = 'x'.repeat(1024 * 1024 + 1);

/** Values of the wrong type or out of range for some field; each is tried on every field. */
export const ODD_VALUES: readonly [string, unknown][] = [
  ['42', 42],
  ['1.5', 1.5],
  ['-1', -1],
  ['0', 0],
  ['1e308', 1e308],
  ['-1e308', -1e308],
  ['2^53', 2 ** 53],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['"x"', 'x'],
  ['""', ''],
  ['a 1 MB string', HUGE_STRING],
  ['true', true],
  ['null', null],
  ['{}', {}],
  ['[]', []],
  ['a Uint8Array', new Uint8Array(4)],
];

type Shape = Record<string, z.ZodType>;

/** The shapes an argument schema accepts: one for an object, one per branch of a union. */
function shapesOf(schema: z.ZodType): z.ZodObject[] {
  if (schema instanceof z.ZodObject) return [schema];
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).flatMap(shapesOf);
  return [];
}

function isStrict(o: z.ZodObject): boolean {
  return o.def.catchall instanceof z.ZodNever;
}

function unwrap(s: z.ZodType): z.ZodType {
  return s instanceof z.ZodOptional ? unwrap(s.unwrap() as z.ZodType) : s;
}

function accepts(s: z.ZodType, v: unknown): boolean {
  try {
    return s.safeParse(v).success;
  } catch {
    return false;
  }
}

/**
 * A value `field` accepts: `hints[key]` when it does (the caller knows the lab: a host that
 * exists), else one made from the schema. Throws when the schema needs a value no rule here
 * makes (a pattern): give a hint for that key.
 */
export function sampleOf(field: z.ZodType, key: string, hints: Record<string, unknown>): unknown {
  const s = unwrap(field);
  const tries: unknown[] = [];
  if (Object.hasOwn(hints, key)) tries.push(hints[key]);
  if (s instanceof z.ZodObject) tries.push(sampleObject(s, hints));
  else if (s instanceof z.ZodUnion)
    for (const o of s.options as z.ZodType[]) {
      try {
        tries.push(sampleOf(o, key, hints));
      } catch {
        // another branch may do
      }
    }
  else if (s instanceof z.ZodArray) tries.push([sampleOf(s.element as z.ZodType, key, hints)], []);
  else if (s instanceof z.ZodString) tries.push('x'.repeat(Math.max(1, s.minLength ?? 0)));
  else if (s instanceof z.ZodNumber) tries.push(Number.isFinite(s.minValue) ? s.minValue : 0, 1);
  else if (s instanceof z.ZodBoolean) tries.push(false);
  else if (s instanceof z.ZodEnum) tries.push(s.options[0]);
  else if (s instanceof z.ZodLiteral) tries.push(...s.values);
  tries.push(null, new Uint8Array(0));
  const ok = tries.find((v) => accepts(field, v));
  if (ok === undefined) throw new Error(`no sample value for "${key}": give it a hint`);
  return ok;
}

/** The fields of `o` with samples: all of them, or only the required ones. */
function sampleObject(
  o: z.ZodObject,
  hints: Record<string, unknown>,
  optional = true,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(o.shape as Shape)
      .filter(([, s]) => optional || !(s instanceof z.ZodOptional))
      .map(([k, s]) => [k, sampleOf(s, k, hints)]),
  );
}

/**
 * Good arguments for each shape of `schema` (one for an object, one per union branch), checked
 * against the whole schema. With every field (so that wrong values of optional ones are tried
 * too), or with the required ones only where the schema takes that (a request that asks for as
 * little as it can, so that the field under test is the only thing that can go wrong).
 */
export function sampleArgs(
  schema: z.ZodType,
  hints: Record<string, unknown>,
  fields: 'all' | 'required' = 'all',
): Record<string, unknown>[] {
  return shapesOf(schema).map((o) => {
    const all = sampleObject(o, hints);
    const required = sampleObject(o, hints, false);
    const args = fields === 'required' && accepts(schema, required) ? required : all;
    const r = schema.safeParse(args);
    if (!r.success)
      throw new Error(`sample ${JSON.stringify(args)} is refused: ${r.error.issues[0].message}`);
    return args;
  });
}

/** The fields each shape of `schema` has, required or not. */
export function fieldsOf(schema: z.ZodType): string[][] {
  return shapesOf(schema).map((o) => Object.keys(o.shape as Shape));
}

/**
 * Arguments `schema` refuses, each with the field its error must name: the wrong shape as a
 * whole, each field of the wrong type or out of range, each required field missing, each list
 * with a bad item, and (for strict objects) fields it does not know.
 */
export function badArgs(schema: z.ZodType, hints: Record<string, unknown>): BadArgs[] {
  const cases: BadArgs[] = [];
  const union = schema instanceof z.ZodUnion;
  /** Adds a case when the schema does refuse it (`undefined` and `null` arrive as `{}`). */
  const add = (what: string, args: unknown, field: string, exact = true) => {
    if (!accepts(schema, args ?? {})) cases.push({ what, args, field, exact });
  };

  add('no args', undefined, 'args', false);
  add('args = null', null, 'args', false);
  for (const [what, v] of [...ODD_VALUES, ['[{}]', [{}]] as const])
    if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array)
      if (v !== null) add(`args = ${what}`, v, 'args', true);

  const shapes = shapesOf(schema);
  const samples = sampleArgs(schema, hints);
  shapes.forEach((o, n) => {
    const base = samples[n];
    for (const [key, field] of Object.entries(o.shape as Shape)) {
      const path = `args.${key}`;
      if (!(field instanceof z.ZodOptional)) {
        const without = { ...base };
        delete without[key];
        add(`without ${key}`, without, union ? 'args' : path, !union);
      }
      for (const [what, v] of ODD_VALUES) add(`${key} = ${what}`, { ...base, [key]: v }, path);
      const inner = unwrap(field);
      if (inner instanceof z.ZodArray) {
        const item = sampleOf(inner.element as z.ZodType, key, hints);
        for (const [what, v] of ODD_VALUES)
          add(`${key}[1] = ${what}`, { ...base, [key]: [item, v] }, `${path}[1]`);
      }
    }
    if (isStrict(o)) {
      add('an unknown field', { ...base, zzz: 1 }, 'args.zzz');
      // An own property, as JSON.parse makes it: it must not reach a prototype.
      const proto = JSON.parse('{"__proto__":{"polluted":1}}') as object;
      add('a __proto__ field', { ...base, ...proto }, 'args.__proto__');
      add('a constructor field', { ...base, constructor: 'x' }, 'args.constructor');
      const long = 'k'.repeat(100_000);
      add('a 100 kB field name', { ...base, [long]: 1 }, `args.${long}`);
    }
  });
  return cases;
}
