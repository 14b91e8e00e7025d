/**
 * What the kernel says about a student driver: an oops (the driver threw, looped
 * past its budget, ran out of memory or broke a rule the kernel cannot let
 * pass; the device is marked broken) or a warning (a rule broken, the device
 * goes on), each with the place in the student's file it concerns.
 */
export interface DriverReport {
  severity: 'oops' | 'warning';
  /** One line in the kernel's words: "BUG: soft lockup in open", "skb leak". */
  title: string;
  /** What happened and what the rule is, for a student. */
  message: string;
  file: string;
  /** 1-based; 0 when no line of the student's file is involved. */
  line: number;
  column: number;
  /** The student's call stack, innermost first ("at interrupt (ne2k.js:88:5)"). */
  stack: string;
  /** The op the kernel was in (open, interrupt, startXmit…). */
  op: string;
  /** Simulated time, ns. */
  time: number;
}

/** An error thrown out of the sandbox: the oops to report. */
export class DriverOops extends Error {
  constructor(readonly report: DriverReport) {
    super(`${report.title}: ${report.message}`);
  }
}

/** Where in `file` a QuickJS stack points first: its line and column, 0 if nowhere. */
export function firstFrameIn(stack: string, file: string): { line: number; column: number } {
  for (const m of stack.matchAll(/\(?([^\s()]+):(\d+):(\d+)\)?/g)) {
    if (m[1] === file) return { line: Number(m[2]), column: Number(m[3]) };
  }
  return { line: 0, column: 0 };
}

/** The stack's frames in the student's file only (the kernel's prelude is not theirs to read). */
export function studentFrames(stack: string, file: string): string {
  return stack
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes(`${file}:`))
    .join('\n');
}

/** "ne2k.js:88:5: BUG: soft lockup in open: …" and the stack under it, as the CLI prints it. */
export function formatReport(r: DriverReport): string {
  const where = r.line > 0 ? `${r.file}:${r.line}:${r.column}` : r.file;
  const head = `${where}: ${r.severity === 'oops' ? 'Oops' : 'WARNING'}: ${r.title}: ${r.message}`;
  return r.stack ? `${head}\n${r.stack.replace(/^/gm, '    ')}` : head;
}
