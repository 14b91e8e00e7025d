// The drivers a lab file's register-level cards run, read here so the engine (which reads no
// files) gets them with the lab's text: the lab file's own, relative to its folder, and the
// reference drivers shipped in resources/drivers.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readFileBounded } from '../files/bounded-read';
import { MAX_DRIVER_TEXT } from '../engine/engine-ops';
import { apiError } from '../ipc/errors';
import { REFERENCE_DRIVERS } from '../lab/drivers/cards';
import { deriveStarter } from '../lab/exercise/starter';
import { driverFilesOf, referenceKey } from '../lab/labfile/build';
import { parseLabSpec } from '../lab/labfile/load';
import { isRegisterCard } from '../lab/labfile/schema/hosts';

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
  // A driver exercise's starter is made from its card's reference, unless the lab's folder holds
  // the student's own copy.
  const starter = parsed.spec.exercise?.starter;
  const starterCard = parsed.spec.hosts
    .flatMap((h) => h.interfaces ?? [])
    .find((i) => i.driver?.file === starter?.file)?.nic;
  for (const file of files) {
    const path = labPath === null ? null : resolve(dirname(labPath), file);
    if (path !== null && existsSync(path)) out[file] = read(path, file);
    else if (starter?.file === file && starterCard !== undefined && isRegisterCard(starterCard)) {
      const reference = out[referenceKey(starterCard)];
      try {
        out[file] = deriveStarter(
          { file: REFERENCE_DRIVERS[starterCard], source: reference },
          starter,
        );
      } catch (e) {
        throw apiError('invalid-lab', `${fileName}: ${(e as Error).message}`);
      }
    } else if (path !== null) out[file] = read(path, file); // says it is not there
    // A text the UI sent: the engine names the file it lacks.
  }
  return out;
}

function read(path: string, shown: string): string {
  try {
    return readFileBounded(path, MAX_DRIVER_TEXT, 'driver', shown).toString('utf8');
  } catch (e) {
    throw apiError('file', `could not read the driver ${(e as Error).message}`);
  }
}
