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
 * The capture keeps whole frames within the app's default capture limit
 * (128 MiB): it must never hold more, must overwrite its oldest frames once
 * full, and the process's ArrayBuffers (where frames live) must stay within
 * SOAK_CAPTURE_SHARE (default 1.5) times the limit over their first sample,
 * and the whole process's resident memory within its first sample plus that.
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
const captureShare = Number(process.env.SOAK_CAPTURE_SHARE ?? 1.5);

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
  ['capture MiB', 12],
  ['overwritten', 12],
  ['rss MiB', 8],
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
      mib(s.capturedBytes),
      s.overwritten,
      mib(process.memoryUsage.rss()),
    ]
      .map((v, i) => String(v).padStart(columns[i][1]))
      .join(' '),
  );

const external: number[] = [];
const rss: number[] = [];
const result = runSoak({
  seconds,
  every,
  memory: heapUsed,
  onSample: (s) => {
    external.push(process.memoryUsage().arrayBuffers);
    rss.push(process.memoryUsage.rss());
    row(s);
  },
  now: () => performance.now(),
});

const failures: string[] = [];
const limit = result.captureLimit;
for (const s of result.samples)
  if (s.capturedBytes > limit)
    failures.push(
      `the capture held ${mib(s.capturedBytes)} MiB at ${s.simS} s, over its ${mib(limit)} MiB limit`,
    );
const externalPeak = Math.max(...external);
const rssPeak = Math.max(...rss);
if (externalPeak - external[0] > captureShare * limit)
  failures.push(
    `ArrayBuffers peaked at ${mib(externalPeak)} MiB, over ${captureShare} × the ${mib(limit)} MiB capture limit above ${mib(external[0])} MiB`,
  );
if (rssPeak - rss[0] > captureShare * limit + heapBound)
  failures.push(
    `resident memory peaked at ${mib(rssPeak)} MiB, over ${mib(rss[0])} MiB + ${captureShare} × the capture limit + ${mib(heapBound)} MiB`,
  );
const lastSample = result.samples[result.samples.length - 1];
console.log(
  `capture: limit ${mib(limit)} MiB, held at most ${mib(Math.max(...result.samples.map((s) => s.capturedBytes)))} MiB, ` +
    `${lastSample.overwritten} frames overwritten; ArrayBuffers peak ${mib(externalPeak)} MiB ` +
    `(from ${mib(external[0])}); resident peak ${mib(rssPeak)} MiB (from ${mib(rss[0])})`,
);
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
