/**
 * What is wrong with a lab file, said so the user can fix it: the file, the
 * line and column (1-based), the field's path (`hosts[1].interfaces[0].nic`)
 * and what was expected. `formatSpecError` writes it as compilers do:
 *
 *     lab.yaml:9:35: hosts[1].interfaces[0].nic: expected one of nofilter, hash64, perfect, promisc-only, ne2000, tulip, at1700, got "hash65"
 *
 * Errors are plain data, so they cross a worker or IPC boundary unchanged.
 */

export type PathSegment = string | number;

export interface SpecError {
  file: string;
  /** 1-based; 0 when the data did not come from a text (see `validateLabData`). */
  line: number;
  /** 1-based, in characters; 0 when unknown. */
  column: number;
  /** The field, as `formatPath` writes it; '' for the file as a whole. */
  path: string;
  /** The same path as segments, for a UI that highlights the field. */
  segments: PathSegment[];
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `['hosts', 1, 'sysctl', 'net.core.rmem_max']` → `hosts[1].sysctl["net.core.rmem_max"]`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `file:line:column: path: message`, leaving out what is unknown or empty. */
export function formatSpecError(error: SpecError): string {
  let out = error.file;
  if (error.line > 0) out += `:${error.line}:${error.column}`;
  out += ': ';
  if (error.path !== '') out += `${error.path}: `;
  return out + error.message;
}

/** One error per line. */
export function formatSpecErrors(errors: readonly SpecError[]): string {
  return errors.map(formatSpecError).join('\n');
}

/** Thrown by `buildLab` when handed a spec that does not validate (a program built it wrong). */
export class InvalidLabSpecError extends Error {
  constructor(readonly errors: SpecError[]) {
    super(`invalid lab spec:\n${formatSpecErrors(errors)}`);
    this.name = 'InvalidLabSpecError';
  }
}
