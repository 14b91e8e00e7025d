/**
 * How long the `netlab` command takes to start (issue 20's target: `--help`, `validate` and
 * `check` in ≤ 0.3 s): each command run as a user runs it (`node bin/netlab.mjs …`, the
 * compiled bundle), beside the same command through tsx (NETLAB_TSX=1, as before the bundle)
 * and a bare `node -e 0`, in turn, `CLI_RUNS` times each (default 10); medians of the wall time.
 *
 *   node --import tsx bench/cli-start.ts
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/netlab.mjs');
const runs = Number(process.env.CLI_RUNS ?? 10);
const lab = join(ROOT, 'resources/labs/irq-clash.yaml');

const commands: [string, string[], NodeJS.ProcessEnv?][] = [
  ['node -e 0 (Node alone)', ['-e', '0']],
  ['netlab --help', [BIN, '--help']],
  ['netlab validate irq-clash.yaml', [BIN, 'validate', lab]],
  ['netlab check irq-clash.yaml', [BIN, 'check', lab]],
  ['netlab --help through tsx', [BIN, '--help'], { NETLAB_TSX: '1' }],
  ['netlab validate through tsx', [BIN, 'validate', lab], { NETLAB_TSX: '1' }],
  ['netlab check through tsx', [BIN, 'check', lab], { NETLAB_TSX: '1' }],
];

// Once first, so that a stale bundle is rebuilt before anything is timed.
spawnSync(process.execPath, [BIN, '--help'], { stdio: 'ignore' });
const load0 = loadavg()[0];
const times = commands.map(() => [] as number[]);
for (let i = 0; i < runs; i++) {
  commands.forEach(([, args, env], k) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { env: { ...process.env, ...env } });
    times[k].push(performance.now() - t0);
    // check exits 1 when a check fails (irq-clash fails as shipped): only a crash is an error.
    if (r.status === null || r.status > 1) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  });
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const rows = commands.map(([name], k) => ({
  command: name,
  'median ms': Math.round(med(times[k])),
  'min ms': Math.round(Math.min(...times[k])),
  'max ms': Math.round(Math.max(...times[k])),
}));
console.log(
  `netlab's start, ${runs} runs each in turn; load average ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)}`,
);
console.table(rows);
console.log('target: --help, validate and check ≤ 300 ms (on a quiet machine)');
console.log(JSON.stringify({ runs, loadAvg: [load0, loadavg()[0]], rows }));
