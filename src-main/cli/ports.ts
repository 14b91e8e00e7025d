import { createInterface } from 'node:readline';
import type { ShellJob } from '../lab/host/shell/job';
import type { Shell } from '../lab/host/shell/shell';
import { SECOND } from '../lab/sim/time';
import type { LabSession } from '../lab/labfile/session';
import { runRealtime, type RealtimeResult } from '../net/realtime';
import {
  DEFAULT_BIND,
  nonUnicast,
  parsePortSpec,
  portExposure,
  UdpPort,
  type UdpEndpoint,
  type UdpPortCounters,
} from '../net/udp-port';
import { CliError, EXIT_BAD_INPUT, EXIT_FAILURE } from './errors';
import { textTable } from './table';
import { forTerminal } from './terminal-text';

/** The options `run` and `shell` take for external ports. */
export interface PortOptions {
  /** `--port 7000:127.0.0.1:7001`, repeatable. */
  port?: string[];
  /** `--port-bind ADDR`: where the ports listen (default 127.0.0.1). */
  portBind?: string;
  /** `--ports`: open the lab file's own ports (never opened without it). */
  ports?: boolean;
  /** `--expose-ports`: a lab file's port may listen beyond loopback, a port send to a group. */
  exposePorts?: boolean;
}

/**
 * Opens every `--port`, and with `--ports` the lab file's `ports`, on the session's segment: a
 * UDP socket on the local port (`--port-bind`, or 127.0.0.1 unless asked), sending to the
 * remote address. A lab file does not open sockets by itself: without `--ports` its ports are
 * named on stderr and left closed. A port listening beyond loopback (from the file) or sending
 * to a broadcast or multicast address needs `--expose-ports` (`--port-bind` is its own consent
 * for `--port`s). Bad specs are bad input (exit 2); a port that cannot be bound (in use, an
 * address this machine does not have) fails with exit 1.
 */
export async function openPorts(session: LabSession, opts: PortOptions): Promise<UdpPort[]> {
  const specs = opts.port ?? [];
  if (specs.length === 0 && opts.portBind !== undefined)
    throw new CliError('--port-bind: only with --port', EXIT_BAD_INPUT);
  const bind = opts.portBind ?? DEFAULT_BIND;
  const filePorts = session.built.spec.ports ?? [];
  if (filePorts.length > 0 && !opts.ports) {
    const list = filePorts
      .map(
        (p) => `${p.name} (${p.listen.host}:${p.listen.port} → ${p.remote.host}:${p.remote.port})`,
      )
      .join(', ');
    process.stderr.write(
      forTerminal(
        `netlab: the lab file's ports are not opened: ${list}; add --ports to open them\n`,
      ),
    );
  }
  const wanted: {
    name: string;
    local: UdpEndpoint;
    remote: UdpEndpoint;
    what: string;
    segment?: string;
  }[] = (opts.ports ? filePorts : []).map((p) => ({
    name: p.name,
    local: p.listen,
    remote: p.remote,
    what: `port ${p.name}`,
    segment: p.segment,
  }));
  const exposure = wanted.flatMap((w) => portExposure(w.name, w.local, w.remote));
  for (const text of specs) {
    const p = parsePortSpec(text);
    if ('error' in p) throw new CliError(`--port: ${p.error}`, EXIT_BAD_INPUT);
    const local = { host: bind, port: p.local };
    const group = nonUnicast(p.remote.host);
    if (group !== null) exposure.push(`--port ${text} sends to ${group}`);
    wanted.push({ name: `udp:${p.local}`, local, remote: p.remote, what: `--port ${text}` });
  }
  if (exposure.length > 0 && !opts.exposePorts)
    throw new CliError(
      `${exposure.join('; ')}: add --expose-ports if that is what you mean`,
      EXIT_BAD_INPUT,
    );
  const ports: UdpPort[] = [];
  try {
    for (const w of wanted) {
      let port: UdpPort;
      try {
        const lab = session.lab;
        const segment = w.segment === undefined ? lab.segment : lab.segmentByName(w.segment);
        port = new UdpPort(segment, { name: w.name, local: w.local, remote: w.remote });
      } catch (e) {
        throw new CliError(`--port-bind: ${(e as Error).message}`, EXIT_BAD_INPUT);
      }
      ports.push(port);
      try {
        await port.open();
      } catch (e) {
        throw new CliError(
          `${w.what}: cannot listen on ${w.local.host}:${w.local.port}: ${(e as Error).message}`,
          EXIT_FAILURE,
        );
      }
    }
  } catch (e) {
    await closePorts(ports);
    throw e;
  }
  return ports;
}

export async function closePorts(ports: UdpPort[]): Promise<void> {
  for (const p of ports) await p.close();
}

/** Ends a real-time run on Ctrl-C or SIGTERM (the report is still printed); returns the undo. */
function stopOnSignals(controller: AbortController): () => void {
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
}

/**
 * `netlab run --port …`: the lab in real time at 1× for `duration` of
 * simulated time, or until Ctrl-C / SIGTERM, with datagrams taken in between
 * 1 ms steps. Prints where the ports listen first, on stderr.
 */
export async function runWithPorts(
  session: LabSession,
  ports: UdpPort[],
  duration: number,
  onProgress?: (simNs: number) => void,
): Promise<RealtimeResult> {
  for (const p of ports) {
    const c = p.counters();
    process.stderr.write(
      `netlab: port ${c.name} listening on ${c.local}, sending to ${c.remote}\n`,
    );
  }
  const controller = new AbortController();
  const undo = stopOnSignals(controller);
  const t0 = session.lab.now;
  let lastUpdate = 0;
  try {
    const r = await runRealtime(session.lab, duration, {
      inputs: ports,
      signal: controller.signal,
      onSlice: onProgress
        ? () => {
            const now = session.lab.now;
            if (now - lastUpdate >= SECOND / 10) {
              lastUpdate = now;
              onProgress(now - t0);
            }
          }
        : undefined,
    });
    process.stderr.write(
      `netlab: ran ${(r.simNs / SECOND).toFixed(3)} s in real time` +
        `${r.ended === 'signal' ? ' (interrupted)' : ''}; largest lag ${(r.maxLagNs / 1e6).toFixed(1)} ms` +
        `${r.lagResets > 0 ? `, fell behind ${r.lagResets} times` : ''}\n`,
    );
    return r;
  } finally {
    undo();
  }
}

/** The ports' counters as a text table, for `run`'s output. */
export function renderPorts(ports: UdpPortCounters[]): string {
  return textTable(
    [
      'port',
      'local',
      'remote',
      'datagrams in',
      'datagrams out',
      'to outside',
      'from outside',
      'malformed',
      'queue drops',
      'tx errors',
      'wire errors',
      'send errors',
      'foreign',
    ],
    ports.map((p) => [
      p.name,
      p.local,
      p.remote,
      p.datagramsIn,
      p.datagramsOut,
      p.toOutside,
      p.fromOutside,
      p.malformed,
      p.queueDrops,
      p.txErrors,
      p.wireErrors,
      p.sendErrors,
      p.foreign,
    ]),
  );
}

/** Longest a command may keep running before the shell interrupts it (wall time, as simulated). */
const JOB_LIMIT = 120 * SECOND;

/**
 * `netlab shell --port …`: the lab runs in real time in the background for
 * the whole session (the outside keeps talking while a command waits or the
 * user types); each command line runs to its end before the next. With
 * `commands` (from -c) it returns the last one's status; otherwise lines are
 * read from the terminal.
 */
export async function shellWithPorts(
  session: LabSession,
  shell: Shell,
  ports: UdpPort[],
  after: number,
  commands: string[] | null,
  print: (text: string) => void,
): Promise<number> {
  for (const p of ports) {
    const c = p.counters();
    process.stderr.write(
      `netlab: port ${c.name} listening on ${c.local}, sending to ${c.remote}\n`,
    );
  }
  const lab = session.lab;
  const waiters: { at: number; resolve: () => void }[] = [];
  const controller = new AbortController();
  const undo = stopOnSignals(controller);
  const runner = runRealtime(lab, Infinity, {
    inputs: ports,
    signal: controller.signal,
    onSlice: () => {
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (lab.now >= waiters[i].at) waiters.splice(i, 1)[0].resolve();
      }
    },
  });
  const until = (ns: number) =>
    new Promise<void>((resolve) => waiters.push({ at: lab.now + ns, resolve }));
  let current: ShellJob | null = null;
  // A line runs to its end, or to the limit, or until Ctrl-C ends the session.
  const runLine = async (line: string): Promise<number> => {
    const job = shell.exec(line);
    current = job;
    for (const l of job.output) print(l);
    job.onOutput.push((l) => print(l));
    if (!job.done) {
      await Promise.race([
        new Promise<void>((resolve) => job.whenDone(() => resolve())),
        until(JOB_LIMIT),
        new Promise<void>((resolve) =>
          controller.signal.addEventListener('abort', () => resolve()),
        ),
      ]);
    }
    if (!job.done) job.interrupt();
    current = null;
    return job.exitCode;
  };
  try {
    await Promise.race([
      until(after),
      new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve())),
    ]);
    let status = 0;
    if (commands !== null) {
      for (const line of commands) {
        if (controller.signal.aborted) break;
        if (line.trim() === '') continue;
        status = await runLine(line);
      }
      return status;
    }
    const rl = createInterface({
      input: process.stdin,
      output: process.stdout,
      prompt: shell.prompt,
    });
    controller.signal.addEventListener('abort', () => rl.close());
    // Ctrl-C at the terminal stops the running command (ping), or ends the session at the prompt.
    rl.on('SIGINT', () => {
      if (current === null || !current.interrupt()) controller.abort();
    });
    rl.prompt();
    for await (const line of rl) {
      status = await runLine(line);
      rl.setPrompt(shell.prompt);
      rl.prompt();
    }
    return status;
  } finally {
    controller.abort();
    await runner;
    undo();
  }
}
