import { formatIpv4 } from '../../wire/ipv4-addr';
import { formatMac } from '../../wire/mac';
import type { Kernel } from '../kernel';
import { NUD_PERMANENT, NUD_VALID } from '../neigh';
import { left } from './printf';

/** ATF_COM: the entry has a usable hardware address (<linux/if_arp.h>). */
const ATF_COM = 0x02;
/** ATF_PERM: set by the user, permanent. */
const ATF_PERM = 0x04;
/** ARPHRD_ETHER */
const HW_TYPE_ETHER = 0x1;

/**
 * /proc/net/arp (`arp_seq_show`): the neighbour table, complete entries with
 * flags 0x2 and incomplete or failed ones with 0x0 (and a zero address).
 * Format `%-16s 0x%-10x0x%-10x%-17s     *        %s`.
 */
export function renderArp(k: Kernel): string {
  let out = 'IP address       HW type     Flags       HW address            Mask     Device\n';
  for (const n of k.neigh.entries) {
    const flags = (n.state & NUD_VALID ? ATF_COM : 0) | (n.state & NUD_PERMANENT ? ATF_PERM : 0);
    out +=
      `${left(formatIpv4(n.ip), 16)} 0x${left(HW_TYPE_ETHER.toString(16), 10)}` +
      `0x${left(flags.toString(16), 10)}${left(formatMac(n.lladdr), 17)}     *        ${n.dev.name}\n`;
  }
  return out;
}
