import { Shell } from '../host/shell/shell';
import { MS } from '../sim/time';
import type { LabSession } from '../labfile/session';
import type { LabSpec } from '../labfile/schema';
import { isRegisterCard } from '../labfile/schema/hosts';

/** Longest a solution step may run in simulated time (a ping) before it is interrupted. */
const STEP_LIMIT = 60_000 * MS;

/** Runs an exercise's solution: each step on its host's shell, as root, to completion. */
export function runSolution(
  session: LabSession,
  steps: readonly { host: string; run: string }[],
): string[] {
  const transcript: string[] = [];
  const shells = new Map<string, Shell>();
  for (const step of steps) {
    const host = session.lab.hosts.find((h) => h.name === step.host);
    if (!host) throw new Error(`solution: no host "${step.host}"`);
    let shell = shells.get(step.host);
    if (!shell) shells.set(step.host, (shell = new Shell(host)));
    const job = shell.exec(step.run);
    const t0 = session.lab.now;
    while (!job.done && session.lab.now - t0 < STEP_LIMIT) session.run(10 * MS);
    if (!job.done) job.interrupt();
    transcript.push(`${shell.prompt}${step.run}`, ...job.output);
  }
  return transcript;
}

/**
 * A driver exercise's solution: each named interface runs the solution's driver (the card's
 * reference driver, or the file named) instead of the student's. Edits `spec` in place.
 */
export function applySolutionDrivers(
  spec: LabSpec,
  drivers: readonly { host: string; dev: string; file?: string }[],
): void {
  for (const d of drivers) {
    const host = spec.hosts.find((h) => h.name === d.host);
    const iface = host?.interfaces?.find((i) => i.name === d.dev);
    if (!iface) throw new Error(`solution: no interface ${d.host}:${d.dev}`);
    if (!isRegisterCard(iface.nic))
      throw new Error(
        `solution: ${d.host}:${d.dev} is a ${iface.nic}, which runs no driver of yours`,
      );
    if (d.file === undefined) delete iface.driver;
    else iface.driver = { file: d.file };
  }
}
