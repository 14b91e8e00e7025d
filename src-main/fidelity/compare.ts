import { normalize } from './normalize';
import type { Scenario, StepResult } from './scenario';

/** Where the lab and the reference differ, one message per differing step. */
export function compareRuns(sc: Scenario, lab: StepResult[], ref: StepResult[]): string[] {
  const diffs: string[] = [];
  if (ref.length !== sc.steps.length)
    return [`${sc.id}: the reference has ${ref.length} steps, the scenario ${sc.steps.length}`];
  sc.steps.forEach((step, i) => {
    const what = `${sc.id} step ${i + 1} (${step.host} ${step.op === 'sh' ? step.cmd : step.op})`;
    const a = normalize(lab[i].out);
    const b = normalize(ref[i].out);
    if (lab[i].rc !== ref[i].rc)
      diffs.push(`${what}: exit ${lab[i].rc} in the lab, ${ref[i].rc} on Linux`);
    const n = Math.max(a.length, b.length);
    for (let j = 0; j < n; j++) {
      if (a[j] === b[j]) continue;
      diffs.push(
        `${what}, line ${j + 1}:\n    lab:   ${JSON.stringify(a[j] ?? '(none)')}\n    linux: ${JSON.stringify(b[j] ?? '(none)')}`,
      );
      break;
    }
  });
  return diffs;
}
