import { L_KINDS } from './kinds';
import type { Protocol } from './protocol';
import { ARP } from './proto/arp';
import { DATA } from './proto/data';
import { ETH } from './proto/eth';
import { FRAME } from './proto/frame';
import { ICMP } from './proto/icmp';
import { IGMP } from './proto/igmp';
import { IPV4 } from './proto/ipv4';
import { NETLAB } from './proto/netlab';
import { UDP } from './proto/udp';
import { IEEE8021AD, VLAN } from './proto/vlan';

/** Every protocol module, in the order their fields are listed. */
export const PROTOCOLS: readonly Protocol[] = [
  FRAME,
  ETH,
  VLAN,
  IEEE8021AD,
  ARP,
  IPV4,
  ICMP,
  IGMP,
  UDP,
  NETLAB,
  DATA,
];

/** The module of each layer kind. */
export const BY_KIND: readonly (Protocol | undefined)[] = (() => {
  const table = new Array<Protocol | undefined>(L_KINDS).fill(undefined);
  for (const p of PROTOCOLS) if (p.kind > 0) table[p.kind] = p;
  return table;
})();
