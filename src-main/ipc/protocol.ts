// The envelope every transport uses (Electron IPC, the WebSocket, the engine's worker):
//
//   request  { id, op, args }
//   reply    { id, ok: true, result }  |  { id, ok: false, error: { code, message, field?, details? } }
//   event    { event, data }
//
// `parseRequest` checks a request against the op table and answers a bad one with an error that
// names the offending field by its path in the request (`args.mtu`, `op`), so a UI can point at
// it. It never throws: whatever arrives, the caller gets either a request to run or a reply.
import { z } from 'zod';
import { formatPath, type PathSegment } from '../lab/labfile/errors';
import { didYouMean } from '../lab/labfile/suggest';
import { kindOf } from './json-data';
import { ApiError, type ApiErrorBody } from './errors';
import { apiOps, isOpName, OP_NAMES, type OpName, type OpParsedArgs } from './ops';

export { ApiError, type ApiErrorBody } from './errors';

export type RequestId = number | string;

export type Reply =
  | { id: RequestId | null; ok: true; result: unknown }
  | { id: RequestId | null; ok: false; error: ApiErrorBody };

const envelopeSchema = z.object({
  id: z.union([z.number().int().min(0), z.string().min(1).max(64)]),
  op: z.string().min(1).max(100),
  args: z.unknown().optional(),
});

export type ParsedRequest = {
  [K in OpName]: { id: RequestId; op: K; args: OpParsedArgs<K> };
}[OpName];

/** A valid request, or the error reply for an invalid one. */
export function parseRequest(
  raw: unknown,
  allowed: (op: OpName) => boolean = () => true,
): { ok: true; request: ParsedRequest } | { ok: false; reply: Reply } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return {
      ok: false,
      reply: errorReply(null, {
        code: 'bad-request',
        message: `expected a request { id, op, args }, got ${kindOf(raw)}`,
      }),
    };
  const env = envelopeSchema.safeParse(raw);
  if (!env.success) {
    const rawId = (raw as { id?: unknown }).id;
    const id = typeof rawId === 'number' || typeof rawId === 'string' ? rawId : null;
    return { ok: false, reply: errorReply(id, describeZodError(env.error)) };
  }
  const { id, op } = env.data;
  if (!isOpName(op) || !allowed(op)) {
    const known = OP_NAMES.filter(allowed);
    return {
      ok: false,
      reply: errorReply(id, {
        code: 'unknown-op',
        message: `unknown op "${op}"${didYouMean(op, known)}`,
        field: 'op',
      }),
    };
  }
  const args = parseArgs(op, env.data.args ?? {});
  if (!args.ok) return { ok: false, reply: errorReply(id, args.error) };
  return { ok: true, request: { id, op, args: args.value } as ParsedRequest };
}

/** Validates `args` for `op`; errors name the field as `args.…`. */
export function parseArgs<K extends OpName>(
  op: K,
  args: unknown,
): { ok: true; value: OpParsedArgs<K> } | { ok: false; error: ApiErrorBody } {
  const r = safeParseArgs(apiOps[op].args as z.ZodType<unknown>, args);
  if (r.success) return { ok: true, value: r.data as OpParsedArgs<K> };
  return { ok: false, error: r.error };
}

/**
 * `schema.safeParse(args)`, with its error described, and never a throw: a schema that gives
 * up on its input (out of stack on deeply nested data) is a bad request, not a crash.
 */
export function safeParseArgs<T>(
  schema: z.ZodType<T>,
  args: unknown,
): { success: true; data: T } | { success: false; error: ApiErrorBody } {
  // zod takes any object for an object, so a Uint8Array's indices became "unknown field 0".
  if (!isPlainObject(args))
    return {
      success: false,
      error: {
        code: 'bad-request',
        message: `args: expected an object of the operation's fields, got ${kindOf(args)}`,
        field: 'args',
      },
    };
  try {
    const r = schema.safeParse(args);
    if (r.success) return { success: true, data: r.data };
    return { success: false, error: describeZodError(r.error, ['args']) };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return {
      success: false,
      error: {
        code: 'bad-request',
        message: `args: could not be checked (${why}): send plainer data`,
        field: 'args',
      },
    };
  }
}

export function errorReply(id: RequestId | null, error: ApiErrorBody): Reply {
  return { id, ok: false, error };
}

export function okReply(id: RequestId, result: unknown): Reply {
  return { id, ok: true, result };
}

/** The reply for whatever a handler threw: an ApiError as it is, anything else as an internal error. */
export function replyForThrown(id: RequestId | null, e: unknown): Reply {
  if (e instanceof ApiError) return errorReply(id, e.toBody());
  const message = e instanceof Error ? e.message : String(e);
  return errorReply(id, { code: 'internal', message: `internal error: ${message}` });
}

type Issue = z.core.$ZodIssue;

/**
 * The first issue of a failed parse as `{ message, field }`. For a union (lab.load takes one of
 * three shapes) the branch that got furthest is reported, not "invalid input".
 */
export function describeZodError(error: z.ZodError, prefix: PathSegment[] = []): ApiErrorBody {
  const issue = pickIssue(error.issues);
  const path = [...prefix, ...issue.path.filter((p): p is PathSegment => typeof p !== 'symbol')];
  const field = formatPath(path);
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    return {
      code: 'bad-request',
      message: `unknown field "${clip(key)}"`,
      field: formatPath([...path, key]),
    };
  }
  if (field !== '') message = `${field}: ${message}`;
  return field === '' ? { code: 'bad-request', message } : { code: 'bad-request', message, field };
}

function isPlainObject(v: unknown): v is object {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A caller's text quoted in a message, cut short: a 1 MB field name makes a 1 MB message. */
function clip(text: string, max = 64): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

function pickIssue(issues: readonly Issue[]): Issue {
  const first = narrowestBound(issues);
  if (first.code !== 'invalid_union' || first.errors.length === 0) return first;
  // The caller most likely meant the branch that knows every field it sent, and of those the
  // one with the fewest issues: `{ recent: [] }` is a bad `recent`, not a missing `builtin`.
  const unknownKeys = (branch: readonly Issue[]) =>
    branch.reduce((n, i) => n + (i.code === 'unrecognized_keys' ? i.keys.length : 0), 0);
  const best = first.errors.reduce((a, b) => {
    const d = unknownKeys(b) - unknownKeys(a);
    return d < 0 || (d === 0 && b.length < a.length) ? b : a;
  });
  if (best.length === 0) return first;
  const inner = pickIssue(best);
  return { ...inner, path: [...first.path, ...inner.path] } as Issue;
}

/**
 * `.int().max(0x7fffffff)` fails 1e308 twice: outside the safe integers, and over its own
 * maximum. The field's own bound is the one its caller can act on.
 */
function narrowestBound(issues: readonly Issue[]): Issue {
  const first = issues[0];
  if (first.code !== 'too_big' && first.code !== 'too_small') return first;
  const samePath = (i: Issue) =>
    i.path.length === first.path.length && i.path.every((p, n) => p === first.path[n]);
  return issues.find((i) => i !== first && i.code === first.code && samePath(i)) ?? first;
}
