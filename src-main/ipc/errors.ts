// The errors of the API, as data. Every error reply carries a `code` from this table, the
// message a person reads, and `field`, the request's part at fault as a path from its root
// (`args.mtu`, `op`). A UI decides what to do from the code and the field, never by reading
// the message; `details` is typed by the code.
import type { FilterError } from '../lab/capture/filter/parser';
import type { SpecError } from '../lab/labfile/errors';

/** What went wrong, one code per kind of answer a UI gives. */
export const API_ERROR_CODES = {
  'bad-request': 'the request or one of its arguments is not what the operation takes',
  'unknown-op': 'no such operation, or not on this host (no file dialogs, debug disabled)',
  'not-found': 'the host, interface, generator, frame, file or question named does not exist',
  exists: 'something of that name exists already',
  'invalid-lab': 'the lab file (or the lab an edit would make) does not validate or build',
  'bad-filter': 'the display filter does not compile',
  'needs-consent': 'opening the lab to the network needs the user to say so (ports.open exposed)',
  refused: 'the lab is not in a state where this can be done (nothing to export, hints in order)',
  file: 'a file could not be read or written',
  transport:
    'the connection carrying the request is closed, refused the page, or could not carry it',
  engine: 'the lab engine stopped, or was closed, while the request was pending',
  internal: 'a bug: the request hit an unexpected failure',
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_CODES;

interface ErrorBodyBase<C extends ApiErrorCode> {
  code: C;
  message: string;
  /** The field at fault, as a path from the request's root: `args.mtu`, `args.hosts[0].name`, `op`. */
  field?: string;
}

/** An error reply's body; `details` depends on the code. */
export type ApiErrorBody =
  | (ErrorBodyBase<'bad-filter'> & { details: FilterError })
  | (ErrorBodyBase<'invalid-lab'> & { details?: readonly SpecError[] })
  /** `details`: each address the lab would expose, in words. */
  | (ErrorBodyBase<'needs-consent'> & { details: readonly string[] })
  | ErrorBodyBase<Exclude<ApiErrorCode, 'bad-filter' | 'invalid-lab' | 'needs-consent'>>;

/** An error a handler throws to answer with `{ ok: false, error }` instead of a result. */
export class ApiError extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
  }

  get code(): ApiErrorCode {
    return this.body.code;
  }

  get field(): string | undefined {
    return this.body.field;
  }

  toBody(): ApiErrorBody {
    return this.body;
  }
}

/** Shorthand for the common case: a code, a message and the field at fault. */
export function apiError(
  code: Exclude<ApiErrorCode, 'bad-filter' | 'needs-consent'>,
  message: string,
  field?: string,
): ApiError {
  return new ApiError(field === undefined ? { code, message } : { code, message, field });
}
