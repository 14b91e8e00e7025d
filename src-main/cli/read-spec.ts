import { MAX_LAB_TEXT } from '../ipc/ops';
import { formatSpecErrors } from '../lab/labfile/errors';
import { parseLabSpec } from '../lab/labfile/load';
import type { LabSpec } from '../lab/labfile/schema';
import { readFileBounded } from '../files/bounded-read';
import { CliError, EXIT_BAD_INPUT } from './errors';

// Apart from load-lab.ts so that `validate` loads the lab file's schema but not the simulator.

/** Reads and validates a lab file; bad files are a CliError listing every problem (exit 2). */
export function loadSpec(path: string): LabSpec {
  let text: string;
  try {
    // Sized before it is read: `netlab validate /dev/zero` stops at the limit.
    text = readFileBounded(path, MAX_LAB_TEXT, 'lab file').toString('utf8');
  } catch (e) {
    throw new CliError((e as Error).message, EXIT_BAD_INPUT);
  }
  const result = parseLabSpec(text, path);
  if (result.errors) throw new CliError(formatSpecErrors(result.errors), EXIT_BAD_INPUT);
  return result.spec;
}
