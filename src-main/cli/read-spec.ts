import { readFileSync, statSync } from 'node:fs';
import { formatSpecErrors } from '../lab/spec/errors';
import { parseLabSpec } from '../lab/spec/load';
import type { LabSpec } from '../lab/spec/schema';
import { CliError, EXIT_BAD_INPUT } from './errors';

// Apart from load-lab.ts so that `validate` loads the lab file's schema but not the simulator.

/** Reads and validates a lab file; bad files are a CliError listing every problem (exit 2). */
export function loadSpec(path: string): LabSpec {
  let text: string;
  try {
    if (statSync(path).isDirectory())
      throw new CliError(`${path}: is a directory, not a lab file`, EXIT_BAD_INPUT);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(
      `${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      EXIT_BAD_INPUT,
    );
  }
  const result = parseLabSpec(text, path);
  if (result.errors) throw new CliError(formatSpecErrors(result.errors), EXIT_BAD_INPUT);
  return result.spec;
}
