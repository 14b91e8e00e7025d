import { capableNetAdmin, type Cred } from '../netdev/cred';
import { EINVAL, EPERM } from '../netdev/errno';
import { prefixToMask } from '../wire/ipv4-addr';
import type { Kernel } from './kernel';
import { RT_SCOPE_HOST, type RouteRequest } from './route';

/** A netlink answer: 0 or a negative errno, with the kernel's extended ack message when it gave one. */
export interface NetlinkAck {
  err: number;
  extack?: string;
}

/**
 * RTM_NEWROUTE (net/ipv4/fib_frontend.c `inet_rtm_newroute`, then
 * `fib_create_info`), as `ip route add` sends it: CAP_NET_ADMIN, a prefix
 * with no host bits set, no gateway on a host-scope route, a preferred
 * source that is this host's, a gateway on a connected subnet; the kernel's
 * own words for each refusal.
 */
export function inetRtmNewRoute(k: Kernel, req: RouteRequest, cred: Cred): NetlinkAck {
  if (!capableNetAdmin(cred)) return { err: -EPERM };
  if ((req.dst & ~prefixToMask(req.prefixLen)) >>> 0 !== 0)
    return { err: -EINVAL, extack: 'Invalid prefix for given prefix length' };
  if (req.gateway && req.scope === RT_SCOPE_HOST)
    return { err: -EINVAL, extack: 'Route with host scope can not have a gateway' };
  if (req.prefSrc && !k.isLocalAddr(req.prefSrc))
    return { err: -EINVAL, extack: 'Invalid prefsrc address' };
  const err = k.routes.insert(req);
  if (err === -EINVAL) return { err, extack: 'Nexthop has invalid gateway' };
  return { err };
}

/** RTM_DELROUTE (`inet_rtm_delroute`): the first route matching what the request names. */
export function inetRtmDelRoute(k: Kernel, req: RouteRequest, cred: Cred): NetlinkAck {
  if (!capableNetAdmin(cred)) return { err: -EPERM };
  return { err: k.routes.delete(req) };
}
