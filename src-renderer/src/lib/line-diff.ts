// A line diff between two texts, in hunks with a few lines of context, as `diff -u` shows one:
// what the solution changes in the student's driver. The texts differ in a few places among
// hundreds of equal lines, so the common head and tail are cut before the longest common
// subsequence is computed over what is left.

export interface DiffLine {
  kind: ' ' | '-' | '+';
  text: string;
  /** 1-based line in the old text (' ' and '-') or the new one ('+'). */
  line: number;
}

export interface DiffHunk {
  /** `@@ -a,b +c,d @@` as diff -u writes it. */
  header: string;
  lines: DiffLine[];
}

/** Past this many cells the middle is shown as all removed then all added (no LCS). */
const MAX_CELLS = 4_000_000;

/** The edit from `a` to `b`, line by line. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++) out.push({ kind: ' ', text: a[i], line: i + 1 });
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const n = am.length;
  const m = bm.length;
  if (n * m > MAX_CELLS) {
    am.forEach((text, i) => out.push({ kind: '-', text, line: head + i + 1 }));
    bm.forEach((text, j) => out.push({ kind: '+', text, line: head + j + 1 }));
  } else {
    // lcs[i][j]: the longest common subsequence of am[i..] and bm[j..].
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i * w + j] =
          am[i] === bm[j]
            ? lcs[(i + 1) * w + j + 1] + 1
            : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && am[i] === bm[j]) {
        out.push({ kind: ' ', text: am[i], line: head + i + 1 });
        i++;
        j++;
      } else if (i < n && (j === m || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
        // Removed lines first, as diff -u writes them.
        out.push({ kind: '-', text: am[i], line: head + i + 1 });
        i++;
      } else {
        out.push({ kind: '+', text: bm[j], line: head + j + 1 });
        j++;
      }
    }
  }
  for (let k = tail; k > 0; k--)
    out.push({ kind: ' ', text: a[a.length - k], line: a.length - k + 1 });
  return out;
}

/** The changes from `a` to `b` in hunks, each with `context` equal lines around it. */
export function diffHunks(a: string, b: string, context = 3): DiffHunk[] {
  // A final newline ends the last line; it does not start another.
  const split = (t: string) => (t === '' ? [] : t.replace(/\n$/, '').split('\n'));
  const lines = diffLines(split(a), split(b));
  const changed = lines.map((l, i) => (l.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  const hunks: DiffHunk[] = [];
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k] - context);
    let end = Math.min(lines.length, changed[k] + context + 1);
    while (k + 1 < changed.length && changed[k + 1] - context <= end) {
      k++;
      end = Math.min(lines.length, changed[k] + context + 1);
    }
    k++;
    const part = lines.slice(start, end);
    // Where the hunk starts in each text: count what came before it.
    let oldAt = 1;
    let newAt = 1;
    for (const l of lines.slice(0, start)) {
      if (l.kind !== '+') oldAt++;
      if (l.kind !== '-') newAt++;
    }
    const oldLen = part.filter((l) => l.kind !== '+').length;
    const newLen = part.filter((l) => l.kind !== '-').length;
    hunks.push({ header: `@@ -${oldAt},${oldLen} +${newAt},${newLen} @@`, lines: part });
  }
  return hunks;
}
