import { hex8Upper, left, right } from './printf';
import type { Kernel } from '../kernel';

/** USER_HZ: /proc reports timer delays in clock ticks of 10 ms. */
const MS_PER_CLOCK_TICK = 10;

/**
 * A group as `%08X` of its network-order `__be32` on a little-endian
 * machine: the bytes come out reversed, so 239.1.1.1 reads 010101EF.
 */
export function groupHexLe(group: number): string {
  const swapped =
    ((group & 0xff) << 24) |
    (((group >>> 8) & 0xff) << 16) |
    (((group >>> 16) & 0xff) << 8) |
    (group >>> 24);
  return hex8Upper(swapped >>> 0);
}

/**
 * /proc/net/igmp (`igmp_mc_seq_show`): per device with groups, a line with
 * its group count and the querier version it behaves as, then one line per
 * group, newest first, with its users, report timer and reporter flag.
 */
export function renderIgmp(k: Kernel): string {
  let out = 'Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n';
  for (const dev of k.devices) {
    const ind = k.inDev(dev);
    if (ind.mcList.length === 0) continue;
    // The version the device speaks: forced, or the oldest querier heard lately, else V3.
    const querier = `V${k.igmp.version(dev)}`;
    out += `${dev.ifindex}\t${left(dev.name, 10)}: ${right(ind.mcList.length, 5)} ${right(querier, 7)}\n`;
    for (const m of ind.mcList) {
      const msLeft = k.igmp.timerLeft(m);
      const running = msLeft >= 0;
      const ticks = running ? Math.floor(msLeft / MS_PER_CLOCK_TICK) : 0;
      out +=
        `\t\t\t\t${groupHexLe(m.group)} ${right(m.users, 5)} ` +
        `${running ? 1 : 0}:${hex8Upper(ticks)}\t\t${m.reporter ? 1 : 0}\n`;
    }
  }
  return out;
}
