import { EBUSY, ENOENT, strerror } from '../../netdev/errno';
import { driverModules } from '../modules';
import type { Command } from './context';
import { forgetQdisc } from './ip-link';

/** The kernel release modprobe names in its messages. */
import { KERNEL_RELEASE } from '../../kernel/version';

export { KERNEL_RELEASE };

/**
 * `modprobe MODULE…` (kmod): loads the driver, which registers its cards' devices.
 * `modprobe -r MODULE…` removes it, as rmmod does, with modprobe's messages.
 */
export const modprobe: Command = (ctx, args) => {
  const names = args.filter((a) => !a.startsWith('-'));
  if (names.length === 0) {
    ctx.job.print('modprobe: ERROR: missing parameters. See -h.');
    return 1;
  }
  const mods = driverModules(ctx.host);
  if (args.some((a) => a === '-r' || a === '--remove')) {
    for (const name of names) {
      const norm = name.replace(/-/g, '_');
      const model = mods.list().find((m) => m.name === norm)?.model;
      const devs = model ? mods.devicesOf(model) : [];
      const ret = mods.unload(name, ctx.cred);
      if (ret === 0) {
        for (const dev of devs) forgetQdisc(dev);
        continue;
      }
      if (ret === -ENOENT) ctx.job.print(`modprobe: FATAL: Module ${norm} is not in kernel.`);
      else if (ret === -EBUSY) ctx.job.print(`modprobe: FATAL: Module ${norm} is in use.`);
      else ctx.job.print(`modprobe: ERROR: could not remove '${norm}': ${strerror(ret)}`);
      return 1;
    }
    return 0;
  }
  for (const name of names) {
    const ret = mods.load(name, ctx.cred);
    if (ret === -ENOENT) {
      ctx.job.print(
        `modprobe: FATAL: Module ${name} not found in directory /lib/modules/${KERNEL_RELEASE}`,
      );
      return 1;
    }
    if (ret < 0) {
      ctx.job.print(
        `modprobe: ERROR: could not insert '${name.replace(/-/g, '_')}': ${strerror(ret)}`,
      );
      return 1;
    }
  }
  return 0;
};

/** `rmmod MODULE…`: refused while one of the driver's devices is up. */
export const rmmod: Command = (ctx, args) => {
  const names = args.filter((a) => !a.startsWith('-'));
  if (names.length === 0) {
    ctx.job.print('rmmod: ERROR: missing module name.');
    return 1;
  }
  const mods = driverModules(ctx.host);
  let status = 0;
  for (const name of names) {
    const norm = name.replace(/-/g, '_');
    const model = mods.list().find((m) => m.name === norm)?.model;
    const devs = model ? mods.devicesOf(model) : [];
    const ret = mods.unload(name, ctx.cred);
    if (ret === 0) {
      for (const dev of devs) forgetQdisc(dev);
      continue;
    }
    status = 1;
    if (ret === -ENOENT) ctx.job.print(`rmmod: ERROR: Module ${norm} is not currently loaded`);
    else if (ret === -EBUSY) ctx.job.print(`rmmod: ERROR: Module ${norm} is in use`);
    else ctx.job.print(`rmmod: ERROR: could not remove '${norm}': ${strerror(ret)}`);
  }
  return status;
};

/** `lsmod`: the loaded drivers, their size and how many open devices hold each. */
export const lsmod: Command = (ctx) => {
  ctx.job.print('Module                  Size  Used by');
  for (const m of driverModules(ctx.host).list()) {
    ctx.job.print(`${m.name.padEnd(19)} ${String(m.size).padStart(8)}  ${m.useCount}`);
  }
  return 0;
};
