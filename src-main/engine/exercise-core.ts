// STAND-IN until the exercise core (src-main/lab/exercise/) lands: the contract's signatures,
// backed by today's evaluator. Replaced by re-exports of the real functions on merge.
import { evaluateChecks as evaluateOld, runSolution } from '../lab/spec/exercise';
import type { CheckResult as OldResult } from '../lab/spec/exercise';
import type { ExerciseSpec as OldSpec } from '../lab/spec/schema';
import type { LabSession } from '../lab/spec/session';

export { runSolution };

export type Answers = Record<string, string | number>;
export type CheckResult = OldResult & { pending?: boolean };

export interface QuestionSpec {
  id: string;
  prompt: string;
  type: 'number' | 'choice' | 'text';
  choices?: string[];
  unit?: string;
  predict?: boolean;
  answer?: string | number;
  measure?: string;
  tolerance?: number | string;
}

export type ExerciseSpec = OldSpec & {
  summary?: string;
  level?: 'beginner' | 'intermediate' | 'advanced';
  order?: number;
  kind?: 'configure' | 'diagnose' | 'predict';
  questions?: QuestionSpec[];
  hints?: string[];
  explanation?: string;
};

export function solutionSteps(e: ExerciseSpec): { host: string; run: string }[] {
  return e.solution ?? [];
}

export function solutionAnswers(e: ExerciseSpec): Answers {
  return e.solution ? {} : {};
}

export function evaluateChecks(
  session: LabSession,
  exercise: ExerciseSpec,
  answers: Answers = {},
): CheckResult[] {
  void answers;
  return evaluateOld(session, exercise.checks);
}

/** Whether check `i` grades an answer alone (nothing the run measures). */
export function isAnswerOnly(exercise: ExerciseSpec, i: number): boolean {
  const c = exercise.checks[i] as { answer?: string };
  if (c.answer === undefined) return false;
  const q = exercise.questions?.find((x) => x.id === c.answer);
  return q !== undefined && q.measure === undefined;
}

export function parseAnswer(q: QuestionSpec, raw: string): string | number | { error: string } {
  const text = raw.trim();
  if (q.type === 'number') {
    const n = Number(text);
    return text === '' || !Number.isFinite(n) ? { error: `expected a number, got "${raw}"` } : n;
  }
  if (q.type === 'choice') {
    return q.choices?.includes(text)
      ? text
      : { error: `expected one of ${(q.choices ?? []).join(', ')}` };
  }
  return text;
}
