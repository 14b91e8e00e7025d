import { Shell } from '../host/shell/shell';
import type { CheckSpec, ExerciseSpec, QuestionSpec } from '../labfile/schema';
import type { LabSession } from '../labfile/session';
import { formatDuration } from '../labfile/units';
import { allowedError, isRight, type Answers } from './answers';

/** The outcome of one check: what was compared with what. */
export interface CheckResult {
  title: string;
  pass: boolean;
  /** The value found (or the command's output, or the student's answer), as text with its unit. */
  actual: string;
  /** What the check wanted, as text: `> 0`, `contains "UP"`, `20 ms ± 1 ms`. */
  expected: string;
}

export interface GradingContext {
  /** Predictions given only after the exercise had run: they count as wrong. */
  predictionsLate?: readonly string[];
}

/** Evaluates an exercise's checks against the session's state now and the student's answers. */
export function evaluateChecks(
  session: LabSession,
  exercise: Pick<ExerciseSpec, 'checks' | 'questions'>,
  answers: Answers = {},
  ctx: GradingContext = {},
): CheckResult[] {
  const report = session.report();
  const questions = new Map((exercise.questions ?? []).map((q) => [q.id, q]));
  return exercise.checks.map((c) => {
    if (c.answer !== undefined) {
      return { title: c.title, ...gradeAnswer(questions.get(c.answer)!, answers, report, ctx) };
    }
    let actual: unknown;
    if (c.path !== undefined) {
      actual = resolvePath(report, c.path);
    } else {
      const host = session.lab.hosts.find((h) => h.name === c.host);
      actual = host ? new Shell(host).exec(c.command!).output.join('\n') : `no host "${c.host}"`;
    }
    const [pass, expected] = compare(c, actual);
    return { title: c.title, pass, actual: show(actual, c.unit), expected };
  });
}

/** One question's grade: its answer against the right one, or against what the run measured. */
function gradeAnswer(
  q: QuestionSpec,
  answers: Answers,
  report: unknown,
  ctx: GradingContext,
): Omit<CheckResult, 'title'> {
  const given = answers[q.id];
  const right = q.measure !== undefined ? resolvePath(report, q.measure) : q.answer;
  const expected =
    q.measure !== undefined
      ? `the measured ${show(right, q.unit)}${tolerancePart(q, right)}`
      : `the right answer${tolerancePart(q, right)}`;
  if (given === undefined) return { pass: false, actual: '(no answer)', expected };
  const actual = show(given, q.unit);
  if (q.predict && ctx.predictionsLate?.includes(q.id))
    return { pass: false, actual: `${actual}, answered after the run`, expected };
  return { pass: isRight(q, given, right), actual, expected };
}

function tolerancePart(q: QuestionSpec, right: unknown): string {
  if (q.type !== 'number' || typeof right !== 'number') return '';
  const err = allowedError(q, right);
  return err > 0 ? ` ± ${show(err, q.unit)}` : '';
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
  const n = (v: number) => show(v, c.unit);
  if (c.equals !== undefined)
    return [
      actual === c.equals,
      `= ${typeof c.equals === 'number' ? n(c.equals) : JSON.stringify(c.equals)}`,
    ];
  if (c.notEquals !== undefined)
    return [
      actual !== c.notEquals,
      `≠ ${typeof c.notEquals === 'number' ? n(c.notEquals) : JSON.stringify(c.notEquals)}`,
    ];
  if (c.gt !== undefined) return [num > c.gt, `> ${n(c.gt)}`];
  if (c.gte !== undefined) return [num >= c.gte, `≥ ${n(c.gte)}`];
  if (c.lt !== undefined) return [num < c.lt, `< ${n(c.lt)}`];
  if (c.lte !== undefined) return [num <= c.lte, `≤ ${n(c.lte)}`];
  const needle = (c.contains ?? c.notContains)!;
  const has = Array.isArray(actual)
    ? actual.includes(needle)
    : typeof actual === 'string' && actual.includes(String(needle));
  return c.contains !== undefined
    ? [has, `contains ${JSON.stringify(needle)}`]
    : [!has, `does not contain ${JSON.stringify(needle)}`];
}

/**
 * A value as a person reads it: `ns` as a duration (`20 ms`), `bytes` and other words after the
 * number with thousands separated (`212,992 bytes`).
 */
export function show(v: unknown, unit?: string): string {
  if (v === undefined) return '(nothing at that path)';
  if (typeof v === 'number' && unit !== undefined) {
    if (unit === 'ns')
      return formatDuration(v)
        .replace(/^(-?[\d.]+)/, '$1 ')
        .replace(/us$/, 'µs');
    return `${v.toLocaleString('en-US')} ${unit}`;
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}
