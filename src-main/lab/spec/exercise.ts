import { Shell } from '../host/shell/shell';
import { MS } from '../sim/time';
import type { CheckSpec } from './schema';
import type { LabSession } from './session';

/** The outcome of one check: what was compared with what. */
export interface CheckResult {
  title: string;
  pass: boolean;
  /** The value found (or the command's output), as text. */
  actual: string;
  /** What the check wanted, as text: `> 0`, `contains "UP"`. */
  expected: string;
}

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

/** Evaluates checks against the session's state now. */
export function evaluateChecks(session: LabSession, checks: readonly CheckSpec[]): CheckResult[] {
  const report = session.report();
  return checks.map((c) => {
    let actual: unknown;
    if (c.path !== undefined) {
      actual = resolvePath(report, c.path);
    } else {
      const host = session.lab.hosts.find((h) => h.name === c.host);
      actual = host ? new Shell(host).exec(c.command!).output.join('\n') : `no host "${c.host}"`;
    }
    const [pass, expected] = compare(c, actual);
    return { title: c.title, pass, actual: show(actual), expected };
  });
}

/**
 * Follows `hosts.h1.devices.eth0.flags` or `sinks["h1:239.1.1.1:5000"].received`
 * through plain data; a string key on a list picks the element with that `name`.
 * Undefined when the path leads nowhere.
 */
export function resolvePath(data: unknown, path: string): unknown {
  let value = data;
  for (const key of pathSegments(path)) {
    if (value === null || typeof value !== 'object') return undefined;
    if (Array.isArray(value)) {
      value =
        typeof key === 'number'
          ? value[key]
          : value.find((e) => (e as { name?: unknown })?.name === key);
    } else {
      value = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
    }
  }
  return value;
}

function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\["([^"]*)"\]|\[(\d+)\]|\.?([^.[\]]+)/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(m[3]);
  }
  return out;
}

function compare(c: CheckSpec, actual: unknown): [boolean, string] {
  const num = typeof actual === 'number' ? actual : NaN;
  if (c.equals !== undefined) return [actual === c.equals, `= ${JSON.stringify(c.equals)}`];
  if (c.notEquals !== undefined)
    return [actual !== c.notEquals, `≠ ${JSON.stringify(c.notEquals)}`];
  if (c.gt !== undefined) return [num > c.gt, `> ${c.gt}`];
  if (c.gte !== undefined) return [num >= c.gte, `≥ ${c.gte}`];
  if (c.lt !== undefined) return [num < c.lt, `< ${c.lt}`];
  if (c.lte !== undefined) return [num <= c.lte, `≤ ${c.lte}`];
  const needle = (c.contains ?? c.notContains)!;
  const has = Array.isArray(actual)
    ? actual.includes(needle)
    : typeof actual === 'string' && actual.includes(String(needle));
  return c.contains !== undefined
    ? [has, `contains ${JSON.stringify(needle)}`]
    : [!has, `does not contain ${JSON.stringify(needle)}`];
}

function show(v: unknown): string {
  if (v === undefined) return '(nothing at that path)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
