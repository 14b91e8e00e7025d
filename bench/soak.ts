/**
 * `npm run soak`: the leak check of issue 10. A 16-host lab with three
 * generators at line rate on a saturated 100 Mbps segment (see
 * src-main/lab/fuzz/soak.ts) runs for ten simulated minutes; every 30
 * simulated seconds it prints the heap (after full collections) and the
 * buffers outstanding. Both must stay flat: after a warm-up the heap stays
 * within SOAK_HEAP_MIB (default 16 MiB) of its first sample, and the buffers
 * outstanding within 25% of theirs (the lab's rings, backlogs, queues and
 * socket buffers are all bounded). After teardown no buffer may be left.
 *
 * SOAK_SECONDS (default 600), SOAK_EVERY (default 30) and SOAK_WARMUP
 * (default 30) are simulated seconds, for shorter runs. Exit code 1 when an
 * assertion fails. Runs under --expose-gc.
 */
import { runSoak, SOAK_HOSTS, type SoakSample } from '../src-main/lab/fuzz/soak';

const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const every = Number(process.env.SOAK_EVERY ?? 30);
const warmup = Number(process.env.SOAK_WARMUP ?? Math.min(30, seconds / 2));
const heapBound = Number(process.env.SOAK_HEAP_MIB ?? 16) * 2 ** 20;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) console.warn('soak: run with node --expose-gc for heap figures after full collections');

function heapUsed(): number {
  // Backing stores of dead ArrayBuffers go only after a second full collection.
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

const mib = (b: number) => (b / 2 ** 20).toFixed(1);
const columns = [
  ['sim s', 7],
  ['wall s', 8],
  ['heap MiB', 9],
  ['external MiB', 13],
  ['outstanding', 12],
  ['pool MiB', 9],
  ['frames on wire', 15],
  ['delivered', 11],
  ['captured', 9],
] as const;
console.log(
  `soak: ${SOAK_HOSTS} hosts, 3 generators at line rate on 100 Mbps half duplex, ` +
    `${seconds} simulated s, a sample every ${every} s`,
);
console.log(columns.map(([name, w]) => name.padStart(w)).join(' '));
const row = (s: SoakSample) =>
  console.log(
    [
      s.simS.toFixed(0),
      s.wallS.toFixed(1),
      mib(s.heap),
      mib(process.memoryUsage().arrayBuffers),
      s.outstanding,
      mib(s.poolBytes),
      s.framesOnWire,
      s.delivered,
      s.capturedHeld,
    ]
      .map((v, i) => String(v).padStart(columns[i][1]))
      .join(' '),
  );

const result = runSoak({
  seconds,
  every,
  memory: heapUsed,
  onSample: row,
  now: () => performance.now(),
});

const failures: string[] = [];
const afterWarmup = result.samples.filter((s) => s.simS >= warmup);
const base = afterWarmup[0];
if (!base) failures.push(`no sample after the ${warmup} s warm-up`);
else {
  const last = afterWarmup[afterWarmup.length - 1];
  for (const s of afterWarmup) {
    if (s.heap - base.heap > heapBound)
      failures.push(
        `heap at ${s.simS} s is ${mib(s.heap)} MiB, more than ${mib(heapBound)} MiB over ${mib(base.heap)} MiB at ${base.simS} s`,
      );
    if (s.outstanding > base.outstanding * 1.25 + 64)
      failures.push(
        `${s.outstanding} buffers outstanding at ${s.simS} s, more than 25% over ${base.outstanding} at ${base.simS} s`,
      );
  }
  console.log(
    `heap: ${mib(base.heap)} MiB at ${base.simS} s (after warm-up), ${mib(last.heap)} MiB at ${last.simS} s; ` +
      `outstanding: ${base.outstanding} → ${last.outstanding} (peak ${result.peakOutstanding}); ` +
      `after teardown: ${result.outstandingAfterTeardown}`,
  );
}
if (result.outstandingAfterTeardown !== 0)
  failures.push(`${result.outstandingAfterTeardown} buffers outstanding after teardown`);
failures.push(...result.audit.problems, ...result.auditAfterTeardown.problems);
if (failures.length > 0) {
  console.error(`soak FAILED:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('soak: heap and outstanding buffers flat; no buffer left after teardown');
