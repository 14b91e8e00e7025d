import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StepResult } from '../scenario';
import {
  BRIDGE_FDB_LEAVE_STEPS,
  BRIDGE_STEPS,
  describeStep,
  normalizeBridge,
  type BridgeScenario,
} from './scenario';

export interface BridgeRun {
  kernel: string;
  steps: StepResult[];
}

/** The bridge scenarios, each recorded in `fixtures/ID.json`. */
export const BRIDGE_SCENARIOS: BridgeScenario[] = [
  {
    id: 'bridge-snooping',
    title: 'the Linux bridge: its tools and where a flood goes',
    steps: BRIDGE_STEPS,
  },
  {
    id: 'bridge-fdb-mdb-leave',
    title: "bridge fdb/mdb add and del, a port's details, and how a leave prunes",
    steps: BRIDGE_FDB_LEAVE_STEPS,
  },
];

const fixturePath = (sc: BridgeScenario) =>
  fileURLToPath(new URL(`../fixtures/${sc.id}.json`, import.meta.url));

export function readBridgeFixture(sc: BridgeScenario = BRIDGE_SCENARIOS[0]): BridgeRun | null {
  try {
    return JSON.parse(readFileSync(fixturePath(sc), 'utf8')) as BridgeRun;
  } catch {
    return null;
  }
}

export function writeBridgeFixture(run: BridgeRun, sc: BridgeScenario = BRIDGE_SCENARIOS[0]): void {
  writeFileSync(fixturePath(sc), `${JSON.stringify({ title: sc.title, ...run }, null, 1)}\n`);
}

/** Where the lab's run and Linux's differ, one message per differing step. */
export function compareBridgeRuns(
  lab: StepResult[],
  ref: StepResult[],
  sc: BridgeScenario = BRIDGE_SCENARIOS[0],
): string[] {
  const diffs: string[] = [];
  sc.steps.forEach((step, i) => {
    const what = `${sc.id} step ${i + 1} (${describeStep(step)})`;
    if (!ref[i]) return void diffs.push(`${what}: not in the reference`);
    if (lab[i].rc !== ref[i].rc)
      diffs.push(`${what}: exit ${lab[i].rc} in the lab, ${ref[i].rc} on Linux`);
    const a = normalizeBridge(lab[i].out);
    const b = normalizeBridge(ref[i].out);
    for (let j = 0; j < Math.max(a.length, b.length); j++) {
      if (a[j] === b[j]) continue;
      diffs.push(
        `${what}, line ${j + 1}:\n    lab:   ${JSON.stringify(a[j] ?? '(none)')}\n    linux: ${JSON.stringify(b[j] ?? '(none)')}`,
      );
      break;
    }
  });
  return diffs;
}
