import { z } from 'zod';
import { describeValue, formatDuration, parseDuration, type Parsed } from '../units';

// Building blocks of the lab file schema: strict maps that name unknown keys, and fields
// parsed by our own functions with a message that says what was expected.

/** Marks the message of an unknown-keys issue, which carries the known keys (see `validateSpecData`). */
export const UNKNOWN_KEYS_TAG = '\u0000known-keys:';

/**
 * Cross-field checks run only on an object whose fields all passed theirs (an
 * unknown key included), so one typo does not also report what it hid.
 */
export const CLEAN = {
  when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0,
};

/**
 * Checks within one object run even when some of its fields failed (they skip
 * those: see `failedFields`), but not when the object is not a map at all.
 */
export const LOCAL = {
  when: (payload: { issues: readonly { path?: readonly PropertyKey[]; code?: string }[] }) =>
    !payload.issues.some((i) => (i.path ?? []).length === 0 && i.code !== 'unrecognized_keys'),
};

/** The fields of the object being checked that did not parse (their values are still raw input). */
export function failedFields(ctx: {
  issues: readonly { path?: readonly PropertyKey[] }[];
}): Set<PropertyKey> {
  return new Set(ctx.issues.flatMap((i) => (i.path && i.path.length > 0 ? [i.path[0]] : [])));
}

export function expecting(what: string) {
  return (iss: { input?: unknown }): string =>
    iss.input === undefined
      ? `missing; expected ${what}`
      : `expected ${what}, got ${describeValue(iss.input)}`;
}

/** A field parsed by a function of ours, with its message when it fails. */
export function parsed<T>(what: string, parse: (input: unknown) => Parsed<T>) {
  return z.unknown().transform((input, ctx): T => {
    if (input === undefined) {
      ctx.addIssue({ code: 'custom', message: `missing; expected ${what}` });
      return z.NEVER;
    }
    const r = parse(input);
    if ('error' in r) {
      ctx.addIssue({ code: 'custom', message: r.error });
      return z.NEVER;
    }
    return r.value;
  });
}

/** A strict map: a key the schema does not know is an error that names it. */
export function strictMap<S extends z.ZodRawShape>(shape: S, what: string) {
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? UNKNOWN_KEYS_TAG + JSON.stringify(Object.keys(shape))
        : expecting(what)(iss),
  });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: expecting(`one of ${values.join(', ')}`) });
}

export function int(min: number, max: number, what = `an integer from ${min} to ${max}`) {
  return z.number({ error: expecting(what) }).superRefine((v, ctx) => {
    if (!Number.isInteger(v) || v < min || v > max)
      ctx.addIssue({ code: 'custom', message: `expected ${what}, got ${v}` });
  });
}

export function probability() {
  const what = 'a probability from 0 to 1';
  return z.number({ error: expecting(what) }).superRefine((v, ctx) => {
    if (!(v >= 0 && v <= 1))
      ctx.addIssue({ code: 'custom', message: `expected ${what}, got ${v}` });
  });
}

export const bool = z.boolean({ error: expecting('true or false') });

export function text(what: string, max = 4096) {
  return z
    .string({ error: expecting(what) })
    .max(max, { error: `expected at most ${max} characters` });
}

export function list<T extends z.ZodType>(item: T, what: string, max: number) {
  return z
    .array(item, { error: expecting(`a list of ${what}`) })
    .max(max, { error: (iss) => `expected at most ${max} ${what}, got ${lengthOf(iss.input)}` });
}

export const lengthOf = (v: unknown) => (Array.isArray(v) ? v.length : '?');

/** A duration between `min` and `max` ns. */
export function duration(min: number, max: number, what = 'a duration') {
  const full = `${what} from ${formatDuration(min)} to ${formatDuration(max)}`;
  return parsed<number>(full, (input) => {
    const r = parseDuration(input);
    if ('error' in r) return r;
    if (r.value < min || r.value > max)
      return { error: `expected ${full}, got ${describeValue(input)}` };
    return r;
  });
}
