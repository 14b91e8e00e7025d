import type { Kernel } from '../../kernel/kernel';
import { ROOT, USER, type Cred } from '../../netdev/cred';
import type { Host } from '../host';
import { driverModules } from '../modules';
import { exit, help, history, jobs, kill, su } from './builtins';
import { bridge } from './bridge';
import { cable } from './cable';
import { cat } from './cat';
import type { Command, CommandContext } from './context';
import { ifconfig } from './ifconfig';
import { ip } from './ip';
import { noteQdiscs } from './ip-link';
import { ShellJob } from './job';
import { lsmod, modprobe, rmmod } from './modprobe';
import { nicctl } from './nicctl';
import { ping } from './ping';
import { sysctl } from './sysctl';
import { tcpdump } from './tcpdump';
import { tokenize } from './tokenize';
import { udprecv } from './udprecv';

const COMMANDS: Record<string, Command> = {
  bridge,
  cable,
  cat,
  exit,
  help,
  history,
  ifconfig,
  ip,
  jobs,
  kill,
  lsmod,
  modprobe,
  nicctl,
  ping,
  rmmod,
  su,
  sysctl,
  tcpdump,
  udprecv,
};

/** bash's status for a command it cannot find. */
const NOT_FOUND = 127;
/** The next process id for a background job on each host: made up, but distinct on the host. */
const nextPid = new WeakMap<Host, number>();

/**
 * A shell on one host: it runs command lines as the current user (root
 * first; `su user` and `exit` switch), keeps their history, and returns a
 * ShellJob per line. Every command acts through the kernel's own entry points
 * (interface ioctls, sysctls with the caller's credential, sockets), so what
 * a user may do is what the kernel allows. Jobs that run on (ping) do not
 * block the shell: a UI may interrupt them with `job.interrupt()`.
 */
export class Shell {
  readonly history: string[] = [];
  private current: Cred = ROOT;
  /** Accounts to return to on `exit`, innermost last. */
  private readonly suStack: Cred[] = [];
  /** Jobs still running (in simulated time). */
  readonly running: ShellJob[] = [];
  /** Jobs started with `&`, by job number (`jobs`, `kill %N`). */
  readonly background = new Map<number, { pid: number; job: ShellJob }>();

  constructor(readonly host: Host) {
    // The module table notes each card's burnt-in MAC now, before any command can change it.
    driverModules(host);
  }

  get kernel(): Kernel {
    return this.host.kernel;
  }

  get cred(): Cred {
    return this.current;
  }

  get userName(): string {
    return this.current.uid === 0 ? 'root' : 'user';
  }

  /** `root@h0:~# ` or `user@h0:~$ ` */
  get prompt(): string {
    return `${this.userName}@${this.host.name}:~${this.current.uid === 0 ? '#' : '$'} `;
  }

  /** Runs one command line. The job is usually done on return; check `done`, or wait on `onDone`. */
  exec(line: string): ShellJob {
    const job = new ShellJob(line);
    const words = tokenize(line);
    if (!Array.isArray(words)) {
      this.history.push(line);
      job.print(`bash: ${words.error}`);
      job.finish(2);
      return job;
    }
    if (words.length === 0) {
      job.finish(0);
      return job;
    }
    this.history.push(line);
    // `COMMAND &`: run it in the background; the prompt comes back at once.
    if (line.trimEnd().endsWith('&') && words[words.length - 1].endsWith('&')) {
      const last = words.pop()!.slice(0, -1);
      if (last !== '') words.push(last);
      if (words.length === 0) {
        job.print("bash: syntax error near unexpected token `&'");
        job.finish(2);
        return job;
      }
      return this.runInBackground(job, words);
    }
    const status = this.run(job, words);
    if (status !== null) job.finish(status);
    else if (!job.done) {
      this.running.push(job);
      job.onDone.push(() => this.running.splice(this.running.indexOf(job), 1));
    }
    return job;
  }

  /**
   * Runs `line` inside `job` as the current account (`su -c`): its output goes to the job.
   * A command that would run on in simulated time (ping) is refused here.
   */
  runLine(job: ShellJob, line: string): number {
    const words = tokenize(line);
    if (!Array.isArray(words)) {
      job.print(`bash: ${words.error}`);
      return 2;
    }
    if (words.length === 0) return 0;
    const inner = new ShellJob(line);
    const status = this.run(inner, words);
    if (status === null && !inner.done) {
      inner.interrupt();
      job.print(
        ...inner.output,
        `su: -c runs commands that finish at once; run ${words[0]} after su`,
      );
      return 1;
    }
    job.print(...inner.output);
    return status ?? 0;
  }

  /** Runs one command's words in `job`; null when it runs on in simulated time. */
  private run(job: ShellJob, words: string[]): number | null {
    const [name, ...args] = words;
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) {
      job.print(`bash: ${name}: command not found`);
      return NOT_FOUND;
    }
    const ctx: CommandContext = {
      shell: this,
      host: this.host,
      kernel: this.host.kernel,
      cred: this.current,
      job,
    };
    noteQdiscs(this.host.kernel);
    let status: number | null;
    try {
      status = command(ctx, args);
    } catch (e) {
      // A bug in a command must not take the shell (or the lab) down with it.
      job.print(`bash: ${name}: internal error: ${e instanceof Error ? e.message : String(e)}`);
      status = 1;
    }
    noteQdiscs(this.host.kernel);
    return status;
  }

  /**
   * bash's `&`: prints `[N] PID` and returns at once. A command that finished inside
   * `exec` shows its output after that line; one that runs on (tcpdump, ping) keeps
   * running, its further output unseen, until it ends or `kill %N` interrupts it.
   */
  private runInBackground(job: ShellJob, words: string[]): ShellJob {
    let n = 1;
    while (this.background.has(n)) n++;
    const pid = nextPid.get(this.host) ?? 4242;
    nextPid.set(this.host, pid + 1);
    const bg = new ShellJob(words.join(' '));
    job.print(`[${n}] ${pid}`);
    const status = this.run(bg, words);
    if (status !== null) {
      job.print(...bg.output);
      bg.finish(status);
    } else if (!bg.done) {
      this.background.set(n, { pid, job: bg });
      bg.onDone.push(() => this.background.delete(n));
    }
    job.finish(0);
    return job;
  }

  /** Ctrl-C for every running job (in the foreground: background jobs need `kill`). */
  interruptAll(): void {
    for (const job of [...this.running]) job.interrupt();
  }

  /** Called by `su`: becomes `who`, remembering whom to return to. */
  su(who: 'root' | 'user'): void {
    this.suStack.push(this.current);
    this.current = who === 'root' ? ROOT : USER;
  }

  /** Called by `exit`: back to the account before the last `su` (none: stays). */
  exitSu(): void {
    const prev = this.suStack.pop();
    if (prev) this.current = prev;
  }
}
