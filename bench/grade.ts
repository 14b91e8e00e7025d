/**
 * `netlab grade` over a class (issue 20: the lab uses the machine's cores where that pays):
 * the wall time to grade GRADE_ATTEMPTS handed-in attempts (default 16) one after another
 * (`--jobs 1`, in the command's own thread) and on a pool of worker threads, one per core
 * (the default is half that: what this measures is why), in turn, GRADE_RUNS times each (default 3); medians, the speed-up, and a check that
 * both print the same bytes and exit the same.
 *
 * The attempts are made here as the window makes them: each exercise lab without a driver of
 * the student's, its solution's answers given, Run exercise, Hand in.
 *
 *   node --import tsx bench/grade.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../src-main/engine/engine';
import { parseLabSpec } from '../src-main/lab/labfile/load';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/netlab.mjs');
const LABS = join(ROOT, 'resources/labs');
const attempts = Number(process.env.GRADE_ATTEMPTS ?? 16);
const runs = Number(process.env.GRADE_RUNS ?? 3);

const labs = readdirSync(LABS)
  .filter((f) => f.endsWith('.yaml') && !f.startsWith('driver-'))
  .map((f) => ({ file: f, text: readFileSync(join(LABS, f), 'utf8') }))
  .filter(({ file, text }) => parseLabSpec(text, file).spec?.exercise !== undefined)
  .sort((a, b) => a.file.localeCompare(b.file));

const dir = mkdtempSync(join(tmpdir(), 'netlab-bench-grade-'));
for (let i = 0; i < attempts; i++) {
  const { file, text } = labs[i % labs.length];
  const engine = new Engine(() => {});
  engine.handle('lab.load', { text, fileName: file });
  const exercise = parseLabSpec(text, file).spec!.exercise!;
  for (const [id, value] of Object.entries(exercise.solution?.answers ?? {}))
    engine.handle('exercise.answer', { id, value });
  await engine.handle('exercise.run', {});
  const handed = engine.handle('exercise.handIn', { student: `student ${i + 1}` });
  engine.close();
  writeFileSync(join(dir, handed.fileName), handed.text);
}

const commands: [string, string[]][] = [
  ['--jobs 1 (one after another)', [BIN, 'grade', dir, '--jobs', '1']],
  [
    `--jobs ${availableParallelism()} (a thread per core)`,
    [BIN, 'grade', dir, '--jobs', String(availableParallelism())],
  ],
];
// Once first, so that a stale bundle is rebuilt before anything is timed.
spawnSync(process.execPath, [BIN, '--help'], { stdio: 'ignore' });
const load0 = loadavg()[0];
const times = commands.map(() => [] as number[]);
const outputs = new Set<string>();
for (let i = 0; i < runs; i++) {
  commands.forEach(([, args], k) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    times[k].push((performance.now() - t0) / 1000);
    if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
    outputs.add(JSON.stringify([r.status, r.stdout, r.stderr]));
  });
}
rmSync(dir, { recursive: true, force: true });
if (outputs.size !== 1) throw new Error('the pool printed other bytes than --jobs 1');

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const rows = commands.map(([name], k) => ({
  'netlab grade': name,
  'median wall s': Number(med(times[k]).toFixed(2)),
  'min s': Number(Math.min(...times[k]).toFixed(2)),
  'max s': Number(Math.max(...times[k]).toFixed(2)),
}));
const speedup = med(times[0]) / med(times[1]);
console.log(
  `netlab grade, ${attempts} attempts (${labs.length} exercise labs), ${runs} runs each in turn; ` +
    `${availableParallelism()} cores; load average ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)}`,
);
console.table(rows);
console.log(`speed-up of a thread per core over --jobs 1: ${speedup.toFixed(2)}× (same output)`);
console.log(
  JSON.stringify({
    attempts,
    runs,
    cores: availableParallelism(),
    loadAvg: [load0, loadavg()[0]],
    rows,
    speedup,
  }),
);
