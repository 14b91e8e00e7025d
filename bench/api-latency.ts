/**
 * API request latency while the engine runs flat out (issue 7: p99 under 50 ms).
 *
 *   node --import tsx bench/api-latency.ts [--seconds 5] [--interval 5]
 *
 * For each scenario: load a lab into a real engine worker, start it at 'max' speed, and fire a
 * request every `--interval` ms for `--seconds` s, cycling through lab.get, stats.get and a
 * 100-row page of capture.rows at the end of the packet list (the three a UI sends most). Each
 * request goes through ApiServer.handle, as the Electron and web hosts send them (validation
 * included, transport excluded). Prints p50/p99/max latency per scenario, and how fast the lab
 * ran meanwhile, as a table and as JSON. A first, paused scenario is the control: what the
 * machine itself (its scheduler, other processes) adds to a request's round trip.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ApiServer } from '../src-main/server/api-server';
import { BuiltinLabs } from '../src-main/server/builtin-labs';
import { EngineClient } from '../src-main/server/client';
import { RecentFiles } from '../src-main/server/recent-files';
import type { Reply } from '../src-main/ipc/protocol';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const seconds = option('seconds', 5);
const intervalMs = option('interval', 5);

const labsDir = join(import.meta.dirname, '..', 'resources', 'labs');
const hashCollisions = readFileSync(join(labsDir, 'hash-collisions.yaml'), 'utf8');

/**
 * The built-in lab's flood runs for one simulated second at 10,000 pps; here it runs for ever at
 * line rate (148,809 frames/s of 64 bytes), so the engine is busy for the whole measurement, and
 * both captures (h1:eth0 and the segment) grow by about 150,000 frames a simulated second.
 */
const lineRateFlood = hashCollisions
  .replace(/rate: 10000pps/, 'rate: 100Mbps')
  .replace(/\s*stop: 1s,/, '')
  .replace(/^name: hash-collisions/m, 'name: line-rate-flood');

/** Eight hosts joined to the flooded group: every frame is delivered to seven sockets. */
const eightHosts = `name: eight-hosts
seed: 1
segment: { rate: 100Mbps }
hosts:
${Array.from(
  { length: 8 },
  (_, i) => `  - name: h${i}
    interfaces: [{ name: eth0, nic: perfect, ip: 10.0.0.${i + 1}/24 }]
${i > 0 ? '    join: [{ group: 239.1.1.1, port: 5000 }]\n' : ''}`,
).join('')}generators:
  - { name: flood, from: h0, to: "239.1.1.1:5000", rate: 100Mbps, size: 18 }
captures: [segment]
`;

interface Row {
  scenario: string;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  over50Ms: number;
  /** Simulated seconds per wall second meanwhile (at 'max' speed: as fast as it went). */
  realtimeFactor: number;
  framesCaptured: number;
  errors: number;
  /** The machine's 1-minute load average at the end: other work competes for the same cores. */
  loadAvg: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(
  scenario: string,
  text: string,
  fileName: string,
  speed: 'max' | 'paused' = 'max',
): Promise<Row> {
  const engine = new EngineClient();
  const api = new ApiServer({
    host: 'web',
    version: 'bench',
    engine,
    builtins: new BuiltinLabs(labsDir),
    recent: new RecentFiles(null),
  });
  let id = 1;
  const call = (op: string, a: unknown = {}): Promise<Reply> =>
    api.handle({ id: id++, op, args: a });
  try {
    const loaded = await call('lab.load', { text, fileName });
    if (!loaded.ok) throw new Error(`${scenario}: ${loaded.error.message}`);
    if (speed === 'max') await call('run.start', { speed: 'max' });
    // Let it get going (JIT warm-up) before measuring.
    await new Promise((r) => setTimeout(r, 500));
    const start = (await call('run.state')) as { result: { simTimeNs: number } };
    const wall0 = performance.now();

    let total = 0;
    const latencies: number[] = [];
    let errors = 0;
    const inFlight: Promise<void>[] = [];
    const kinds = [
      () => call('lab.get'),
      () => call('stats.get'),
      () => call('capture.rows', { from: Math.max(0, total - 100), count: 100 }),
    ];
    for (let n = 0; performance.now() - wall0 < seconds * 1000; n++) {
      const t0 = performance.now();
      inFlight.push(
        kinds[n % kinds.length]().then((reply) => {
          latencies.push(performance.now() - t0);
          if (!reply.ok) errors++;
          else if (n % kinds.length === 2) total = (reply.result as { total: number }).total;
        }),
      );
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    await Promise.all(inFlight);
    const wall = (performance.now() - wall0) / 1000;
    const end = (await call('run.pause')) as { result: { simTimeNs: number } };
    const state = (await call('stats.get')) as { result: { capture: { count: number } } };
    latencies.sort((a, b) => a - b);
    return {
      scenario,
      requests: latencies.length,
      p50Ms: +percentile(latencies, 50).toFixed(2),
      p99Ms: +percentile(latencies, 99).toFixed(2),
      maxMs: +latencies[latencies.length - 1].toFixed(2),
      over50Ms: latencies.filter((l) => l > 50).length,
      realtimeFactor: +((end.result.simTimeNs - start.result.simTimeNs) / 1e9 / wall).toFixed(3),
      framesCaptured: state.result.capture.count,
      errors,
      loadAvg: +loadavg()[0].toFixed(2),
    };
  } finally {
    await engine.close();
  }
}

const loadBefore = loadavg()[0].toFixed(2);
const rows = [
  // The control: the same requests with the clock stopped measure the machine, not the engine.
  await measure(
    'control: hash-collisions.yaml, paused',
    hashCollisions,
    'hash-collisions.yaml',
    'paused',
  ),
  await measure(
    'hash-collisions.yaml (built-in), max speed',
    hashCollisions,
    'hash-collisions.yaml',
  ),
  await measure('its flood at line rate, 2 captures, max speed', lineRateFlood, 'line-rate.yaml'),
  await measure('8 hosts, line-rate flood to 7 sockets, max speed', eightHosts, 'eight-hosts.yaml'),
];
console.log(`${cpus().length} cores; load average before: ${loadBefore}`);
console.log(
  `API latency: a request every ${intervalMs} ms for ${seconds} s per scenario (lab.get, stats.get, capture.rows × 100)`,
);
console.table(rows);
console.log(
  JSON.stringify({ node: process.version, date: new Date().toISOString().slice(0, 10), rows }),
);
