/**
 * `npm run bench`: throughput of the lab core (issue #3) and of the full stack
 * (issue #9's P1–P4), as tables and JSON. Runs under --expose-gc so heap
 * figures follow full collections. `BENCH_SECONDS=n` scales the simulated time,
 * `BENCH_REPEAT=n` the runs per scenario (the median is shown);
 * `--save-baseline` stores the figures in bench/baseline.json, and every run
 * compares with that baseline, flagging any drop of more than 20%.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { runFlood, type FloodParams } from './flood';
import { runStack, type StackParams } from './stack';
import { STAGES, stageShares } from './stages';

const gc = (globalThis as { gc?: () => void }).gc;
const seconds = Number(process.env.BENCH_SECONDS ?? 1);
/**
 * Runs per scenario; the row shown is the median run by realtime factor. The
 * machine's other tenants move single runs by ±30%, and a median of three is
 * what a regression is judged on.
 */
const repeat = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const here = import.meta.dirname;

function memory(): { heap: number; total: number } {
  // Backing stores of dead ArrayBuffers go only after a second full collection.
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, total: m.heapUsed + m.arrayBuffers };
}

/** Runs `work` and returns the share of wall time the garbage collector took meanwhile. */
async function withGc<T>(work: () => T): Promise<[T, number]> {
  let gcMs = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  obs.observe({ entryTypes: ['gc'] });
  const t0 = performance.now();
  const r = work();
  const wallMs = performance.now() - t0;
  // GC entries reach the observer asynchronously: let them arrive before disconnecting.
  await new Promise((resolve) => setTimeout(resolve, 50));
  obs.disconnect();
  return [r, +(gcMs / wallMs).toFixed(4)];
}

/** Runs `row` `repeat` times and keeps the run with the median realtime factor. */
async function median<R extends { realtimeFactor: number }>(row: () => Promise<R>): Promise<R> {
  const runs: R[] = [];
  for (let i = 0; i < repeat; i++) runs.push(await row());
  runs.sort((a, b) => a.realtimeFactor - b.realtimeFactor);
  return runs[(runs.length - 1) >> 1];
}

async function coreRow(name: string, params: FloodParams) {
  return median(() => coreRun(name, params));
}

async function coreRun(name: string, params: FloodParams) {
  runFlood({ ...params, seconds: params.seconds / 10 }); // warm up the JIT
  const before = memory();
  let during = before;
  const [r, gcShare] = await withGc(() => runFlood(params, () => (during = memory())));
  const wall = r.wallSeconds;
  return {
    scenario: name,
    framesOnWirePerWallSec: Math.round(r.framesOnWire / wall),
    nicReceiveEventsPerWallSec: Math.round(r.nicReceiveEvents / wall),
    realtimeFactor: +(r.simSeconds / wall).toFixed(3),
    heapBytesPerFrameInFlight: Math.round((during.heap - before.heap) / r.peakBuffers),
    totalBytesPerFrameInFlight: Math.round((during.total - before.total) / r.peakBuffers),
    gcShare,
    outstandingAfterTeardown: r.outstandingAfterTeardown,
  };
}

async function stackRow(name: string, params: StackParams) {
  return median(() => stackRun(name, params));
}

async function stackRun(name: string, params: StackParams) {
  runStack({ ...params, seconds: params.seconds / 10 });
  const before = memory();
  let during = before;
  const [r, gcShare] = await withGc(() => runStack(params, () => (during = memory())));
  const wall = r.wallSeconds;
  return {
    scenario: name,
    deliveriesPerWallSec: Math.round(r.socketDeliveries / wall),
    framesOnWirePerWallSec: Math.round(r.framesOnWire / wall),
    realtimeFactor: +(r.simSeconds / wall).toFixed(3),
    nsPerDelivery: +((wall * 1e9) / r.socketDeliveries).toFixed(1),
    nsPerNicEvent: +((wall * 1e9) / r.nicReceiveEvents).toFixed(1),
    heapBytesPerFrameInFlight: Math.round((during.heap - before.heap) / r.peakBuffers),
    captureBytesPerFrame: r.capturedFrames > 0 ? Math.round(r.captureBytes / r.capturedFrames) : 0,
    gcShare,
    rcvbufErrors: r.rcvbufErrors,
    outstandingAfterTeardown: r.outstandingAfterTeardown,
  };
}

const P1: StackParams = {
  hosts: 8,
  bitRate: 100e6,
  seconds,
  senders: 1,
  model: 'perfect',
  capture: false,
};

const core = [
  await coreRow('core: 8 hosts, 100 Mbps, hash64', {
    hosts: 8,
    bitRate: 100e6,
    seconds,
    model: 'hash64',
  }),
  await coreRow('core: 8 hosts, 100 Mbps, perfect', {
    hosts: 8,
    bitRate: 100e6,
    seconds,
    model: 'perfect',
  }),
];
const stack = [
  await stackRow('P1: 8 hosts, 100 Mbps', P1),
  await stackRow('P1 with hash64 (no NAPI)', { ...P1, model: 'hash64' }),
  await stackRow('P2: 8 hosts, 1 Gbps', { ...P1, bitRate: 1e9, seconds: seconds / 5 }),
  await stackRow('P3: 16 hosts, 4 senders', { ...P1, hosts: 16, senders: 4 }),
  await stackRow('P3: 32 hosts, 4 senders', { ...P1, hosts: 32, senders: 4 }),
  await stackRow('P3: 64 hosts, 4 senders', { ...P1, hosts: 64, senders: 4 }),
  await stackRow('P4: P1 + capture everywhere', { ...P1, capture: true }),
];

// What capture costs (P4's target: at most 30% over P1), from P1 and P4 run back to back, so
// both meet the same moment of a shared machine: the median of `repeat` pairs.
const captureCosts: number[] = [];
for (let i = 0; i < repeat; i++) {
  const plain = await stackRun('P1', P1);
  const captured = await stackRun('P4', { ...P1, capture: true });
  captureCosts.push(+(captured.nsPerDelivery / plain.nsPerDelivery - 1).toFixed(3));
}
const captureCost = [...captureCosts].sort((a, b) => a - b)[(repeat - 1) >> 1];

// Where P1's time goes: a separate, profiled run (the profiler slows it down).
const shares = await stageShares(() => runStack({ ...P1, seconds: seconds / 2 }));
const p1 = stack[0];
const stageRow = Object.fromEntries(
  STAGES.map((s) => [s, +(shares[s] * p1.nsPerDelivery).toFixed(1)]),
);

const peakRssMB = +(process.resourceUsage().maxRSS / 1024).toFixed(1);
console.log('Lab core (drivers and segment, no kernel):');
console.table(core);
console.log('Full stack (socket → UDP → IP → driver → segment → driver → IP → UDP → socket):');
console.table(stack);
console.log(
  `P4's capture cost over P1, paired runs: +${(captureCost * 100).toFixed(0)}% median ` +
    `(${captureCosts.map((c) => `+${(c * 100).toFixed(0)}%`).join(', ')}); target ≤ +30%`,
);
console.log(`P1 wall time per delivery by stage, ns (of ${p1.nsPerDelivery}):`);
console.table([stageRow]);
console.log(`peak RSS ${peakRssMB} MB`);
console.log(
  `${repeat} runs per scenario, the median shown; load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

// Baseline: compare, flag regressions, optionally save.
const figures = {
  node: process.version,
  date: new Date().toISOString().slice(0, 10),
  runsPerScenario: repeat,
  loadAvg: os.loadavg().map((l) => +l.toFixed(2)),
  core,
  stack,
  captureCost,
  captureCosts,
  stages: stageRow,
  peakRssMB,
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'latest.json'), JSON.stringify(figures, null, 2) + '\n');
const baselinePath = join(here, 'baseline.json');
if (process.argv.includes('--save-baseline')) {
  writeFileSync(baselinePath, JSON.stringify(figures, null, 2) + '\n');
  console.log('baseline saved to bench/baseline.json');
} else if (existsSync(baselinePath)) {
  const base = JSON.parse(readFileSync(baselinePath, 'utf8')) as typeof figures;
  const regressions: string[] = [];
  for (const [now, then] of [
    ...core.map((r, i) => [r, base.core[i]]),
    ...stack.map((r, i) => [r, base.stack[i]]),
  ]) {
    if (!then || now.scenario !== then.scenario) continue;
    if (now.realtimeFactor < then.realtimeFactor * 0.8) {
      regressions.push(
        `${now.scenario}: realtime factor ${now.realtimeFactor} vs baseline ${then.realtimeFactor}`,
      );
    }
  }
  console.log(
    regressions.length
      ? `REGRESSION (>20% slower than bench/baseline.json):\n  ${regressions.join('\n  ')}`
      : 'no regression against bench/baseline.json',
  );
}
console.log(JSON.stringify(figures));
