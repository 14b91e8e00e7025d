import { z } from 'zod';
import { Sysctls } from '../../kernel/sysctl';
import { ROOT } from '../../netdev/cred';
import { didYouMean } from '../suggest';
import { describeValue } from '../units';

// A host's `sysctl:` map, checked against the ranges the kernel itself accepts.

/** The range the kernel accepts for `name`, found by asking a scratch table (sysctl.ts keeps it private). */
export function sysctlRange(name: string): [number, number] {
  const probe = new Sysctls();
  const def = probe.get(name);
  const valid = (v: number) => probe.set(name, v, ROOT) === 0;
  let lo = -0x80000000;
  let hi = def;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (valid(mid)) hi = mid;
    else lo = mid + 1;
  }
  const min = lo;
  lo = def;
  hi = 0x7fffffff;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (valid(mid)) lo = mid;
    else hi = mid - 1;
  }
  return [min, lo];
}

export const sysctlMap = z.unknown().transform((input, ctx): Record<string, number> => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a map of sysctl names to values, such as { net.core.rmem_default: 212992 }, got ${describeValue(input)}`,
    });
    return z.NEVER;
  }
  const probe = new Sysctls();
  const out: Record<string, number> = {};
  let bad = false;
  for (const [name, value] of Object.entries(input)) {
    if (!probe.has(name)) {
      bad = true;
      const hint = didYouMean(name, probe.names()) || `; known: ${probe.names().join(', ')}`;
      ctx.addIssue({
        code: 'custom',
        path: [name],
        params: { at: 'key' },
        message: `unknown sysctl "${name}"${hint}`,
      });
      continue;
    }
    if (typeof value !== 'number' || probe.set(name, value, ROOT) !== 0) {
      bad = true;
      const [min, max] = sysctlRange(name);
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `expected an integer from ${min} to ${max}, got ${describeValue(value)}`,
      });
      continue;
    }
    out[name] = value;
  }
  return bad ? z.NEVER : out;
});
