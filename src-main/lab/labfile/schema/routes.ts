import type { z } from 'zod';
import { formatIpv4, parseIpv4, parseIpv4Prefix, prefixToMask } from '../../wire/ipv4-addr';
import { noSuchDev } from './cross-check';
import type { RouteSpec } from './hosts';

/** What a route may go through: a card or a bridge, with its address and whether it is up. */
export interface RouteDev {
  name: string;
  ip?: string;
  up?: boolean;
}

// A host's `routes:` checked as the kernel would check `ip route add` once its interfaces are up.

/** The interface whose connected subnet holds `addr` (among `ifaces` that are up), if any. */
function onLink(addr: number, ifaces: readonly RouteDev[]): RouteDev | undefined {
  return ifaces.find((i) => {
    if (i.up === false || i.ip === undefined) return false;
    const p = parseIpv4Prefix(i.ip)!;
    const mask = prefixToMask(p.prefix);
    return ((p.addr ^ addr) & mask) === 0;
  });
}

export function checkRoutes(
  host: string,
  ifaces: readonly RouteDev[],
  routes: readonly RouteSpec[],
  ctx: z.RefinementCtx,
): void {
  const add = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  const seen = new Map<string, number>();
  routes.forEach((r, i) => {
    const key = `${r.to} metric ${r.metric ?? 0}`;
    const first = seen.get(key);
    if (first !== undefined)
      add(
        ['routes', i, 'to'],
        `duplicate route to ${r.to}${r.metric ? ` with metric ${r.metric}` : ''} (also routes[${first}]): the kernel refuses it ("File exists"); give another metric`,
      );
    else seen.set(key, i);
    if (r.via === undefined && r.dev === undefined) {
      add(['routes', i], `a route to ${r.to} needs via: (a gateway) or dev: (an interface)`);
      return;
    }
    const iface = r.dev === undefined ? undefined : ifaces.find((x) => x.name === r.dev);
    if (r.dev !== undefined && !iface) {
      add(['routes', i, 'dev'], noSuchDev(host, r.dev, ifaces));
      return;
    }
    if (r.via === undefined) return;
    const gw = parseIpv4(r.via)!;
    const link = onLink(gw, iface ? [iface] : ifaces);
    if (!link) {
      const subnets = (iface ? [iface] : ifaces)
        .filter((x) => x.ip !== undefined && x.up !== false)
        .map((x) => `${x.ip} on ${x.name}`);
      add(
        ['routes', i, 'via'],
        `gateway ${formatIpv4(gw)} is not on ${iface ? `${iface.name}'s subnet` : `any of ${host}'s subnets`} (${subnets.join(', ') || 'none is up with an address'}): the kernel refuses it ("Nexthop has invalid gateway")`,
      );
    }
  });
}
