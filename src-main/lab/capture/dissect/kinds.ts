/**
 * The kinds of layer `FrameLayers` finds in a frame, one per protocol module
 * (`proto/`). Plain numbers, so a frame's layers are a typed array.
 */

export const L_ETH = 1;
export const L_VLAN = 2;
export const L_ARP = 3;
export const L_IP = 4;
export const L_ICMP = 5;
export const L_IGMP = 6;
export const L_UDP = 7;
export const L_NETLAB = 8;
export const L_DATA = 9;
/** An 802.1ad service tag (Q-in-Q's outer tag): an 802.1Q tag's layout, Wireshark's ieee8021ad. */
export const L_SVLAN = 10;

export const L_IP6 = 11;
/** IPv6 extension headers: hop-by-hop options, routing, fragment, destination options. */
export const L_HOPOPTS = 12;
export const L_ROUTING = 13;
export const L_FRAGHDR = 14;
export const L_DSTOPTS = 15;
export const L_ICMP6 = 16;
export const L_TCP = 17;

/** One more than the largest kind: the size of a table indexed by kind. */
export const L_KINDS = 18;

/** An IPv6 extension header. */
export function isIpv6Ext(kind: number): boolean {
  return kind >= L_HOPOPTS && kind <= L_DSTOPTS;
}

/** An 802.1Q or 802.1ad tag. */
export function isTag(kind: number): boolean {
  return kind === L_VLAN || kind === L_SVLAN;
}
