import { devQueueXmit } from '../netdev/dev-xmit';
import { EMSGSIZE } from '../netdev/errno';
import type { NetDevice } from '../netdev/net-device';
import { PACKET_LOOPBACK, type SkBuff } from '../skb/sk-buff';
import { ETH_HLEN, ETH_P_IP, EthernetView } from '../wire/ethernet';
import { INADDR_BROADCAST, ipMulticastToMac, isMulticastIp } from '../wire/ipv4-addr';
import { IP_DF, Ipv4View } from '../wire/ipv4';
import { ipFragment } from './ip-fragment';
import type { Kernel } from './kernel';

const BROADCAST_MAC = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
const mcMac = new Uint8Array(6);

/**
 * What a sender sets beyond the defaults: the next hop when a route has a
 * gateway (`rt_nexthop`), the TOS, and whether DF is set (a socket's
 * pmtudisc: ICMP's own socket sends with IP_PMTUDISC_DONT and TOS 0xc0).
 */
export interface IpOutOpts {
  nexthop?: number;
  tos?: number;
  df?: boolean;
  /**
   * IP_PMTUDISC_WANT (a socket's default): DF on a datagram that fits the MTU; a larger one is
   * fragmented here, its fragments without DF (`ip_append_data` builds them so).
   */
  mayFragment?: boolean;
  /** The path MTU (`dst_mtu`: a learnt one, route.ts `pathMtu`) when below the device's. */
  mtu?: number;
}

/** ICMP's messages (`icmp_sk`): no DF; errors with IPTOS_PREC_INTERNETCONTROL. */
export const ICMP_REPLY_OPTS: IpOutOpts = { df: false };

/**
 * `ip_queue_xmit` for a datagram whose payload (and transport header) is in
 * `skb`: pushes the IPv4 header and sends it out `dev` towards `dst`. The
 * Ethernet destination comes from the multicast mapping, the broadcast address,
 * or ARP (which may hold the buffer until the neighbour answers). A datagram
 * larger than the MTU fails with EMSGSIZE, unless its sender cleared DF
 * (ICMP's replies and errors, `ip_push_pending_frames` with IP_PMTUDISC_DONT)
 * or allows it (`mayFragment`, IP_PMTUDISC_WANT, as ping's socket by default):
 * then it goes out in fragments (ip-fragment.ts).
 * With `loop` (IP_MULTICAST_LOOP), a datagram to a group this host joined on
 * `dev` is also looped back to this host (`ip_mc_output`).
 * Takes ownership of `skb`. Returns 0 or a negative errno.
 */
export function ipOutput(
  k: Kernel,
  skb: SkBuff,
  dev: NetDevice,
  src: number,
  dst: number,
  protocol: number,
  ttl: number,
  routerAlert = false,
  loop = false,
  opts: IpOutOpts | null = null,
): number {
  const hlen = routerAlert ? 24 : 20;
  const total = skb.len + hlen;
  const mtu = opts?.mtu ?? dev.mtu;
  const fragment = total > mtu && (opts?.df === false || opts?.mayFragment === true);
  if (total > mtu && !fragment) {
    // `__ip_append_data` refuses it before any counter: no Ip OutDiscards (measured on Linux
    // 6.18 with ping -M do, fixture router-unreachable-fragments).
    skb.free();
    return -EMSGSIZE;
  }
  const at = skb.push(hlen);
  const tos = opts?.tos ?? 0;
  const df = (opts?.df ?? true) && !fragment ? IP_DF : 0;
  Ipv4View.write(skb.buf, at, tos, total, k.nextIpId(), df, ttl, protocol, src, dst, routerAlert);
  skb.networkHeader = at;
  k.mib.ip.OutRequests++;
  const nexthop = opts?.nexthop ?? dst;
  if (fragment) {
    ipFragment(k, skb, mtu, (f) => ipFinishOutput(k, f, dev, nexthop, loop));
    return 0;
  }
  return ipFinishOutput(k, skb, dev, nexthop, loop);
}

/**
 * `dev_loopback_xmit`: the copy goes up this host's own receive path (through
 * the backlog), with no MAC header and no wire frame behind it.
 */
function loopback(k: Kernel, copy: SkBuff, dev: NetDevice): void {
  copy.pktType = PACKET_LOOPBACK;
  copy.protocol = ETH_P_IP;
  copy.macHeader = copy.data;
  copy.wireSeq = -1;
  copy.iif = dev.ifindex;
  copy.dev = dev;
  k.machine.softnet.netifRx(copy, dev);
}

/**
 * Resolves the link-layer destination and queues the frame (`ip_finish_output2`):
 * `dst` is the next hop (the gateway of a route through one).
 */
export function ipFinishOutput(
  k: Kernel,
  skb: SkBuff,
  dev: NetDevice,
  dst: number,
  loop: boolean,
): number {
  k.mib.ip.OutTransmits++;
  const ipExt = k.ipExt.c;
  ipExt.OutOctets += skb.len;
  if (isMulticastIp(dst)) {
    ipExt.OutMcastPkts++;
    ipExt.OutMcastOctets += skb.len;
    const copy = loop && k.inDev(dev).findGroup(dst) !== undefined ? skb.copy() : null;
    ipMulticastToMac(dst, mcMac, 0);
    const ret = ethOutput(skb, dev, mcMac);
    if (copy) loopback(k, copy, dev);
    return ret;
  }
  if (dst === INADDR_BROADCAST || k.inDev(dev).isBroadcast(dst)) {
    ipExt.OutBcastPkts++;
    ipExt.OutBcastOctets += skb.len;
    return ethOutput(skb, dev, BROADCAST_MAC);
  }
  // `lo` resolves nothing: its neighbours are all itself (arp_constructor: NUD_NOARP). A drop
  // there (lo down) reaches no caller: the send succeeded, as on Linux.
  if (dev.type === 'loopback') {
    ethOutput(skb, dev, dev.devAddr);
    return 0;
  }
  k.neigh.output(dst, dev, skb);
  return 0;
}

/** Pushes the Ethernet header and hands the frame to the device's queue. */
export function ethOutput(
  skb: SkBuff,
  dev: NetDevice,
  destMac: Uint8Array,
  type = ETH_P_IP,
): number {
  const at = skb.push(ETH_HLEN);
  EthernetView.write(skb.buf, at, destMac, dev.devAddr, type);
  skb.macHeader = at;
  const ret = devQueueXmit(skb, dev);
  return ret;
}
