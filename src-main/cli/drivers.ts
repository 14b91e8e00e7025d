import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REFERENCE_DRIVERS } from '../lab/drivers/cards';
import { loadQuickJS } from '../lab/drivers/student/quickjs';
import { needsDriverSandbox, type DriverReader } from '../lab/labfile/build';
import type { LabSpec } from '../lab/labfile/schema';
import type { Lab } from '../lab/lab';
import { formatReport } from '../lab/drivers/student/oops';
import { readFileBounded } from '../files/bounded-read';
import { CliError, EXIT_BAD_INPUT } from './errors';

/** A driver is source code a person writes: a megabyte is far beyond any. */
export const MAX_DRIVER_TEXT = 1 << 20;

/**
 * resources/drivers, found upwards from this module: src-main/cli under tsx,
 * out-cli/chunks in the bundle.
 */
export function referenceDriversDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'resources', 'drivers');
    if (existsSync(join(candidate, 'ne2k.js'))) return candidate;
    dir = dirname(dir);
  }
  throw new CliError('cannot find resources/drivers (the reference drivers) beside netlab', 1);
}

/** Reads drivers as a lab file names them: relative to the lab file, or the card's reference. */
export function driverReader(labPath: string): DriverReader {
  return (file, card) => {
    const path =
      file === null
        ? join(referenceDriversDir(), REFERENCE_DRIVERS[card])
        : resolve(dirname(labPath), file);
    const shown = file ?? REFERENCE_DRIVERS[card];
    try {
      return {
        file: shown,
        source: readFileBounded(path, MAX_DRIVER_TEXT, 'driver', shown).toString('utf8'),
      };
    } catch (e) {
      throw new CliError(`${labPath}: driver ${(e as Error).message}`, EXIT_BAD_INPUT);
    }
  };
}

/** Compiles the driver sandbox if `spec` runs a driver in it (building the lab is synchronous). */
export async function prepareDriverSandbox(spec: LabSpec): Promise<void> {
  if (needsDriverSandbox(spec)) await loadQuickJS();
}

/** What the kernel said about each student driver: "h1:eth0: my-ne2k.js:88:5: Oops: …" and the stack. */
export function driverReportText(lab: Lab): string {
  const lines: string[] = [];
  for (const host of lab.hosts) {
    for (const nic of host.registerNics) {
      for (const r of nic.reports) lines.push(`${host.name}:${nic.dev.name}: ${formatReport(r)}`);
      if (nic.broken)
        lines.push(
          `${host.name}:${nic.dev.name}: the device is broken (the oops above): it drops what it is given`,
        );
    }
  }
  return lines.join('\n');
}
