// The exercise as the engine serves it: the student's view of it (questions without their
// answers), its checks with the pending state before the run, answers, hints, the solution, and
// the attempt file a student hands in. The engine's handlers call these; the clock and the lab's
// replacement stay the engine's.
import { stringify } from 'yaml';
import { apiError } from '../ipc/errors';
import { toLabData } from '../lab/labfile/save';
import { evaluateChecks, parseAnswer } from '../lab/exercise';
import { deriveStarter } from '../lab/exercise/starter';
import type { ExerciseSpec, LabSpec } from '../lab/labfile/schema';
import { SECOND } from '../lab/sim/time';
import type { OpParsedArgs, OpResult } from '../ipc/ops';
import type { ExerciseView } from '../ipc/views';
import type { RegisterCardKind } from '../lab/drivers/cards';
import type { Attempt } from './attempt';
import type { LabState } from './lab-state';

export type ExerciseCheck = OpResult<'exercise.check'>;

/** The attempt file's format version (`netlabAttempt:`). */
export const ATTEMPT_VERSION = 1;

/** The lab's exercise, or the error a lab without one gets. */
export function exerciseOf(spec: LabSpec): ExerciseSpec {
  const exercise = spec.exercise;
  if (!exercise) throw apiError('refused', 'this lab has no exercise', 'op');
  return exercise;
}

/** How long Run exercise runs the lab. */
export function exerciseRunNs(exercise: ExerciseSpec): number {
  return exercise.run ?? SECOND;
}

/**
 * Whether the exercise has run: Run exercise was pressed, or the lab's clock has reached the
 * exercise's stated time some other way (Run and Pause). From then on its checks are graded and
 * its predictions are closed.
 */
export function hasRun(exercise: ExerciseSpec, attempt: Attempt, nowNs: number): boolean {
  return attempt.ran || nowNs >= exerciseRunNs(exercise);
}

export function exerciseView(
  spec: LabSpec,
  attempt: Attempt | null,
  nowNs: number,
): ExerciseView | null {
  const e = spec.exercise;
  if (!e) return null;
  return {
    title: e.title,
    summary: e.summary ?? '',
    level: e.level ?? '',
    kind: e.kind ?? '',
    instructions: e.instructions,
    questions: (e.questions ?? []).map((q) => ({
      id: q.id,
      prompt: q.prompt,
      type: q.type,
      choices: q.choices ?? [],
      unit: q.unit ?? '',
      predict: q.predict === true,
      tolerance: q.tolerance === undefined ? '' : String(q.tolerance),
    })),
    hints: e.hints?.length ?? 0,
    hasSolution:
      steps(e).length > 0 ||
      Object.keys(e.solution?.answers ?? {}).length > 0 ||
      (e.solution?.drivers?.length ?? 0) > 0,
    runNs: exerciseRunNs(e),
    checks: e.checks.map((c) => c.title),
    attempt: {
      answers: { ...(attempt?.answers ?? {}) },
      ran: attempt ? hasRun(e, attempt, nowNs) : false,
      hintsShown: attempt?.hintsShown ?? 0,
      solutionShown: attempt?.solutionShown ?? false,
    },
  };
}

/**
 * The checks now. Until the exercise has run, a check on what the run measures is pending (it
 * cannot have passed yet, and has not failed either); a check of an answer alone is graded.
 */
export function checkExercise(state: LabState, attempt: Attempt): ExerciseCheck {
  const exercise = exerciseOf(state.spec);
  const ran = hasRun(exercise, attempt, state.lab.now);
  let results = evaluateChecks(state.session, exercise, attempt.answers, {
    predictionsLate: [...attempt.late],
  });
  if (!ran) {
    results = results.map((r, i) =>
      isAnswerOnly(exercise, i) ? r : { ...r, pass: false, pending: true },
    );
  }
  const passed = results.filter((r) => r.pass).length;
  return {
    title: exercise.title,
    passed,
    results,
    ran,
    explanation: passed === results.length ? (exercise.explanation ?? '') : '',
  };
}

function steps(e: ExerciseSpec): { host: string; run: string }[] {
  return e.solution?.steps ?? [];
}

/** Whether check `i` grades an answer alone, against a fixed right answer (nothing the run measures). */
function isAnswerOnly(exercise: ExerciseSpec, i: number): boolean {
  const id = exercise.checks[i].answer;
  if (id === undefined) return false;
  return exercise.questions?.find((q) => q.id === id)?.measure === undefined;
}

/**
 * Sets (or with '' clears) one answer, checked against its question. A prediction is refused once
 * the exercise has run; one given after the clock moved at all (Run, then Pause) counts as late.
 */
export function answerQuestion(
  state: LabState,
  attempt: Attempt,
  args: OpParsedArgs<'exercise.answer'>,
): OpResult<'exercise.answer'> {
  const exercise = exerciseOf(state.spec);
  const questions = exercise.questions ?? [];
  const q = questions.find((x) => x.id === args.id);
  if (!q) {
    const ids = questions.map((x) => x.id).join(', ') || 'none';
    throw apiError(
      'not-found',
      `the exercise has no question "${args.id}" (questions: ${ids})`,
      'args.id',
    );
  }
  if (q.predict && hasRun(exercise, attempt, state.lab.now))
    throw apiError(
      'refused',
      'predictions are locked once the exercise has run; Reset to predict again',
      'args.value',
    );
  const raw = String(args.value);
  attempt.late.delete(q.id);
  if (raw.trim() === '') {
    delete attempt.answers[q.id];
  } else {
    if (q.predict && state.lab.now > 0) attempt.late.add(q.id);
    const parsed = parseAnswer(q, args.value);
    if ('error' in parsed) throw apiError('bad-request', `${q.id}: ${parsed.error}`, 'args.value');
    attempt.answers[q.id] = parsed.value;
  }
  return { answers: { ...attempt.answers } };
}

export function showHint(
  spec: LabSpec,
  attempt: Attempt,
  index: number,
): OpResult<'exercise.hint'> {
  const hints = exerciseOf(spec).hints ?? [];
  if (index >= hints.length)
    throw apiError(
      'refused',
      hints.length === 0
        ? 'this exercise has no hints'
        : `no hint ${index + 1}: the exercise has ${hints.length}`,
      'args.index',
    );
  if (index > attempt.hintsShown)
    throw apiError(
      'refused',
      `hints come in order: hint ${attempt.hintsShown + 1} is next`,
      'args.index',
    );
  attempt.hintsShown = Math.max(attempt.hintsShown, index + 1);
  return { text: hints[index], shown: attempt.hintsShown };
}

export function showSolution(state: LabState, attempt: Attempt): OpResult<'exercise.solution'> {
  const exercise = exerciseOf(state.spec);
  const shown = steps(exercise).map((s) => ({ host: s.host, run: s.run }));
  const answers = { ...(exercise.solution?.answers ?? {}) };
  const drivers = solutionDrivers(state, exercise);
  if (shown.length === 0 && Object.keys(answers).length === 0 && drivers.length === 0)
    throw apiError('refused', 'this exercise has no solution', 'op');
  attempt.solutionShown = true;
  return { steps: shown, answers, drivers };
}

/**
 * The drivers that solve a driver exercise, as `netlab check --solution` loads them: the card's
 * reference driver, or the file the solution names, read as the lab was loaded (not as edited).
 */
function solutionDrivers(
  state: LabState,
  exercise: ExerciseSpec,
): OpResult<'exercise.solution'>['drivers'] {
  const out: OpResult<'exercise.solution'>['drivers'] = [];
  for (const d of exercise.solution?.drivers ?? []) {
    const nic = state.lab.hosts.find((h) => h.name === d.host)?.registerNic(d.dev);
    if (!nic || !state.readDriver) continue;
    const card = nic.card.kind as RegisterCardKind;
    let solution;
    try {
      solution = state.readDriver(d.file ?? null, card);
    } catch (e) {
      throw apiError('file', `the solution's driver could not be read: ${(e as Error).message}`);
    }
    // The reference solving a starter made from it: shown as that starter with nothing taken
    // away (its header, no region markers), so it differs from the student's only in the code.
    const starter = exercise.starter;
    const text =
      d.file === undefined && starter !== undefined && starter.file === nic.file
        ? deriveStarter(solution, { ...starter, replace: {} })
        : solution.source;
    out.push({
      host: d.host,
      dev: d.dev,
      file: nic.file,
      card,
      solutionFile: solution.file,
      text,
    });
  }
  return out;
}

/** The attempt file: the lab as loaded, the journal up to now, and the verdicts shown now. */
export function handIn(
  state: LabState,
  attempt: Attempt,
  student: string,
  end: { at: number; events: number },
): OpResult<'exercise.handIn'> {
  const check = checkExercise(state, attempt);
  const data = {
    netlabAttempt: ATTEMPT_VERSION,
    student,
    exercise: check.title,
    file: attempt.fileName,
    seed: attempt.base.seed ?? 1,
    end,
    lab: toLabData(attempt.base),
    // A driver exercise: the drivers the lab started with (the journal has the reloads after).
    ...(Object.keys(attempt.drivers).length > 0 ? { drivers: attempt.drivers } : {}),
    answers: attempt.answers,
    journal: attempt.journal,
    verdicts: check.results.map((r) => ({
      title: r.title,
      pass: r.pass,
      ...(r.pending ? { pending: true } : {}),
    })),
    hints: attempt.hintsShown,
    solutionShown: attempt.solutionShown,
  };
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  const stem = [slug(student), slug(attempt.fileName.replace(/\.(ya?ml|json)$/i, ''))]
    .filter((s) => s !== '')
    .join('-');
  return { fileName: `${stem || 'attempt'}.attempt.yaml`, text: stringify(data) };
}
