/**
 * The real kernel peer: 8 network namespaces (h0 sends, h1–h7 receive), each with a veth whose
 * other end is a port of br0 (multicast snooping off) in a ninth namespace. h0's sender sends
 * 18-byte UDP datagrams to 239.1.1.1:5000 with sendmmsg, paced to the scenario's line rate in
 * frames per second; each receiver joined the group and reads with recvmmsg as fast as it can.
 * Namespaces and processes are removed however the run ends (finally, SIGINT, SIGTERM, exit).
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { Skip } from './build';

export interface KernelResult {
  /** Datagrams per second the sender was asked for (the scenario's line rate). */
  offeredPerSec: number;
  sent: number;
  sendErrors: number;
  /** Datagrams the 7 receivers read, summed. */
  delivered: number;
  /** The sender's wall time. */
  wallSeconds: number;
  /** The sender's CPU time (user + system, softirq work on its behalf included). */
  senderCpuSeconds: number;
  /** Receivers' UDP RcvbufErrors (datagrams dropped at a full socket buffer), summed. */
  rcvbufErrors: number;
}

const PREFIX = 'nlpeer-';
const GROUP = '239.1.1.1';
const PORT = '5000';
const HOSTS = 8;

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** Removes namespaces left by an earlier run of this script whose process is gone. */
function removeStale(): void {
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  for (const line of list.split('\n')) {
    const name = line.split(' ')[0];
    const m = /^nlpeer-(\d+)-/.exec(name);
    if (!m) continue;
    let alive = true;
    try {
      process.kill(Number(m[1]), 0);
    } catch {
      alive = false;
    }
    if (!alive) spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  }
}

/** Owns the namespaces and processes of one kernel run; `cleanup` is synchronous and idempotent. */
class Testbed {
  readonly tag = `${PREFIX}${process.pid}`;
  readonly bridgeNs = `${this.tag}-br`;
  readonly hostNs = Array.from({ length: HOSTS }, (_, i) => `${this.tag}-h${i}`);
  private namespaces: string[] = [];
  private children = new Set<ChildProcess>();
  private readonly onSignal = (sig: NodeJS.Signals) => {
    this.cleanup();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  private readonly onExit = () => this.cleanup();

  constructor() {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    process.on('exit', this.onExit);
  }

  addr(i: number): string {
    return `10.9.0.${i + 1}`;
  }

  private netns(name: string): void {
    ip('netns', 'add', name);
    this.namespaces.push(name);
    ip('-n', name, 'link', 'set', 'lo', 'up');
  }

  setUp(): void {
    this.netns(this.bridgeNs);
    ip('-n', this.bridgeNs, 'link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0');
    ip('-n', this.bridgeNs, 'link', 'set', 'br0', 'up');
    this.hostNs.forEach((ns, i) => {
      this.netns(ns);
      ip(
        '-n',
        this.bridgeNs,
        'link',
        'add',
        `v${i}`,
        'type',
        'veth',
        'peer',
        'name',
        'eth0',
        'netns',
        ns,
      );
      ip('-n', this.bridgeNs, 'link', 'set', `v${i}`, 'master', 'br0', 'up');
      ip('-n', ns, 'addr', 'add', `${this.addr(i)}/24`, 'dev', 'eth0');
      ip('-n', ns, 'link', 'set', 'eth0', 'up');
    });
  }

  spawnIn(ns: string, argv: string[]): ChildProcess {
    // `ip netns exec` execs the program in place (no fork): the child's pid is the program's.
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.add(child);
    child.on('exit', () => this.children.delete(child));
    return child;
  }

  rcvbufErrors(): number {
    let sum = 0;
    for (const ns of this.hostNs.slice(1)) {
      const snmp = execFileSync('ip', ['netns', 'exec', ns, 'cat', '/proc/net/snmp'], {
        encoding: 'utf8',
      });
      const [head, values] = snmp.split('\n').filter((l) => l.startsWith('Udp:'));
      const col = head.split(/\s+/).indexOf('RcvbufErrors');
      sum += Number(values.split(/\s+/)[col]);
    }
    return sum;
  }

  cleanup(): void {
    for (const child of this.children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    this.children.clear();
    for (const ns of this.namespaces.reverse()) {
      spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    }
    this.namespaces = [];
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    process.off('exit', this.onExit);
  }
}

/** Collects a child's stdout lines; resolves `ready` on its first "ready" line. */
function lines(child: ChildProcess) {
  const out: string[] = [];
  let err = '';
  let buf = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    child.on('exit', (code, sig) =>
      reject(new Error(`exited (${code ?? sig}) before it was ready: ${err.trim()}`)),
    );
  });
  ready.catch(() => {});
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      out.push(line);
      if (line === 'ready') onReady();
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, sig) => resolve(code ?? sig ?? -1)),
  );
  return { out, ready, exited, stderr: () => err };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the sender once per entry of `rates` (datagrams per second, 0 = as fast as it can) for
 * `seconds` wall seconds each, with fresh receivers each time. Throws Skip when not root or
 * when network namespaces are unavailable.
 */
export async function runKernel(
  bins: { sender: string; receiver: string },
  rates: number[],
  seconds: number,
): Promise<KernelResult[]> {
  if (process.getuid?.() !== 0) {
    throw new Skip('needs root (network namespaces, veths and a bridge): run as root');
  }
  if (spawnSync('ip', ['-V'], { stdio: 'ignore' }).status !== 0) {
    throw new Skip('iproute2 (`ip`) is not installed (apt-get install iproute2)');
  }
  removeStale();
  const bed = new Testbed();
  try {
    try {
      bed.setUp();
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Skip(`cannot build the namespaces, veths and bridge: ${stderr || String(e)}`);
    }
    const results: KernelResult[] = [];
    for (const rate of rates) {
      const receivers = bed.hostNs.slice(1).map((ns, i) => {
        const child = bed.spawnIn(ns, [bins.receiver, GROUP, PORT, bed.addr(i + 1)]);
        return { child, io: lines(child) };
      });
      await withTimeout(
        Promise.all(receivers.map((r) => r.io.ready)),
        5000,
        'receivers joining the group',
      );
      const errors0 = bed.rcvbufErrors();
      const sender = bed.spawnIn(bed.hostNs[0], [
        bins.sender,
        GROUP,
        PORT,
        bed.addr(0),
        String(rate),
        String(seconds),
      ]);
      const sio = lines(sender);
      const code = await withTimeout(sio.exited, (seconds + 10) * 1000, 'sender');
      if (code !== 0) throw new Error(`sender exited with ${code}: ${sio.stderr()}`);
      const sent = JSON.parse(sio.out.at(-1) ?? '{}') as {
        sent: number;
        sendErrors: number;
        wallSeconds: number;
        cpuSeconds: number;
      };
      await sleep(300); // let the receivers drain their sockets
      for (const r of receivers) r.child.kill('SIGTERM');
      const codes = await withTimeout(
        Promise.all(receivers.map((r) => r.io.exited)),
        5000,
        'receivers stopping',
      );
      let delivered = 0;
      receivers.forEach((r, i) => {
        if (codes[i] !== 0) throw new Error(`receiver h${i + 1} exited with ${codes[i]}`);
        delivered += (JSON.parse(r.io.out.at(-1) ?? '{}') as { received: number }).received;
      });
      results.push({
        offeredPerSec: rate,
        sent: sent.sent,
        sendErrors: sent.sendErrors,
        delivered,
        wallSeconds: sent.wallSeconds,
        senderCpuSeconds: sent.cpuSeconds,
        rcvbufErrors: bed.rcvbufErrors() - errors0,
      });
    }
    return results;
  } finally {
    bed.cleanup();
  }
}
