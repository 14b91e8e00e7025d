import { EEXIST, EINVAL, ENETUNREACH, ENODEV, ESRCH } from '../netdev/errno';
import { IFF_UP } from '../netdev/flags';
import type { NetDevice } from '../netdev/net-device';
import { formatIpv4, isMulticastIp, prefixToMask } from '../wire/ipv4-addr';

/** Who added a route (<linux/rtnetlink.h> RTPROT_*), as `ip route` prints it. */
export const RTPROT_KERNEL = 2;
export const RTPROT_BOOT = 3;
export const RTPROT_STATIC = 4;
export const RTPROT_NAMES: Record<number, string> = {
  [RTPROT_KERNEL]: 'kernel',
  [RTPROT_BOOT]: 'boot',
  [RTPROT_STATIC]: 'static',
};

/** How far a destination is (RT_SCOPE_*): a gateway route is universe, a connected one link. */
export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;
export const RT_SCOPE_NAMES: Record<number, string> = {
  [RT_SCOPE_UNIVERSE]: 'global',
  [RT_SCOPE_LINK]: 'link',
  [RT_SCOPE_HOST]: 'host',
};

/** One route of the main table (a fib_alias with its single nexthop). */
export interface Route {
  dst: number;
  prefixLen: number;
  mask: number;
  dev: NetDevice;
  /** The next hop (`via`), 0 for a destination on the link itself. */
  gateway: number;
  /** Preferred source address (`src` in `ip route`), 0 when none. */
  prefSrc: number;
  /** `metric` (the route's priority): lower wins between equal prefixes. */
  metric: number;
  protocol: number;
  scope: number;
}

/** What a user's RTM_NEWROUTE / RTM_DELROUTE asks for (`ip route add|del`). */
export interface RouteRequest {
  dst: number;
  prefixLen: number;
  gateway?: number;
  dev?: NetDevice;
  metric?: number;
  protocol?: number;
  scope?: number;
  prefSrc?: number;
}

/**
 * The main routing table (fib_trie's RT_TABLE_MAIN): the subnets of the
 * host's own addresses (`proto kernel scope link`) and the routes a user adds,
 * through a gateway (`via`) or straight onto a link (`dev`). Lookup is Linux's:
 * the longest matching prefix among routes whose device is up, then the lowest
 * metric. Routes are kept in the order `ip route` lists them (by destination,
 * longer prefixes first within one, then by metric), so a dump is a walk.
 * Linux adds no route for 224.0.0.0/4: a multicast send needs IP_MULTICAST_IF
 * (or a route the user added). One nexthop per route: multipath is out of scope.
 */
/**
 * A nexthop exception (`struct fib_nh_exception`) a redirect or a frag needed left: traffic to
 * `daddr` that the route `base` would send to its gateway goes to `route.gateway` instead
 * (`redirected`; else `route` is `base`), and no datagram to it is larger than `mtu` (0: the
 * device's), until `expires` (ns).
 */
export interface RouteException {
  base: Route;
  route: Route;
  redirected: boolean;
  mtu: number;
  expires: number;
}

/** `ip_rt_gc_timeout`: a redirect's exception lasts 300 s. */
export const RT_GC_TIMEOUT_NS = 300e9;
/** `ip_rt_mtu_expires`: a learnt path MTU lasts 600 s. */
export const RT_MTU_EXPIRES_NS = 600e9;
/** `ip_rt_min_pmtu`: a frag needed never takes the path MTU below 552 (512 + 20 + 20). */
export const IP_RT_MIN_PMTU = 552;

export class RouteTable {
  readonly routes: Route[] = [];
  /** Redirected destinations (`update_or_create_fnhe`), by destination address. */
  readonly exceptions = new Map<number, RouteException>();
  /** The kernel's clock, for the exceptions' expiry. */
  clock: () => number = () => 0;
  /** The local table, asked first: this host's own addresses and 127/8 go out `lo`. */
  localLookup: ((dst: number) => Route | null) | null = null;
  /** See `multicastRoute`. */
  private lastMulticastRoute: Route | null = null;

  /** `fib_add_ifaddr`: the route an address brings to its subnet. */
  addKernel(local: number, prefixLen: number, dev: NetDevice): void {
    this.place({
      dst: local,
      prefixLen,
      mask: 0,
      dev,
      gateway: 0,
      prefSrc: local,
      metric: 0,
      protocol: RTPROT_KERNEL,
      scope: RT_SCOPE_LINK,
    });
  }

  /**
   * RTM_NEWROUTE with NLM_F_EXCL (`ip route add`): -EEXIST when a route to
   * the same prefix with the same metric exists, -EINVAL (extack "Nexthop has
   * invalid gateway") when the gateway is not on a link this host has a
   * connected route to (through `dev`, when given), -ENODEV without a device
   * or a gateway to find one by. Returns 0.
   */
  insert(req: RouteRequest): number {
    const metric = req.metric ?? 0;
    const gateway = req.gateway ?? 0;
    let dev = req.dev;
    const scope = req.scope ?? (gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
    if (gateway) {
      // fib_check_nh_v4_gw: the gateway must be reached directly, by a connected route.
      if (scope >= RT_SCOPE_LINK) return -EINVAL;
      const via = this.lookup(gateway, dev ?? null);
      if (typeof via === 'number' || via.gateway !== 0) return -EINVAL;
      dev = via.dev;
    }
    if (dev === undefined) return -ENODEV;
    const mask = prefixToMask(req.prefixLen);
    const dst = (req.dst & mask) >>> 0;
    if (
      this.routes.some((r) => r.dst === dst && r.prefixLen === req.prefixLen && r.metric === metric)
    )
      return -EEXIST;
    this.place({
      dst,
      prefixLen: req.prefixLen,
      mask,
      dev,
      gateway,
      prefSrc: req.prefSrc ?? 0,
      metric,
      protocol: req.protocol ?? RTPROT_BOOT,
      scope,
    });
    return 0;
  }

  /**
   * RTM_DELROUTE (`ip route del`): the first route (lowest metric) to the
   * prefix that matches every attribute given; -ESRCH when none does.
   */
  delete(req: RouteRequest): number {
    const mask = prefixToMask(req.prefixLen);
    const dst = (req.dst & mask) >>> 0;
    const i = this.routes.findIndex(
      (r) =>
        r.dst === dst &&
        r.prefixLen === req.prefixLen &&
        (req.metric === undefined || r.metric === req.metric) &&
        (req.gateway === undefined || r.gateway === req.gateway) &&
        (req.dev === undefined || r.dev === req.dev) &&
        (req.protocol === undefined || r.protocol === req.protocol) &&
        (req.scope === undefined || r.scope === req.scope),
    );
    if (i < 0) return -ESRCH;
    this.routes.splice(i, 1);
    return 0;
  }

  /** Removes the routes an address brought (or all of a device's when `src` is undefined). */
  removeFor(dev: NetDevice, src?: number): void {
    for (let i = this.routes.length - 1; i >= 0; i--) {
      const r = this.routes[i];
      if (r.dev === dev && (src === undefined || r.prefSrc === src)) this.routes.splice(i, 1);
    }
  }

  /**
   * `fib_lookup` in the main table: the longest matching prefix among routes
   * whose device is up (and is `oif`, when given), the lowest metric between
   * equals. A multicast destination may be pinned to an interface (IP_MULTICAST_IF).
   */
  lookup(dst: number, oif: NetDevice | null): Route | number {
    const local = this.localLookup?.(dst) ?? null;
    if (local !== null && (oif === null || oif === local.dev)) return local;
    let best: Route | null = null;
    const routes = this.routes;
    for (let i = 0; i < routes.length; i++) {
      const r = routes[i];
      if (!(r.dev.flags & IFF_UP)) continue;
      if (oif && r.dev !== oif) continue;
      if ((dst & r.mask) >>> 0 !== r.dst) continue;
      if (best === null || r.prefixLen > best.prefixLen) best = r;
      else if (r.prefixLen === best.prefixLen && r.metric < best.metric) best = r;
    }
    if (best === null && oif && isMulticastIp(dst)) return this.multicastRoute(dst, oif);
    if (best !== null && this.exceptions.size > 0) {
      const e = this.exceptions.get(dst);
      if (e !== undefined && e.base === best) {
        if (e.expires > this.clock()) return e.route;
        this.exceptions.delete(dst);
      }
    }
    return best ?? -ENETUNREACH;
  }

  /**
   * The route of a group no route covers, pinned to `oif`. A flood asks for the same one per
   * datagram, so the last one made is kept (routes are never changed in place).
   */
  private multicastRoute(dst: number, oif: NetDevice): Route {
    const last = this.lastMulticastRoute;
    if (last !== null && last.dst === dst && last.dev === oif) return last;
    const route: Route = {
      dst,
      prefixLen: 32,
      mask: 0xffffffff,
      dev: oif,
      gateway: 0,
      prefSrc: 0,
      metric: 0,
      protocol: RTPROT_KERNEL,
      scope: RT_SCOPE_LINK,
    };
    this.lastMulticastRoute = route;
    return route;
  }

  /** `update_or_create_fnhe` for a redirect: `dst` goes via `gateway` for 300 s. */
  redirect(dst: number, base: Route, gateway: number): void {
    const mtu = this.exception(dst)?.mtu ?? 0;
    this.exceptions.set(dst, {
      base,
      route: { ...base, gateway },
      redirected: true,
      mtu,
      expires: this.clock() + RT_GC_TIMEOUT_NS,
    });
  }

  /**
   * `__ip_rt_update_pmtu` (a frag needed reached a socket: `ipv4_sk_update_pmtu`): `dst`'s path
   * MTU becomes `mtu` (at least ip_rt_min_pmtu) for 600 s, if that is below what it is now.
   */
  updatePmtu(dst: number, mtu: number): void {
    const route = this.lookup(dst, null);
    if (typeof route === 'number' || route.dev.type === 'loopback') return;
    const old = this.pathMtu(dst, route);
    if (mtu < IP_RT_MIN_PMTU) mtu = Math.min(old, IP_RT_MIN_PMTU);
    if (mtu > old) return;
    const e = this.exception(dst);
    this.exceptions.set(dst, {
      base: e?.base ?? route,
      route: e?.route ?? route,
      redirected: e?.redirected ?? false,
      mtu,
      expires: this.clock() + RT_MTU_EXPIRES_NS,
    });
  }

  /** The MTU a datagram to `dst` by `route` may have: a learnt path MTU, else the device's. */
  pathMtu(dst: number, route: Route): number {
    const e = this.exceptions.size > 0 ? this.exception(dst) : undefined;
    return e && e.mtu > 0 && e.route === route ? Math.min(e.mtu, route.dev.mtu) : route.dev.mtu;
  }

  /** `ip route flush cache` (`rt_cache_flush`): every nexthop exception is gone. */
  flushCache(): void {
    this.exceptions.clear();
  }

  /** The exception `dst` is routed by now, if any. */
  exception(dst: number): RouteException | undefined {
    const e = this.exceptions.get(dst);
    return e && e.expires > this.clock() ? e : undefined;
  }

  /** `ip route [show] [dev NAME] [PREFIX]`: iproute2's lines, each ending in a space. */
  render(filter: { dev?: NetDevice; dst?: number; prefixLen?: number } = {}): string {
    let out = '';
    for (const r of this.routes) {
      if (filter.dev && r.dev !== filter.dev) continue;
      if (
        filter.prefixLen !== undefined &&
        (r.prefixLen !== filter.prefixLen || r.dst !== filter.dst)
      )
        continue;
      out += `${describeRoute(r, !filter.dev)} \n`;
    }
    return out;
  }

  /** Keeps the table in dump order: destination ascending, longer prefix first, then metric. */
  private place(r: Route): void {
    r.mask = prefixToMask(r.prefixLen);
    r.dst = (r.dst & r.mask) >>> 0;
    const after = (x: Route) =>
      x.dst > r.dst ||
      (x.dst === r.dst &&
        (x.prefixLen < r.prefixLen || (x.prefixLen === r.prefixLen && x.metric > r.metric)));
    const i = this.routes.findIndex(after);
    if (i < 0) this.routes.push(r);
    else this.routes.splice(i, 0, r);
  }
}

/** One route as iproute2's print_route writes it (without the trailing space). */
export function describeRoute(r: Route, withDev = true): string {
  // A host route is printed without its /32.
  let s = r.prefixLen === 0 ? 'default' : formatIpv4(r.dst);
  if (r.prefixLen > 0 && r.prefixLen < 32) s += `/${r.prefixLen}`;
  if (r.gateway) s += ` via ${formatIpv4(r.gateway)}`;
  if (withDev) s += ` dev ${r.dev.name}`;
  // iproute2 leaves out `proto boot` (what `ip route add` sets) and the universe scope.
  if (r.protocol !== RTPROT_BOOT) s += ` proto ${RTPROT_NAMES[r.protocol] ?? r.protocol}`;
  if (r.scope !== RT_SCOPE_UNIVERSE) s += ` scope ${RT_SCOPE_NAMES[r.scope] ?? r.scope}`;
  if (r.prefSrc) s += ` src ${formatIpv4(r.prefSrc)}`;
  if (r.metric) s += ` metric ${r.metric}`;
  // RTNH_F_LINKDOWN: the device is up without a carrier.
  if (!r.dev.carrier) s += ' linkdown';
  return s;
}
