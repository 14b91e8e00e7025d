import { readFileSync, statSync } from 'node:fs';
import { buildLab } from '../lab/spec/build';
import { formatSpecErrors } from '../lab/spec/errors';
import { parseLabSpec } from '../lab/spec/load';
import type { LabSpec } from '../lab/spec/schema';
import { LabSession } from '../lab/spec/session';
import { parseDuration } from '../lab/spec/units';
import { CliError, EXIT_BAD_INPUT } from './errors';

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

/** Loads, applies a seed override, and starts the lab's applications and captures. */
export function startSession(path: string, seed?: string): LabSession {
  const spec = loadSpec(path);
  if (seed !== undefined) {
    if (!/^\d+$/.test(seed) || Number(seed) > 0xffffffff) {
      throw new CliError(
        `--seed: expected an integer from 0 to 4294967295, got "${seed}"`,
        EXIT_BAD_INPUT,
      );
    }
    spec.seed = Number(seed);
  }
  return new LabSession(buildLab(spec));
}

/** `--for 2s`: a duration in the lab file's units. */
export function durationOption(name: string, text: string): number {
  const d = parseDuration(text);
  if ('error' in d) throw new CliError(`${name}: ${d.error}`, EXIT_BAD_INPUT);
  return d.value;
}
