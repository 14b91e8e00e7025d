import { sysctlPathOf } from '../../kernel/proc/proc-fs';
import { EINVAL, ENOENT, EPERM, strerror } from '../../netdev/errno';
import type { Command, CommandContext } from './context';

/** procps accepts `net/core/rmem_max` as well as `net.core.rmem_max`. */
function keyOf(text: string): string {
  return text.replace(/\//g, '.');
}

function read(ctx: CommandContext, key: string, valueOnly: boolean): number {
  const sysctl = ctx.kernel.sysctl;
  if (!sysctl.has(key)) {
    ctx.job.print(`sysctl: cannot stat ${sysctlPathOf(key)}: ${strerror(-ENOENT)}`);
    return 1;
  }
  const v = sysctl.get(key);
  ctx.job.print(valueOnly ? `${v}` : `${key} = ${v}`);
  return 0;
}

/** Writes as procps does: the text goes to the file, and the kernel parses it (EINVAL if it cannot). */
function write(ctx: CommandContext, setting: string, quiet: boolean): number {
  const eq = setting.indexOf('=');
  if (eq <= 0) {
    ctx.job.print(`sysctl: "${setting}" must be of the form name=value`);
    return 1;
  }
  const key = keyOf(setting.slice(0, eq).trim());
  const text = setting.slice(eq + 1).trim();
  // proc_dointvec: an optional sign and digits, nothing else.
  const value = /^[-+]?\d+$/.test(text) ? Number(text) : NaN;
  const ret = ctx.kernel.sysctl.set(key, value, ctx.cred);
  if (ret === -ENOENT) {
    ctx.job.print(`sysctl: cannot stat ${sysctlPathOf(key)}: ${strerror(ret)}`);
    return 1;
  }
  if (ret === -EPERM) {
    ctx.job.print(`sysctl: permission denied on key "${key}"`);
    return 1;
  }
  if (ret === -EINVAL || ret < 0) {
    ctx.job.print(`sysctl: setting key "${key}": ${strerror(ret)}`);
    return 1;
  }
  if (!quiet) ctx.job.print(`${key} = ${text}`);
  return 0;
}

/**
 * `sysctl [-n] [-q] [-a] [-w] name[=value]…` (procps-ng): reads, or writes
 * through `Sysctls.set` with the caller's credential. As in procps, an
 * argument with `=` is a write even without -w.
 */
export const sysctl: Command = (ctx, args) => {
  let valueOnly = false;
  let writeMode = false;
  let quiet = false;
  let all = false;
  const names: string[] = [];
  for (const a of args) {
    if (/^-[nwqaA]+$/.test(a)) {
      for (const f of a.slice(1)) {
        if (f === 'n') valueOnly = true;
        else if (f === 'w') writeMode = true;
        else if (f === 'q') quiet = true;
        else all = true;
      }
    } else if (a.startsWith('-') && a.length > 1) {
      ctx.job.print(`sysctl: invalid option -- '${a[1]}'`);
      return 1;
    } else {
      names.push(a);
    }
  }
  if (all) {
    for (const key of ctx.kernel.sysctl.names()) read(ctx, key, valueOnly);
    return 0;
  }
  if (names.length === 0) {
    ctx.job.print('sysctl: no variables specified', "Try `sysctl --help' for more information.");
    return 1;
  }
  let status = 0;
  for (const n of names) {
    const ret =
      writeMode || n.includes('=') ? write(ctx, n, quiet) : read(ctx, keyOf(n), valueOnly);
    status |= ret;
  }
  return status;
};
