/**
 * D1: what a sandboxed driver costs per frame. The same lab three times, its receiver's card
 * the built-in hash64 model (bench/labs/d1-hash64.yaml), an NE2000 run by the reference driver
 * ne2k.js in QuickJS (d1-ne2000.yaml), or a Tulip run by tulip.js (d1-tulip.yaml), run as
 * `netlab run` runs them, interleaved (A, B, C, A, B, C…), compared by medians. The difference
 * per delivered frame is the driver's cost: the NE2000's port accesses and remote DMA copy, or
 * the Tulip's descriptor reads and writes in host memory, DMA unmapping and NAPI poll, and
 * netif_rx, all through the sandbox, against the built-in model's TypeScript.
 */
import { join } from 'node:path';
import { prepareSession } from '../src-main/cli/load-lab';
import { LABS_DIR, runLab, type LabRun } from './labs';

const SECONDS = 1 * Number(process.env.BENCH_SECONDS ?? 1);
const ROUNDS = 3;
const LABS = ['d1-hash64.yaml', 'd1-ne2000.yaml', 'd1-tulip.yaml'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const runs = new Map<string, LabRun[]>(LABS.map((l) => [l, []]));
  for (const l of LABS) {
    await prepareSession(join(LABS_DIR, l));
    await runLab(join(LABS_DIR, l), SECONDS / 10); // warm the JIT
  }
  for (let r = 0; r < ROUNDS; r++)
    for (const l of LABS) runs.get(l)!.push(await runLab(join(LABS_DIR, l), SECONDS));
  const rows = LABS.map((l) => {
    const rs = runs.get(l)!;
    const deliveries = median(rs.map((x) => x.deliveries));
    return {
      lab: l,
      deliveries,
      lost: median(rs.map((x) => x.lost)),
      wallNsPerDeliv: median(rs.map((x) => (x.wallSeconds * 1e9) / x.deliveries)),
      cpuNsPerDeliv: median(rs.map((x) => (x.cpuSeconds * 1e9) / x.deliveries)),
      outstanding: Math.max(...rs.map((x) => x.outstandingAfterTeardown)),
    };
  });
  const [builtin, ...students] = rows;
  const load = (await import('node:os')).loadavg()[0].toFixed(2);
  console.log(`D1: ${SECONDS} simulated s, ${ROUNDS} interleaved rounds, load average ${load}`);
  console.log('lab                 deliveries  lost  ns/deliv (wall)  CPU ns/deliv  outstanding');
  for (const r of rows)
    console.log(
      `${r.lab.padEnd(18)}  ${String(r.deliveries).padStart(10)}  ${String(r.lost).padStart(4)}  ${r.wallNsPerDeliv.toFixed(0).padStart(15)}  ${r.cpuNsPerDeliv.toFixed(0).padStart(12)}  ${String(r.outstanding).padStart(11)}`,
    );
  for (const student of students) {
    const extra = student.cpuNsPerDeliv - builtin.cpuNsPerDeliv;
    console.log(
      `sandboxed ${student.lab.replace(/^d1-|\.yaml$/g, '')}: +${(extra / 1000).toFixed(1)} us CPU per frame over the built-in model (${(student.cpuNsPerDeliv / builtin.cpuNsPerDeliv).toFixed(1)}x the whole run's cost per delivery)`,
    );
  }
}

await main();
