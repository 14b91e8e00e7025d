import type { Kernel } from '../kernel';
import { left } from './printf';

/**
 * /proc/net/dev_mcast (`dev_mc_seq_show`): no header; one line per hardware
 * multicast address: `%-4d %-15s %-5d %-5d %*phN` — ifindex, device,
 * references, whether a user holds it through SIOCADDMULTI, and the address
 * in hex without separators.
 */
export function renderDevMcast(k: Kernel): string {
  let out = '';
  for (const dev of k.devices) {
    for (const ha of dev.mc) {
      let hex = '';
      for (const b of ha.addr) hex += b.toString(16).padStart(2, '0');
      out += `${left(dev.ifindex, 4)} ${left(dev.name, 15)} ${left(ha.refcount, 5)} ${left(ha.globalUse ? 1 : 0, 5)} ${hex}\n`;
    }
  }
  return out;
}
