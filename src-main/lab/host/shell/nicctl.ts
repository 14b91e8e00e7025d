import {
  NETLAB_GET_FILTER,
  NETLAB_GET_RING,
  NETLAB_SET_RING,
  type FilterInfo,
  type RingInfo,
} from '../../drivers/private-ioctl';
import { devFlagsInside, devGetFlags } from '../../netdev/dev';
import { ENODEV, strerror } from '../../netdev/errno';
import { flagNames } from '../../netdev/flags';
import { ioctlName } from '../../netdev/ioctl';
import type { IfReq } from '../../netdev/ops';
import type { Command, CommandContext } from './context';
import { ioctlByName } from './devices';

const USAGE = [
  'Usage: nicctl DEV filter',
  '       nicctl DEV ring',
  '       nicctl DEV set-ring rx N [tx N]',
];

function call(ctx: CommandContext, name: string, cmd: number, ifr: IfReq): boolean {
  const ret = ioctlByName(ctx.kernel, name, cmd, ifr, ctx.cred);
  if (ret < 0) {
    ctx.job.print(`${ioctlName(cmd)}: ${strerror(ret)}`);
    return false;
  }
  return true;
}

function showFilter(ctx: CommandContext, name: string, f: FilterInfo): void {
  const out = ctx.job;
  out.print(`${name}: ${f.model} receive filter, mode ${f.mode}`);
  if (f.perfectCapacity > 0) {
    const list = f.perfect.length > 0 ? f.perfect.join(' ') : '(empty)';
    // The setup frame's other two entries: the broadcast address and the card's own.
    out.print(
      `  perfect entries ${f.perfect.length}/${f.perfectCapacity} (+ broadcast, own address): ${list}`,
    );
  }
  const bins = f.bins.length > 0 ? f.bins.join(' ') : '(none)';
  out.print(`  hash bins set ${f.bins.length}/${f.hashBins}: ${bins}`);
  out.print(`  rejected by the filter: ${f.rejected}`);
  const accepted = Object.entries(f.accepted)
    .map(([why, n]) => `${why} ${n}`)
    .join(', ');
  out.print(`  accepted: ${accepted}`);
  const dev = ctx.kernel.devByName(name);
  if (!dev) return;
  // What the tools cannot show: dev->flags inside, PROMISC/ALLMULTI however they were set.
  const inside = devFlagsInside(dev);
  const shown = devGetFlags(dev);
  if (inside === shown) return;
  const extra = flagNames(inside & ~shown).join(',');
  out.print(
    `  dev->flags ${inside}<${flagNames(inside).join(',')}>: ${extra} set by the kernel or the ` +
      `driver, not a user (a 1996 driver set IFF_PROMISC itself and ifconfig showed it; ` +
      `today's ifconfig and ip show only what a user asked for)`,
  );
}

function showRing(ctx: CommandContext, name: string, r: RingInfo): void {
  ctx.job.print(
    `${name}: rx ring ${r.rxRing} (${r.rxPending} pending)  tx ring ${r.txRing} (${r.txPending} pending)`,
    `  copybreak ${r.copybreak}  irq interval ${r.irqInterval} ns  napi weight ${r.napiWeight}`,
    `  interrupts rx ${r.rxInterrupts} tx ${r.txInterrupts}  napi polls ${r.polls}`,
  );
}

/**
 * `nicctl DEV filter|ring|set-ring rx N [tx N]`: the lab card's private
 * ioctls (SIOCDEVPRIVATE, +1, +2). Any user may issue them; the driver
 * decides, so set-ring as a user fails with the driver's EPERM.
 */
export const nicctl: Command = (ctx, args) => {
  const [name, what, ...rest] = args;
  if (name === undefined || what === undefined) {
    ctx.job.print(...USAGE);
    return 1;
  }
  if (!ctx.kernel.devByName(name)) {
    ctx.job.print(`nicctl: ${name}: ${strerror(-ENODEV)}`);
    return 1;
  }
  const ifr: IfReq = {};
  switch (what) {
    case 'filter':
      if (!call(ctx, name, NETLAB_GET_FILTER, ifr)) return 1;
      showFilter(ctx, name, ifr.data as FilterInfo);
      return 0;
    case 'ring':
      if (!call(ctx, name, NETLAB_GET_RING, ifr)) return 1;
      showRing(ctx, name, ifr.data as RingInfo);
      return 0;
    case 'set-ring': {
      const req: { rxRing?: number; txRing?: number } = {};
      for (let i = 0; i < rest.length; i += 2) {
        const key = rest[i];
        const v = rest[i + 1];
        if ((key !== 'rx' && key !== 'tx') || v === undefined) {
          ctx.job.print(...USAGE);
          return 1;
        }
        // Not a number is the driver's to refuse (EINVAL), after its permission check.
        const n = /^\d+$/.test(v) ? Number(v) : NaN;
        if (key === 'rx') req.rxRing = n;
        else req.txRing = n;
      }
      if (rest.length === 0) {
        ctx.job.print(...USAGE);
        return 1;
      }
      ifr.data = req;
      return call(ctx, name, NETLAB_SET_RING, ifr) ? 0 : 1;
    }
  }
  ctx.job.print(...USAGE);
  return 1;
};
