// The drivers a lab file's register-level cards run, read here so the engine (which reads no
// files) gets them with the lab's text: the lab file's own, relative to its folder, and the
// reference drivers shipped in resources/drivers.
import { dirname, join, resolve } from 'node:path';
import { readFileBounded } from '../files/bounded-read';
import { MAX_DRIVER_TEXT } from '../engine/engine-ops';
import { ApiError } from '../ipc/protocol';
import { REFERENCE_DRIVERS } from '../lab/drivers/cards';
import { driverFilesOf, referenceKey } from '../lab/labfile/build';
import { parseLabSpec } from '../lab/labfile/load';

/**
 * The sources `text`'s cards need, by the key the engine looks them up by. `labPath` is
 * where the lab file lives (null for a built-in or a text the UI sent: only reference
 * drivers then). A lab file that does not parse needs none here: the engine says why.
 */
export function readDrivers(
  text: string,
  fileName: string,
  labPath: string | null,
  referenceDir: string,
): Record<string, string> {
  const parsed = parseLabSpec(text, fileName);
  if (!parsed.spec) return {};
  const { files, references } = driverFilesOf(parsed.spec);
  const out: Record<string, string> = {};
  for (const card of references) {
    const name = REFERENCE_DRIVERS[card];
    out[referenceKey(card)] = read(join(referenceDir, name), name);
  }
  if (labPath === null) return out; // its own files: the engine names the one it lacks
  for (const file of files) out[file] = read(resolve(dirname(labPath), file), file);
  return out;
}

function read(path: string, shown: string): string {
  try {
    return readFileBounded(path, MAX_DRIVER_TEXT, 'driver', shown).toString('utf8');
  } catch (e) {
    throw new ApiError(`could not read the driver ${(e as Error).message}`);
  }
}
