import { buildLab } from '../lab/spec/build';
import { LabSession } from '../lab/spec/session';
import { parseDuration } from '../lab/spec/units';
import { CliError, EXIT_BAD_INPUT } from './errors';
import { loadSpec } from './read-spec';

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
