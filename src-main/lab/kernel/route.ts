import { ENETUNREACH } from '../netdev/errno';
import { IFF_UP } from '../netdev/flags';
import type { NetDevice } from '../netdev/net-device';
import { formatIpv4, isMulticastIp, prefixToMask } from '../wire/ipv4-addr';

/** One route: a destination prefix reached through a device, with the source to use. */
export interface Route {
  dst: number;
  prefixLen: number;
  mask: number;
  dev: NetDevice;
  /** Preferred source address (`src` in `ip route`). */
  prefSrc: number;
  /** `proto kernel scope link` routes come from addresses; they go with them. */
  kernel: boolean;
}

/**
 * The routing table of a host that routes nowhere: the subnets of its own
 * addresses (`proto kernel scope link`). Linux adds no route for 224.0.0.0/4:
 * a multicast send needs IP_MULTICAST_IF (or a route the user added), and a
 * join without an interface fails with ENODEV. There are no gateways:
 * anything else is unreachable (ENETUNREACH).
 */
export class RouteTable {
  readonly routes: Route[] = [];
  /** The local table, asked first: this host's own addresses and 127/8 go out `lo`. */
  localLookup: ((dst: number) => Route | null) | null = null;

  add(dst: number, prefixLen: number, dev: NetDevice, prefSrc: number, kernel: boolean): void {
    const mask = prefixToMask(prefixLen);
    this.routes.push({ dst: (dst & mask) >>> 0, prefixLen, mask, dev, prefSrc, kernel });
  }

  /** Removes the routes an address brought (or all of a device's when `src` is undefined). */
  removeFor(dev: NetDevice, src?: number): void {
    for (let i = this.routes.length - 1; i >= 0; i--) {
      const r = this.routes[i];
      if (r.dev === dev && (src === undefined || r.prefSrc === src)) this.routes.splice(i, 1);
    }
  }

  /**
   * `ip_route_output`: the longest matching prefix among routes whose device is up.
   * A multicast destination may be pinned to an interface (IP_MULTICAST_IF).
   */
  lookup(dst: number, oif: NetDevice | null): Route | number {
    const local = this.localLookup?.(dst) ?? null;
    if (local !== null && (oif === null || oif === local.dev)) return local;
    let best: Route | null = null;
    for (const r of this.routes) {
      if (!(r.dev.flags & IFF_UP)) continue;
      if (oif && r.dev !== oif) continue;
      if ((dst & r.mask) >>> 0 !== r.dst) continue;
      if (best === null || r.prefixLen > best.prefixLen) best = r;
    }
    if (best === null && oif && isMulticastIp(dst)) {
      return { dst, prefixLen: 32, mask: 0xffffffff, dev: oif, prefSrc: 0, kernel: false };
    }
    return best ?? -ENETUNREACH;
  }

  /** `ip route` output. */
  render(): string {
    return this.routes
      .map((r) => {
        const scope = r.kernel ? ' proto kernel scope link' : ' scope link';
        const src = r.prefSrc ? ` src ${formatIpv4(r.prefSrc)}` : '';
        // RTNH_F_LINKDOWN: the device is up without a carrier.
        const linkdown = r.dev.carrier ? '' : ' linkdown';
        return `${formatIpv4(r.dst)}/${r.prefixLen} dev ${r.dev.name}${scope}${src}${linkdown} \n`;
      })
      .join('');
  }
}
