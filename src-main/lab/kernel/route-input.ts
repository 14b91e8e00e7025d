import { IPPROTO_IGMP } from '../wire/ipv4';
import {
  INADDR_BROADCAST,
  isLocalMulticastIp,
  isLoopbackIp,
  isMulticastIp,
} from '../wire/ipv4-addr';
import { EHOSTUNREACH, ENETUNREACH } from '../netdev/errno';
import type { NetDevice } from '../netdev/net-device';
import type { Kernel } from './kernel';
import type { Route } from './route';

/** Route types (<linux/rtnetlink.h> RTN_*) `ipRouteInput` decides between. */
/** For another host, and this one forwards: `FibResult.route` says where to. */
export const RTN_UNICAST = 1;
export const RTN_LOCAL = 2;
export const RTN_BROADCAST = 3;
/**
 * For another host and no way on (`ip_error`): EHOSTUNREACH when the
 * interface does not forward (Ip InAddrErrors), ENETUNREACH when it does but
 * no route matches (IpExt InNoRoutes, and ICMP net unreachable back).
 */
export const RTN_UNREACHABLE = 7;
/** Not route types: the datagram is a martian, dropped and counted in rt_cache. */
export const MARTIAN_SOURCE = -1;
export const MARTIAN_DESTINATION = -2;

/**
 * What input routing found besides the type (Linux's `fib_result` and the
 * input dst's `error` and IPSKB_DOREDIRECT): one per kernel, read right after
 * `ipRouteInput` returns, so no object is made per datagram.
 */
export class FibResult {
  /** RTN_UNICAST: the route to forward by. */
  route: Route | null = null;
  /** RTN_UNREACHABLE: -EHOSTUNREACH or -ENETUNREACH. */
  error = 0;
  /** RTN_UNICAST: it leaves by the card it came in on, to a sender on that link (a redirect is due). */
  redirect = false;
}

/** 0.0.0.0/8, "this host on this network" (`ipv4_is_zeronet`). */
function isZeronet(addr: number): boolean {
  return addr >>> 24 === 0;
}

/**
 * `fib_validate_source` without reverse-path filtering: false when `src` is
 * one of this host's own addresses (`inet_lookup_ifaddr_rcu`; a frame from
 * another card claiming our address, e.g. a duplicate) or the directed
 * broadcast of one of its subnets (`__fib_validate_source`: the source's
 * route is RTN_BROADCAST, not RTN_UNICAST). Linux finds the broadcast case
 * only in its full check, run when rp_filter is on: the loose rp_filter = 2
 * that systemd-based distributions ship is what the lab models here. The
 * reverse-path test itself (is there a route back to `src`?) is not modelled:
 * the lab's hosts route only their own subnets, and that would drop every
 * frame an outside port brings from elsewhere.
 */
export function fibValidateSource(k: Kernel, src: number): boolean {
  return !k.local.isLocalOrBroadcast(src);
}

/**
 * `ip_route_input_slow` for a destination that is not multicast: whether the
 * datagram is for this host (RTN_LOCAL), a broadcast it takes (RTN_BROADCAST),
 * someone else's (RTN_UNREACHABLE), or a martian. Martians are counted in
 * /proc/net/stat/rt_cache (in_martian_src, in_martian_dst) and nowhere in
 * /proc/net/snmp: ip_rcv_finish_core drops them without an Ip counter.
 *
 * A source of 0.0.0.0 is a martian except towards 255.255.255.255: a host
 * that has no address yet (a DHCP client's DISCOVER, RFC 2131 §4.1; RFC 1122
 * §3.2.1.3 allows 0.0.0.0 only as such a source) must reach the broadcast,
 * and Linux takes those (`brd_input` skips the source check for 0.0.0.0/8).
 * The lab does the same, so a student's DHCP-like exchange works as on Linux.
 *
 * A unicast destination that is not this host's is routed on when the
 * receiving interface forwards (`net.ipv4.conf.DEV.forwarding`, set by
 * ip_forward) and the main table has a route (`k.fibRes` holds it); else it is
 * unreachable (`k.fibRes.error` says why). Multicast is never forwarded: the
 * lab has no multicast routing (no mroute daemon, no `ipmr`).
 */
export function ipRouteInput(k: Kernel, dst: number, src: number, dev: NetDevice): number {
  const stat = k.rtStat;
  if (isMulticastIp(src) || src === INADDR_BROADCAST) return countMartianSource(k);
  const ind = k.inDev(dev);
  if (dst === INADDR_BROADCAST || (src === 0 && dst === 0)) return brdInput(k, src);
  if (isZeronet(src)) return countMartianSource(k);
  if (isZeronet(dst) || isLoopbackIp(dst)) {
    stat.inMartianDst++;
    return MARTIAN_DESTINATION;
  }
  // route_localnet is 0: loopback addresses never arrive on a real device.
  if (isLoopbackIp(src)) return countMartianSource(k);
  // The local table holds every interface's broadcasts: a router takes its other subnets' too.
  if (ind.isBroadcast(dst) || k.local.isBroadcast(dst)) return brdInput(k, src);
  if (k.isLocalAddr(dst)) return fibValidateSource(k, src) ? RTN_LOCAL : countMartianSource(k);
  const res = k.fibRes;
  res.route = null;
  res.redirect = false;
  const route = ind.forwarding ? k.routes.lookup(dst, null) : -EHOSTUNREACH;
  if (typeof route === 'number') {
    stat.inNoRoute++;
    res.error = ind.forwarding ? -ENETUNREACH : -EHOSTUNREACH;
    return RTN_UNREACHABLE;
  }
  // __mkroute_input: the source is checked before a datagram is routed on.
  if (!fibValidateSource(k, src)) return countMartianSource(k);
  res.route = route;
  // IPSKB_DOREDIRECT: back out the same card, towards a sender on that card's link
  // (shared_media is on by default, so any sender the connected route covers).
  if (route.dev === dev && k.devconf.sendRedirects(ind)) {
    const back = k.routes.lookup(src, null);
    res.redirect = typeof back !== 'number' && back.dev === dev && back.gateway === 0;
  }
  return RTN_UNICAST;
}

function brdInput(k: Kernel, src: number): number {
  if (!isZeronet(src) && !fibValidateSource(k, src)) return countMartianSource(k);
  k.rtStat.inBrd++;
  return RTN_BROADCAST;
}

function countMartianSource(k: Kernel): number {
  k.rtStat.inMartianSrc++;
  return MARTIAN_SOURCE;
}

/**
 * `ip_mc_validate_source`, for a datagram to a group this host joined: a
 * multicast, broadcast or loopback source is refused, 0.0.0.0 only allowed to
 * the link-local groups (224.0.0.0/24) or for IGMP (a host without an address
 * may still report), anything else through `fibValidateSource`. Linux counts
 * none of these refusals (ip_route_input_mc returns the error without an
 * rt_cache count); a valid one counts in_slow_mc.
 */
export function ipMcValidateSource(k: Kernel, dst: number, src: number, protocol: number): boolean {
  let ok: boolean;
  if (isMulticastIp(src) || src === INADDR_BROADCAST || isLoopbackIp(src)) ok = false;
  else if (isZeronet(src)) ok = isLocalMulticastIp(dst) || protocol === IPPROTO_IGMP;
  else ok = fibValidateSource(k, src);
  if (ok) k.rtStat.inSlowMc++;
  return ok;
}

/**
 * Could `src` be a unicast sender's address at all, to a unicast destination
 * of this host? The checks of `ipRouteInput`, without counting: for ARP
 * replies, which Linux never routes (arp_process only learns from them into
 * an existing entry, and no entry can exist for such an address).
 */
export function isMartianSource(k: Kernel, src: number): boolean {
  return (
    isMulticastIp(src) ||
    src === INADDR_BROADCAST ||
    isZeronet(src) ||
    isLoopbackIp(src) ||
    !fibValidateSource(k, src)
  );
}
