/**
 * One command line being run by a Shell. Most commands finish inside `exec`;
 * some (ping) run on in simulated time and finish later. A UI shows `output`
 * as it grows (`onOutput`), and learns the end from `onDone`.
 */
export class ShellJob {
  /** The lines printed so far (stdout and stderr interleaved, as a terminal shows them). */
  readonly output: string[] = [];
  done = false;
  /** The exit status, as `$?` would show it; meaningful once `done`. */
  exitCode = 0;
  /** Called for each line as it is printed. */
  readonly onOutput: ((line: string, job: ShellJob) => void)[] = [];
  /** Called once, when the job finishes (at once for a job that finished inside `exec`). */
  readonly onDone: ((job: ShellJob) => void)[] = [];
  private interruptHandler: (() => void) | null = null;

  constructor(readonly line: string) {}

  /** Prints one line per argument. */
  print(...lines: string[]): void {
    for (const line of lines) {
      this.output.push(line);
      for (const fn of this.onOutput) fn(line, this);
    }
  }

  /** Prints a block of text such as a /proc file: its lines, without the final newline's empty one. */
  printText(text: string): void {
    if (text === '') return;
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    this.print(...lines);
  }

  /** Ends the job with `code`; later calls are ignored. */
  finish(code: number): void {
    if (this.done) return;
    this.done = true;
    this.exitCode = code;
    this.interruptHandler = null;
    for (const fn of this.onDone) fn(this);
  }

  /** Registers `fn` to be called when `onDone` listeners should run, now if already done. */
  whenDone(fn: (job: ShellJob) => void): void {
    if (this.done) fn(this);
    else this.onDone.push(fn);
  }

  /** What Ctrl-C does to a running job (set by commands that run on). */
  setInterruptHandler(fn: () => void): void {
    this.interruptHandler = fn;
  }

  /** Ctrl-C: a running job stops as its command does on SIGINT. False when there was nothing to stop. */
  interrupt(): boolean {
    if (this.done || this.interruptHandler === null) return false;
    this.interruptHandler();
    return true;
  }
}
