import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StepResult } from '../scenario';
import { BRIDGE_STEPS, describeStep, normalizeBridge } from './scenario';

const FIXTURE = fileURLToPath(new URL('../fixtures/bridge-snooping.json', import.meta.url));

export interface BridgeRun {
  kernel: string;
  steps: StepResult[];
}

export function readBridgeFixture(): BridgeRun | null {
  try {
    return JSON.parse(readFileSync(FIXTURE, 'utf8')) as BridgeRun;
  } catch {
    return null;
  }
}

export function writeBridgeFixture(run: BridgeRun): void {
  writeFileSync(
    FIXTURE,
    `${JSON.stringify({ title: 'the Linux bridge: its tools and where a flood goes', ...run }, null, 1)}\n`,
  );
}

/** Where the lab's run and Linux's differ, one message per differing step. */
export function compareBridgeRuns(lab: StepResult[], ref: StepResult[]): string[] {
  const diffs: string[] = [];
  BRIDGE_STEPS.forEach((step, i) => {
    const what = `bridge-snooping step ${i + 1} (${describeStep(step)})`;
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
