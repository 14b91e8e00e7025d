// `npm run fidelity`: every scenario in the lab, compared with the real kernel's run recorded in
// fixtures/ and, as root, with a live run on this machine's kernel. `--record` rewrites the
// fixtures from live runs. `--only ID` runs one scenario. Exit 1 when anything differs.
import { compareRuns } from './compare';
import { readFixture, writeFixture } from './fixtures';
import { runLab } from './lab-side';
import { liveUnavailable, runReal } from './real';
import { SCENARIOS } from './scenarios';
import { execFileSync } from 'node:child_process';
import {
  BRIDGE_SCENARIOS,
  compareBridgeRuns,
  readBridgeFixture,
  writeBridgeFixture,
} from './bridge/compare';
import { runBridgeLab } from './bridge/lab';
import { runBridgeReal } from './bridge/real';

const kernelRelease = () => execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();

const args = process.argv.slice(2);
const record = args.includes('--record');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const why = liveUnavailable();
if (why) {
  console.log(
    `fidelity: ${why}: skipping the live kernel side; checking against recorded fixtures`,
  );
  if (record) {
    console.error('fidelity: --record needs the live side');
    process.exit(2);
  }
}
let failed = 0;
for (const sc of SCENARIOS) {
  if (only !== null && sc.id !== only) continue;
  const fixture = readFixture(sc);
  const live = why ? null : runReal(sc);
  if (live && record) writeFixture(sc, live);
  const refs: [string, typeof live][] = [['recorded', record ? null : fixture]];
  if (live) refs.push(['live', live]);
  const diffs: string[] = [];
  if (!fixture && !record) diffs.push(`${sc.id}: no fixture recorded (run as root with --record)`);
  for (const [label, ref] of refs) {
    if (!ref) continue;
    const lab = runLab(sc, ref.rmemMax);
    for (const d of compareRuns(sc, lab, ref.steps)) diffs.push(`[${label} ${ref.kernel}] ${d}`);
  }
  const status = diffs.length === 0 ? 'ok  ' : 'FAIL';
  console.log(`${status} item ${String(sc.item).padStart(2)}  ${sc.id}: ${sc.title}`);
  for (const d of diffs) console.log(`      ${d}`);
  if (diffs.length > 0) failed++;
}
// The Linux bridge: a switch and three hosts (namespaces of its own on the live side).
for (const sc of BRIDGE_SCENARIOS) {
  if (only !== null && only !== sc.id) continue;
  const fixture = readBridgeFixture(sc);
  const live = why ? null : { kernel: kernelRelease(), steps: runBridgeReal(sc.steps) };
  if (live && record) writeBridgeFixture(live, sc);
  const lab = runBridgeLab(sc.steps);
  const diffs: string[] = [];
  if (!fixture && !record) diffs.push(`${sc.id}: no fixture recorded (run as root with --record)`);
  for (const [label, ref] of [
    ['recorded', record ? null : fixture],
    ['live', live],
  ] as const) {
    if (ref)
      for (const d of compareBridgeRuns(lab, ref.steps, sc))
        diffs.push(`[${label} ${ref.kernel}] ${d}`);
  }
  console.log(`${diffs.length === 0 ? 'ok  ' : 'FAIL'} issue 22  ${sc.id}: ${sc.title}`);
  for (const d of diffs) console.log(`      ${d}`);
  if (diffs.length > 0) failed++;
}
console.log(
  failed === 0 ? 'fidelity: all scenarios match' : `fidelity: ${failed} scenario(s) differ`,
);
process.exit(failed === 0 ? 0 : 1);
