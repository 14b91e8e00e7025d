import { Command, CommanderError } from 'commander';
import { collect } from './collect';
import { CliError, EXIT_BAD_INPUT, EXIT_FAILURE } from './errors';
import { forTerminal } from './terminal-text';

/**
 * The `netlab` command: headless runs of lab files. Exit codes: 0 done,
 * 2 bad input (a bad lab file, option or name), 1 anything else.
 *
 * Each subcommand's module is imported when it runs: in the bundle (bin/cli-bundle.mjs) they
 * are separate chunks, so `--help` loads no lab code and `validate` no simulator.
 */
// A reader that goes away (`netlab grade DIR | head -1`) ends the output; it is not a crash.
// Stop quietly, as a Unix tool stopped by SIGPIPE does, with the exit code decided so far.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });

const program = new Command('netlab')
  .description('netlab: emulated Linux hosts, NICs and a shared Ethernet segment, headless')
  .exitOverride()
  .showHelpAfterError();

program
  .command('run')
  .argument('<lab>', 'lab file (YAML or JSON)')
  .description('run a lab and print its statistics')
  .option('--for <duration>', 'simulated time to run, e.g. 500ms or 2s', '1s')
  .option('--seed <n>', "override the lab file's seed")
  .option('--pcap <dir>', 'write HOST-DEV.pcap per capture point (and segment.pcap) into DIR')
  .option('--pcapng <file>', 'write every capture point into one pcapng file')
  .option('--json <file>', 'write every counter as JSON')
  .option('--realtime', 'run the simulated clock no faster than the wall clock')
  .option(
    '--capture-limit <size>',
    "the capture's memory budget, e.g. 64MiB or 1GiB (default: the lab file's captureLimit, or 128MiB); past it the oldest frames are overwritten",
  )
  .option(
    '--port <local:host:port>',
    'an external port: frames as UDP datagrams, listening on LOCAL, sending to HOST:PORT ' +
      '(repeatable; implies --realtime; Ctrl-C ends the run early)',
    collect,
  )
  .option('--port-bind <addr>', 'the address ports listen on (default 127.0.0.1)')
  .option('--ports', "open the lab file's own ports (a lab file opens none by itself)")
  .option(
    '--expose-ports',
    "let the lab file's ports listen beyond 127.0.0.1, and ports send to broadcast or multicast addresses",
  )
  .action(async (lab: string, opts) => {
    await (await import('./load-lab')).prepareSession(lab);
    return (await import('./run')).runCommand(lab, opts);
  });

program
  .command('shell')
  .argument('<lab>', 'lab file')
  .argument('<host>', 'host name')
  .description("a host's shell: interactive, or the commands given with -c")
  .option('-c, --command <cmds>', 'commands to run, separated by ";"')
  .option('--after <duration>', 'run the lab this long before the commands', '0s')
  .option('--seed <n>', "override the lab file's seed")
  .option('--capture-limit <size>', "the capture's memory budget, e.g. 64MiB (as for run)")
  .option(
    '--port <local:host:port>',
    'an external port (as for run): the lab then runs in real time, in the background',
    collect,
  )
  .option('--port-bind <addr>', 'the address ports listen on (default 127.0.0.1)')
  .option('--ports', "open the lab file's own ports (a lab file opens none by itself)")
  .option(
    '--expose-ports',
    "let the lab file's ports listen beyond 127.0.0.1, and ports send to broadcast or multicast addresses",
  )
  .action(async (lab: string, host: string, opts) => {
    await (await import('./load-lab')).prepareSession(lab);
    process.exitCode = await (await import('./shell')).shellCommand(lab, host, opts);
  });

program
  .command('validate')
  .argument('<lab>', 'lab file')
  .description('check a lab file: exit 0, or print every error and exit 2')
  .action(async (lab: string) => (await import('./validate')).validateCommand(lab));

program
  .command('check')
  .argument('<lab>', 'an exercise lab file')
  .description("run an exercise's lab and its checks: PASS/FAIL for each, exit 0 when all pass")
  .option('--solution', "apply the exercise's solution first (its steps and its answers)")
  .option(
    '--answer <id=value>',
    "an answer to one of the exercise's questions (repeatable)",
    collect,
  )
  .option('--for <duration>', "simulated time to run (default: the exercise's run, or 1s)")
  .option('--seed <n>', "override the lab file's seed")
  .action(async (lab: string, opts) => {
    await (await import('./load-lab')).prepareSession(lab);
    process.exitCode = (await import('./check')).checkCommand(lab, opts);
  });

program
  .command('grade')
  .argument('<attempts...>', 'handed-in attempt files (*.attempt.yaml), or directories of them')
  .description(
    "re-run students' handed-in attempts: each one's verdicts, and whether the window showed the same",
  )
  .option(
    '--jobs <n>',
    'attempts graded at once, each on a thread of its own (default: half the cores, at least 1; 1 grades them one after another in this process)',
  )
  .action(async (attempts: string[], opts) => {
    // The worker threads' script is found beside this entry (main.ts, or the bundle's main.mjs).
    process.exitCode = await (
      await import('./grade')
    ).gradeCommand(attempts, opts, import.meta.url);
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Commander has printed the problem (or the help/version it was asked for).
    process.exitCode = e.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
  } else if (e instanceof CliError) {
    process.stderr.write(`netlab: ${forTerminal(e.message)}\n`);
    process.exitCode = e.exitCode;
  } else {
    process.stderr.write(`netlab: ${forTerminal(e instanceof Error ? e.message : String(e))}\n`);
    process.exitCode = EXIT_FAILURE;
  }
}
