import { createInterface } from 'node:readline';
import { Shell } from '../lab/host/shell/shell';
import type { ShellJob } from '../lab/host/shell/job';
import { MS, SECOND } from '../lab/sim/time';
import type { LabSession } from '../lab/labfile/session';
import { CliError, EXIT_BAD_INPUT } from './errors';
import { durationOption, startSession } from './load-lab';
import { closePorts, openPorts, shellWithPorts, type PortOptions } from './ports';

export interface ShellOptions extends PortOptions {
  command?: string;
  after: string;
  seed?: string;
  captureLimit?: string;
}

/** Longest a command may keep running in simulated time before the CLI interrupts it. */
const JOB_LIMIT = 120 * SECOND;

/**
 * `netlab shell LAB HOST`: the host's shell after the lab ran for `--after`.
 * With `-c "CMD; CMD"` the commands run in order and their output is printed;
 * otherwise commands are read from the terminal. A command that takes
 * simulated time (ping) runs the lab until it is done.
 */
export async function shellCommand(
  labPath: string,
  hostName: string,
  opts: ShellOptions,
): Promise<number> {
  const after = durationOption('--after', opts.after);
  const session = startSession(labPath, opts.seed, opts.captureLimit);
  try {
    const host = session.lab.hosts.find((h) => h.name === hostName);
    if (!host) {
      const names = session.lab.hosts.map((h) => h.name).join(', ');
      throw new CliError(`no host "${hostName}" in ${labPath} (hosts: ${names})`, EXIT_BAD_INPUT);
    }
    const ports = await openPorts(session, opts);
    if (ports.length > 0) {
      // Real time: the lab runs on in the background while commands run and wait.
      try {
        const print = (text: string) => process.stdout.write(text + '\n');
        const lines = opts.command === undefined ? null : opts.command.split(';');
        return await shellWithPorts(session, new Shell(host), ports, after, lines, print);
      } finally {
        await closePorts(ports);
      }
    }
    session.run(after);
    const shell = new Shell(host);
    if (opts.command !== undefined) {
      let status = 0;
      for (const line of opts.command.split(';')) {
        if (line.trim() === '') continue;
        status = runLine(session, shell, line, (text) => process.stdout.write(text + '\n'));
      }
      return status;
    }
    const rl = createInterface({
      input: process.stdin,
      output: process.stdout,
      prompt: shell.prompt,
    });
    rl.prompt();
    for await (const line of rl) {
      runLine(session, shell, line, (text) => process.stdout.write(text + '\n'));
      rl.setPrompt(shell.prompt);
      rl.prompt();
    }
    return 0;
  } finally {
    session.close();
  }
}

/** Runs one command line to completion, printing its output as it comes. */
function runLine(
  session: LabSession,
  shell: Shell,
  line: string,
  print: (text: string) => void,
): number {
  const job: ShellJob = shell.exec(line);
  for (const l of job.output) print(l);
  job.onOutput.push((l) => print(l));
  const t0 = session.lab.now;
  while (!job.done && session.lab.now - t0 < JOB_LIMIT) session.run(100 * MS);
  if (!job.done) job.interrupt();
  return job.exitCode;
}
