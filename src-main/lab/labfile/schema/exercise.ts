import { z } from 'zod';
import { type PathSegment } from '../errors';
import { didYouMean } from '../suggest';
import { describeValue } from '../units';
import { driverFile } from './hosts';
import { bool, duration, expecting, int, list, oneOf, parsed, strictMap, text } from './fields';

// The `exercise:` section: questions, checks, hints, explanation and solution.

export const CHECK_OPS = [
  'equals',
  'notEquals',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'notContains',
] as const;
export const scalar = z.union([z.number(), z.string(), z.boolean()], {
  error: expecting('a number, a text or true/false'),
});
export const number = z.number({ error: expecting('a number') });

export const QUESTION_ID = /^[a-z][a-z0-9-]{0,31}$/;
export const questionId = parsed<string>(
  'a question id such as bin (lower-case letters, digits, "-")',
  (input) =>
    typeof input === 'string' && QUESTION_ID.test(input)
      ? { value: input }
      : {
          error: `expected a question id such as bin (lower-case letters, digits, "-"), got ${describeValue(input)}`,
        },
);

/** How far a number answer may be from the right one: an absolute amount, or `10%` of it. */
export const tolerance = parsed<number | string>('a tolerance such as 5 or "10%"', (input) => {
  if (typeof input === 'number' && input >= 0) return { value: input };
  if (typeof input === 'string' && /^\d+(\.\d+)?%$/.test(input)) return { value: input };
  return { error: `expected a tolerance such as 5 or "10%", got ${describeValue(input)}` };
});

/**
 * One answer field of an exercise. Graded either against a fixed `answer` (a diagnosis) or
 * against what the run measures at `measure` (a prediction), within `tolerance` for numbers.
 */
export const questionSchema = strictMap(
  {
    id: questionId,
    prompt: text('a question in Markdown'),
    type: oneOf(['number', 'choice', 'text']),
    choices: list(text('a choice', 200), 'choices', 32).optional(),
    unit: text('a unit such as datagrams', 32).optional(),
    /** Must be answered before the exercise runs. */
    predict: bool.optional(),
    answer: z
      .union([z.number(), z.string()], { error: expecting('a number or a text') })
      .optional(),
    measure: text('a path into the run report such as hosts.h1.snmp.Udp.RcvbufErrors').optional(),
    tolerance: tolerance.optional(),
  },
  'a question such as { id: bin, prompt: ..., type: number, answer: 4 }',
).superRefine((q, ctx) => {
  const add = (message: string, path: PathSegment[] = []) =>
    ctx.addIssue({ code: 'custom', message, path });
  if ((q.answer === undefined) === (q.measure === undefined))
    add('expected exactly one of answer (the right answer) or measure (a report path)');
  if (q.type === 'choice') {
    if (!q.choices?.length) add('a choice question needs choices', ['choices']);
    else if (q.answer !== undefined && !q.choices.includes(String(q.answer)))
      add(`expected one of the choices (${q.choices.join(', ')}), got ${describeValue(q.answer)}`, [
        'answer',
      ]);
  } else if (q.choices !== undefined) add(`only a choice question has choices`, ['choices']);
  if (q.type === 'number' && q.answer !== undefined && typeof q.answer !== 'number')
    add(`expected a number, got ${describeValue(q.answer)}`, ['answer']);
  if (q.type !== 'number' && (q.measure !== undefined || q.tolerance !== undefined))
    add('measure and tolerance are for number questions', [
      q.measure !== undefined ? 'measure' : 'tolerance',
    ]);
});

/**
 * One automatic check of an exercise: a value of the run's report (`path`,
 * e.g. `hosts.h1.fates.notJoined`) or the output of a shell command on a host
 * (`host` + `command`), compared with exactly one operator; or the grade of
 * one of the exercise's questions (`answer: id`).
 */
export const checkSchema = strictMap(
  {
    title: text('a title'),
    path: text('a path into the run report such as hosts.h1.fates.notJoined').optional(),
    host: text('a host name').optional(),
    command: text('a shell command such as "ifconfig eth0"').optional(),
    answer: text('a question id').optional(),
    /** How to show the values: `ns` as a duration, `bytes`, or a word printed after the number. */
    unit: text('a unit such as ns, bytes or datagrams', 32).optional(),
    equals: scalar.optional(),
    notEquals: scalar.optional(),
    gt: number.optional(),
    gte: number.optional(),
    lt: number.optional(),
    lte: number.optional(),
    contains: scalar.optional(),
    notContains: scalar.optional(),
  },
  'a check such as { title: ..., path: hosts.h1.fates.delivered, gt: 0 }',
).superRefine((c, ctx) => {
  const ops = CHECK_OPS.filter((op) => c[op] !== undefined);
  const byPath = c.path !== undefined;
  const byCommand = c.host !== undefined || c.command !== undefined;
  if (c.answer !== undefined) {
    if (ops.length > 0 || byPath || byCommand)
      ctx.addIssue({
        code: 'custom',
        message: `an answer check takes only title and answer, got ${[...ops, ...(byPath ? ['path'] : []), ...(byCommand ? ['host/command'] : [])].join(' and ')}`,
      });
    return;
  }
  if (ops.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: `expected exactly one of ${CHECK_OPS.join(', ')}, got ${ops.length === 0 ? 'none' : ops.join(' and ')}`,
    });
  }
  if (byPath === byCommand || (byCommand && (c.host === undefined || c.command === undefined))) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected either path, or host and command, or answer',
    });
  }
});

export const solutionStep = strictMap(
  { host: text('a host name'), run: text('a shell command') },
  'a step such as { host: h1, run: "ifconfig eth1 irq 5 up" }',
);
export const solutionSteps = list(solutionStep, 'solution steps', 100);

/**
 * A driver exercise's solution: the driver that replaces the student's on an interface, the
 * card's reference driver unless `file` names one beside the lab file.
 */
export const solutionDriver = strictMap(
  {
    host: text('a host name'),
    dev: text('an interface name'),
    file: driverFile.optional(),
  },
  'a driver such as { host: h1, dev: eth0 } (the reference driver) or { host: h1, dev: eth0, file: mine.js }',
);

/** A region of a reference driver, as it marks it: `// exercise: make-mc-bits`. */
export const REGION_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * A driver exercise's starter: the driver file an interface names, made (when the lab's folder
 * has no such file yet) from the card's reference driver with each marked region named here
 * replaced by its stub. One copy of each driver serves every exercise on it; the student edits
 * and saves the derived text as an ordinary file.
 */
export const starterSchema = strictMap(
  {
    /** The file, as an interface's `driver: { file }` names it. */
    file: driverFile,
    /** Comment lines put above the derived driver: what the exercise leaves to write. */
    header: text('a header comment', 4000).optional(),
    /** Region name to the code that replaces it (the TODO), indented as the region's marker. */
    replace: z
      .record(
        z.string().regex(REGION_NAME, { error: 'expected a region name such as make-mc-bits' }),
        text('the code that replaces the region', 20_000),
        { error: expecting('a map of region name to code, such as { make-mc-bits: ... }') },
      )
      .refine((r) => Object.keys(r).length > 0, { error: 'expected at least one region' }),
  },
  'a starter such as { file: mine.js, replace: { make-mc-bits: ... } }',
);

/**
 * What a solver does: shell steps (as root) and the answers given. The older form, a list of
 * steps alone, still loads (as `{ steps }`).
 */
export const solutionSchema = z.union(
  [
    solutionSteps.transform(
      (
        steps,
      ): {
        steps?: typeof steps;
        answers?: Record<string, string | number>;
        drivers?: { host: string; dev: string; file?: string }[];
      } => ({ steps }),
    ),
    strictMap(
      {
        steps: solutionSteps.optional(),
        /** Driver exercises: the drivers that solve it, loaded in place of the student's. */
        drivers: list(solutionDriver, 'solution drivers', 16).optional(),
        answers: z
          .record(z.string(), z.union([z.number(), z.string()]), {
            error: expecting('a map of question id to answer such as { bin: 4 }'),
          })
          .optional(),
      },
      'a solution such as { steps: [...], answers: { bin: 4 } }',
    ),
  ],
  { error: expecting('a solution such as { steps: [...], answers: { bin: 4 } }') },
);

/** An exercise: what to do, the answer fields, hints, what solves it, and its checks. */
export const exerciseSchema = strictMap(
  {
    title: text('a title'),
    /** One sentence on what it teaches: the start screen and the exercise list show it. */
    summary: text('one sentence', 400).optional(),
    level: oneOf(['beginner', 'intermediate', 'advanced']).optional(),
    /** Its place in the curriculum (ascending). */
    order: int(0, 100_000).optional(),
    kind: oneOf(['configure', 'diagnose', 'predict']).optional(),
    instructions: text('instructions in Markdown', 200_000),
    questions: list(questionSchema, 'questions', 32).optional(),
    hints: list(text('a hint in Markdown', 20_000), 'hints', 16).optional(),
    solution: solutionSchema.optional(),
    /** Driver exercises: the starter driver, derived from the card's reference driver. */
    starter: starterSchema.optional(),
    /** Shown once every check passes: what proves it, with links into the window. */
    explanation: text('an explanation in Markdown', 50_000).optional(),
    /** How long the lab runs (after the solution) before the checks. */
    run: duration(0, 3600e9, 'how long to run before checking').optional(),
    checks: list(checkSchema, 'checks', 100),
  },
  'a map such as { title: ..., instructions: ..., checks: [...] }',
).superRefine((e, ctx) => {
  const add = (path: PathSegment[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  const ids = new Map<string, number>();
  (e.questions ?? []).forEach((q, i) => {
    if (ids.has(q.id))
      add(
        ['questions', i, 'id'],
        `duplicate question id "${q.id}" (also questions[${ids.get(q.id)}])`,
      );
    else ids.set(q.id, i);
  });
  const known = () => (ids.size ? [...ids.keys()].join(', ') : 'none');
  e.checks.forEach((c, i) => {
    if (c.answer !== undefined && !ids.has(c.answer))
      add(
        ['checks', i, 'answer'],
        `no question "${c.answer}"${didYouMean(c.answer, ids.keys())} (the questions are ${known()})`,
      );
  });
  for (const [id, value] of Object.entries(e.solution?.answers ?? {})) {
    const q = e.questions?.[ids.get(id) ?? -1];
    if (!q)
      add(
        ['solution', 'answers', id],
        `no question "${id}"${didYouMean(id, ids.keys())} (the questions are ${known()})`,
      );
    else if (q.type === 'number' && typeof value !== 'number')
      add(['solution', 'answers', id], `expected a number, got ${describeValue(value)}`);
  }
});

export type QuestionSpec = z.output<typeof questionSchema>;
export type CheckSpec = z.output<typeof checkSchema>;
export type ExerciseSpec = z.output<typeof exerciseSchema>;
export type StarterSpec = z.output<typeof starterSchema>;
