import type { QuestionSpec } from '../labfile/schema';

/** A student's answers, by question id: numbers for number questions, text otherwise. */
export type Answers = Record<string, string | number>;

/**
 * What the student typed, as the question's value, or a message saying what is wrong with it
 * (the window shows it beside the field; `netlab check --answer` prints it).
 */
export function parseAnswer(
  q: QuestionSpec,
  raw: string | number,
): { value: string | number } | { error: string } {
  if (q.type === 'number') {
    const text = String(raw)
      .trim()
      .replace(/[_,](?=\d{3}\b)/g, '');
    const n = typeof raw === 'number' ? raw : text === '' ? NaN : Number(text);
    return Number.isFinite(n) ? { value: n } : { error: `"${raw}" is not a number` };
  }
  const text = String(raw).trim();
  if (text === '') return { error: 'the answer is empty' };
  if (q.type === 'choice') {
    const choice = q.choices!.find((c) => sameText(c, text));
    return choice !== undefined
      ? { value: choice }
      : { error: `"${text}" is not one of ${q.choices!.join(', ')}` };
  }
  return { value: text };
}

/** How far from `right` a number answer may be: the question's tolerance, 0 when it has none. */
export function allowedError(q: QuestionSpec, right: number): number {
  const t = q.tolerance;
  if (t === undefined) return 0;
  return typeof t === 'number' ? t : (Math.abs(right) * Number(t.slice(0, -1))) / 100;
}

/** Whether `given` is right, for a question whose right answer is `right`. */
export function isRight(q: QuestionSpec, given: string | number, right: unknown): boolean {
  if (q.type === 'number') {
    return (
      typeof given === 'number' &&
      typeof right === 'number' &&
      Math.abs(given - right) <= allowedError(q, right)
    );
  }
  return typeof right === 'string' || typeof right === 'number'
    ? sameText(String(given), String(right))
    : false;
}

function sameText(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
