/**
 * The benchmark's scenarios as users run them: a lab file (bench/labs/), loaded, built and run
 * by the code `netlab run` runs (cli/load-lab.ts's startSession, cli/run.ts's advance, the
 * session's report), and beside each, ns-3's CSMA model doing the same job in the same
 * invocation (bench/peers/ns3/csma-flood.cc).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSession } from '../src-main/cli/load-lab';
import { advance } from '../src-main/cli/run';
import { SECOND } from '../src-main/lab/sim/time';
import { labText, SHAPES, type Shape } from './labs/make';
import { buildNs3, Skip } from './peers/build';
import { runNs3, type Ns3Result } from './peers/ns3';

export const LABS_DIR = join(import.meta.dirname, 'labs');

export interface Scenario extends Shape {
  /** Simulated seconds per run (at `scale` 1): about a million deliveries each. */
  seconds: number;
}

/** Simulated seconds for each lab file: deliveries per run stay near a million. */
const SECONDS: Record<string, number> = {
  'p2-mixed.yaml': 0.1,
  'p3-64.yaml': 0.5,
  'p3-256.yaml': 0.125,
};

export const SCENARIOS: Scenario[] = SHAPES.map((s) => ({ ...s, seconds: SECONDS[s.file] ?? 1 }));

export const bitRateOf = (s: Shape) => (s.rate === '1Gbps' ? 1e9 : 100e6);

export interface LabRun {
  wallSeconds: number;
  cpuSeconds: number;
  simSeconds: number;
  /** Wall seconds to load, validate and build the lab and start its applications. */
  setupSeconds: number;
  /** Datagrams the sinks' applications read. */
  deliveries: number;
  framesOnWire: number;
  nicReceiveEvents: number;
  lost: number;
  /**
   * Work counted, not timed (the machine's load cannot move these): events the scheduler
   * dispatched and buffers the pool allocated during the run.
   */
  events: number;
  skbAllocs: number;
  capturedFrames: number;
  outstandingAfterTeardown: number;
}

/** The lab file of `s`, refusing one that is not what bench/labs/make.ts writes. */
export function labPath(s: Shape): string {
  const path = join(LABS_DIR, s.file);
  if (readFileSync(path, 'utf8') !== labText(s)) {
    throw new Error(`${path} is out of date: node --import tsx bench/labs/make.ts rewrites it`);
  }
  return path;
}

/**
 * Runs one lab file for `seconds` of simulated time as `netlab run --for` does: the wall and
 * CPU time cover the run and the report, not the setup (given apart).
 */
export async function runLab(path: string, seconds: number): Promise<LabRun> {
  const s0 = performance.now();
  const session = startSession(path);
  const setupSeconds = (performance.now() - s0) / 1000;
  const seg = session.lab.segment.stats;
  const frames0 = seg.frames;
  const events0 = seg.deliveries;
  const dispatched0 = session.lab.sched.dispatched;
  const allocs0 = session.lab.pool.allocated;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await advance(session, seconds * SECOND, false);
  const report = session.report();
  const wallSeconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const run: LabRun = {
    wallSeconds,
    cpuSeconds: (c.user + c.system) / 1e6,
    simSeconds: seconds,
    setupSeconds,
    deliveries: report.sinks.reduce((n, k) => n + k.received, 0),
    framesOnWire: seg.frames - frames0,
    nicReceiveEvents: seg.deliveries - events0,
    lost: report.sinks.reduce((n, k) => n + k.lost, 0),
    events: session.lab.sched.dispatched - dispatched0,
    skbAllocs: session.lab.pool.allocated - allocs0,
    capturedFrames: session.capture?.store.count ?? 0,
    outstandingAfterTeardown: -1,
  };
  session.close();
  run.outstandingAfterTeardown = session.lab.pool.outstanding;
  return run;
}

/** ns-3's binary, or the reason it cannot run here (printed; the bench goes on without it). */
export function ns3Binary(): { bin: string } | { skipped: string } {
  try {
    return { bin: buildNs3() };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { skipped: `${e instanceof Skip ? '' : 'failed: '}${why}` };
  }
}

/** ns-3 doing scenario `s`'s job for the same simulated time. */
export function runNs3Scenario(bin: string, s: Scenario, seconds: number): Ns3Result {
  return runNs3(bin, bitRateOf(s), seconds, s.hosts, s.senders);
}
