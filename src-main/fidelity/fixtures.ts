import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RealRun, Scenario } from './scenario';

const dir = (id: string) => fileURLToPath(new URL(`./fixtures/${id}.json`, import.meta.url));

/** The recorded real-kernel run of a scenario, or null when none was recorded. */
export function readFixture(sc: Scenario): RealRun | null {
  try {
    return JSON.parse(readFileSync(dir(sc.id), 'utf8')) as RealRun;
  } catch {
    return null;
  }
}

export function writeFixture(sc: Scenario, run: RealRun): void {
  writeFileSync(dir(sc.id), `${JSON.stringify({ title: sc.title, ...run }, null, 1)}\n`);
}
