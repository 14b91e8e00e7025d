import { Shell } from '../host/shell/shell';
import { MS } from '../sim/time';
import type { LabSession } from '../labfile/session';

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
