import { L_KINDS } from './kinds';
import type { Protocol } from './protocol';
import { ARP } from './proto/arp';
import { DATA } from './proto/data';
import { ETH } from './proto/eth';
import { FRAME } from './proto/frame';
import { ICMP } from './proto/icmp';
import { IGMP } from './proto/igmp';
import { ICMPV6 } from './proto/icmpv6';
import { IPV4 } from './proto/ipv4';
import { IPV6 } from './proto/ipv6';
import { IPV6_DSTOPTS, IPV6_FRAGHDR, IPV6_HOPOPTS, IPV6_ROUTING } from './proto/ipv6-ext';
import { TCP } from './proto/tcp';
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
  IPV6,
  IPV6_HOPOPTS,
  IPV6_ROUTING,
  IPV6_FRAGHDR,
  IPV6_DSTOPTS,
  ICMPV6,
  UDP,
  TCP,
  NETLAB,
  DATA,
];

/** The module of each layer kind. */
export const BY_KIND: readonly (Protocol | undefined)[] = (() => {
  const table = new Array<Protocol | undefined>(L_KINDS).fill(undefined);
  for (const p of PROTOCOLS) if (p.kind > 0) table[p.kind] = p;
  return table;
})();
