import { buildLab } from '../lab/labfile/build';
import { LabSession } from '../lab/labfile/session';
import type { LabSpec } from '../lab/labfile/schema';
import { parseDuration, parseSize } from '../lab/labfile/units';
import { captureLimitError } from '../lab/capture/capture-limit';
import { CliError, EXIT_BAD_INPUT } from './errors';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { withStarter } from '../lab/exercise/starter';
import type { DriverReader } from '../lab/labfile/build';
import { driverReader, prepareDriverSandbox } from './drivers';
import { loadSpec } from './read-spec';

/** `--capture-limit 64MiB`: a capture's memory budget in bytes. */
export function captureLimitOption(text: string): number {
  const r = parseSize(text);
  if ('error' in r) throw new CliError(`--capture-limit: ${r.error}`, EXIT_BAD_INPUT);
  const why = captureLimitError(r.value);
  if (why !== null) throw new CliError(`--capture-limit: ${why}`, EXIT_BAD_INPUT);
  return r.value;
}

/**
 * Loads, applies a seed override and a capture limit (`--capture-limit`, over the file's
 * captureLimit), and starts the lab's applications and captures.
 */
export function startSession(
  path: string,
  seed?: string,
  captureLimit?: string,
  /** Changes to the lab file before it is built (a driver exercise's solution drivers). */
  edit?: (spec: LabSpec) => void,
): LabSession {
  const spec = loadSpec(path);
  if (edit) {
    try {
      edit(spec);
    } catch (e) {
      throw new CliError(`${path}: ${(e as Error).message}`, EXIT_BAD_INPUT);
    }
  }
  if (captureLimit !== undefined) spec.captureLimit = captureLimitOption(captureLimit);
  if (seed !== undefined) {
    if (!/^\d+$/.test(seed) || Number(seed) > 0xffffffff) {
      throw new CliError(
        `--seed: expected an integer from 0 to 4294967295, got "${seed}"`,
        EXIT_BAD_INPUT,
      );
    }
    spec.seed = Number(seed);
  }
  // A driver exercise's starter is made from the reference unless the student's file is there.
  const starter = withStarter(spec, driverReader(path), (file) =>
    existsSync(resolve(dirname(path), file)),
  );
  const read: DriverReader = (file, card) => {
    try {
      return starter(file, card);
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`${path}: ${(e as Error).message}`, EXIT_BAD_INPUT); // a bad starter
    }
  };
  return new LabSession(buildLab(spec, read));
}

/** Makes ready what building `path`'s lab needs beforehand (the driver sandbox); errors wait for startSession. */
export async function prepareSession(path: string): Promise<void> {
  let spec;
  try {
    spec = loadSpec(path);
  } catch {
    return; // startSession reports it
  }
  await prepareDriverSandbox(spec);
}

/** `--for 2s`: a duration in the lab file's units. */
export function durationOption(name: string, text: string): number {
  const d = parseDuration(text);
  if ('error' in d) throw new CliError(`${name}: ${d.error}`, EXIT_BAD_INPUT);
  return d.value;
}
