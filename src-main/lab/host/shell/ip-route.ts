import { inetRtmDelRoute, inetRtmNewRoute, type NetlinkAck } from '../../kernel/fib-frontend';
import {
  RT_SCOPE_NAMES,
  RTPROT_NAMES,
  type RouteException,
  type RouteRequest,
} from '../../kernel/route';
import { capableNetAdmin } from '../../netdev/cred';
import { ENODEV, EPERM, strerror } from '../../netdev/errno';
import type { NetDevice } from '../../netdev/net-device';
import { formatIpv4, isMulticastIp, parseIpv4, parseIpv4Prefix } from '../../wire/ipv4-addr';
import type { CommandContext } from './context';
import { incomplete } from './ip-link';
import { IP_ROUTE_USAGE } from './ip-route-usage';

/** A parsed command line, or the exit status after iproute2's message. */
type Parsed<T> = T | { status: number };

function failed<T extends object>(p: Parsed<T>): p is { status: number } {
  return 'status' in p;
}

/** iproute2's `invarg`: the message, then a blank line, exit 255. */
function invarg(ctx: CommandContext, what: string, arg: string): { status: number } {
  ctx.job.print(`Error: argument "${arg}" is wrong: ${what}`, '');
  return { status: 255 };
}

function badPrefix(ctx: CommandContext, arg: string): { status: number } {
  ctx.job.print(`Error: any valid prefix is expected rather than "${arg}".`);
  return { status: 1 };
}

/** `default`, `all`, `any` or ADDR[/LEN]. */
function prefixOf(text: string): { addr: number; prefix: number } | null {
  if (text === 'default' || text === 'all' || text === 'any') return { addr: 0, prefix: 0 };
  return parseIpv4Prefix(text);
}

/** A name from a table, or a number (as iproute2's rtnl_*_a2n). */
function named(table: Record<number, string>, text: string, max: number): number | null {
  for (const [n, name] of Object.entries(table)) if (name === text) return Number(n);
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n <= max ? n : null;
}

interface RouteArgs {
  req: RouteRequest;
  devName?: string;
}

/**
 * iproute2's `iproute_modify` argument loop for the keywords the lab has:
 * `[to] PREFIX`, `via [inet] ADDR`, `dev|oif NAME`, `metric|priority|preference N`,
 * `proto NAME`, `scope NAME`, `src ADDR`, and the `unicast` type.
 */
function parseRoute(ctx: CommandContext, args: string[]): Parsed<RouteArgs> {
  const req: RouteRequest = { dst: 0, prefixLen: -1 };
  let devName: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = (): string | undefined => args[++i];
    if (a === 'via') {
      let v = next();
      if (v === 'inet') v = next();
      if (v === undefined) return { status: incomplete(ctx) };
      const gw = parseIpv4(v);
      if (gw === null) {
        ctx.job.print(`Error: inet address is expected rather than "${v}".`);
        return { status: 1 };
      }
      req.gateway = gw;
    } else if (a === 'dev' || a === 'oif') {
      devName = next();
      if (devName === undefined) return { status: incomplete(ctx) };
    } else if (a === 'metric' || a === 'priority' || a === 'preference') {
      const v = next();
      if (v === undefined) return { status: incomplete(ctx) };
      if (!/^\d+$/.test(v) || Number(v) > 0xffffffff)
        return invarg(ctx, '"metric" value is invalid', v);
      req.metric = Number(v);
    } else if (a === 'proto' || a === 'protocol') {
      const v = next();
      if (v === undefined) return { status: incomplete(ctx) };
      const p = named(RTPROT_NAMES, v, 255);
      if (p === null) return invarg(ctx, '"protocol" value is invalid', v);
      req.protocol = p;
    } else if (a === 'scope') {
      const v = next();
      if (v === undefined) return { status: incomplete(ctx) };
      const s = named(RT_SCOPE_NAMES, v, 255);
      if (s === null) return invarg(ctx, 'invalid "scope" value', v);
      req.scope = s;
    } else if (a === 'src') {
      const v = next();
      if (v === undefined) return { status: incomplete(ctx) };
      const src = parseIpv4(v);
      if (src === null) {
        ctx.job.print(`Error: inet address is expected rather than "${v}".`);
        return { status: 1 };
      }
      req.prefSrc = src;
    } else if (a === 'unicast' && req.prefixLen < 0) {
      continue;
    } else {
      const text = a === 'to' ? next() : a;
      if (text === undefined) return { status: incomplete(ctx) };
      if (req.prefixLen >= 0) {
        ctx.job.print(`Error: either "to" is duplicate, or "${text}" is a garbage.`);
        return { status: 255 };
      }
      const p = prefixOf(text);
      if (!p) return badPrefix(ctx, text);
      req.dst = p.addr;
      req.prefixLen = p.prefix;
    }
  }
  return { req, devName };
}

function deviceOf(ctx: CommandContext, name: string | undefined): Parsed<{ dev?: NetDevice }> {
  if (name === undefined) return {};
  const dev = ctx.kernel.devByName(name);
  if (!dev) {
    ctx.job.print(`Cannot find device "${name}"`);
    return { status: 1 };
  }
  return { dev };
}

function answer(ctx: CommandContext, ack: NetlinkAck): number {
  if (ack.err === 0) return 0;
  ctx.job.print(ack.extack ? `Error: ${ack.extack}.` : `RTNETLINK answers: ${strerror(ack.err)}`);
  return 2;
}

/** `ip route add|del ROUTE` */
export function ipRouteModify(ctx: CommandContext, add: boolean, args: string[]): number {
  if (args.length === 0) {
    ctx.job.print(...IP_ROUTE_USAGE);
    return 255;
  }
  const parsed = parseRoute(ctx, args);
  if (failed(parsed)) return parsed.status;
  const d = deviceOf(ctx, parsed.devName);
  if (failed(d)) return d.status;
  const req = { ...parsed.req, dev: d.dev };
  if (req.prefixLen < 0) {
    // iproute2 sends a route with no destination as 0/0 on add and refuses to delete one.
    req.prefixLen = 0;
  }
  if (add) {
    // A route that names neither a gateway nor a device has nowhere to go.
    if (req.dev === undefined && !req.gateway) {
      return answer(ctx, { err: capableNetAdmin(ctx.cred) ? -ENODEV : -EPERM });
    }
    return answer(ctx, inetRtmNewRoute(ctx.kernel, req, ctx.cred));
  }
  return answer(ctx, inetRtmDelRoute(ctx.kernel, req, ctx.cred));
}

/** `ip route [show|list] [dev NAME] [[to] PREFIX]` */
export function ipRouteShow(ctx: CommandContext, args: string[]): number {
  let cache = false;
  let dev: NetDevice | undefined;
  let to: { addr: number; prefix: number } | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'dev' || a === 'oif') {
      const name = args[++i];
      if (name === undefined) return incomplete(ctx);
      const d = deviceOf(ctx, name);
      if (failed(d)) return d.status;
      dev = d.dev;
      continue;
    }
    if (a === 'table' && (args[i + 1] === 'main' || args[i + 1] === '254')) {
      i++;
      continue;
    }
    if (a === 'cache') {
      cache = true;
      continue;
    }
    const text = a === 'to' ? args[++i] : a;
    if (text === undefined) return incomplete(ctx);
    const p = prefixOf(text);
    if (!p) return badPrefix(ctx, text).status;
    to = p;
  }
  const k = ctx.kernel;
  if (cache) {
    // The nexthop exceptions redirects and frag needed left (`ip route show cache`), each with
    // its expiry.
    for (const [dst, e] of k.routes.exceptions) {
      if (e.expires <= k.now || (dev && e.route.dev !== dev)) continue;
      if (to && to.prefix > 0 && (dst ^ to.addr) >>> (32 - to.prefix) !== 0) continue;
      const via = e.route.gateway ? ` via ${formatIpv4(e.route.gateway)}` : '';
      ctx.job.print(`${formatIpv4(dst)}${via} dev ${e.route.dev.name} `, cacheLine(k, e));
    }
    return 0;
  }
  ctx.job.printText(k.routes.render({ dev, dst: to?.addr, prefixLen: to?.prefix }));
  return 0;
}

/** `expires 298sec `: whole seconds left, as the kernel's clock_t and iproute2's division give. */
function expiresText(k: CommandContext['kernel'], expires: number): string {
  return `expires ${Math.floor((expires - k.now) / 1e9)}sec `;
}

/** iproute2's `cache` line for a nexthop exception: its flags, expiry and learnt MTU. */
function cacheLine(k: CommandContext['kernel'], e: RouteException): string {
  const flags = e.redirected ? '<redirected> ' : '';
  return `    cache ${flags}${expiresText(k, e.expires)}${e.mtu > 0 ? `mtu ${e.mtu} ` : ''}`;
}

/** `ip route flush SELECTOR`: every main-table route the selector picks, gone. */
export function ipRouteFlush(ctx: CommandContext, args: string[]): number {
  if (args.length === 0) {
    ctx.job.print('"ip route flush" requires arguments.');
    return 1;
  }
  if (args.length === 1 && args[0] === 'cache') {
    // iproute2 writes /proc/sys/net/ipv4/route/flush: rt_cache_flush drops every exception.
    ctx.kernel.routes.flushCache();
    return 0;
  }
  let dev: NetDevice | undefined;
  let to: { addr: number; prefix: number } | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'dev') {
      const d = deviceOf(ctx, args[++i]);
      if (failed(d)) return d.status;
      dev = d.dev;
      continue;
    }
    const text = a === 'to' ? args[++i] : a;
    if (text === undefined) return incomplete(ctx);
    const p = prefixOf(text);
    if (!p) return badPrefix(ctx, text).status;
    to = p;
  }
  const k = ctx.kernel;
  const picked = k.routes.routes.filter(
    (r) =>
      (dev === undefined || r.dev === dev) &&
      // A prefix selects the routes inside it (iproute2's "root"), as flush treats it.
      (to === undefined ||
        (r.prefixLen >= to.prefix &&
          ((r.dst ^ to.addr) & (to.prefix === 0 ? 0 : (0xffffffff << (32 - to.prefix)) >>> 0)) ===
            0)),
  );
  for (const r of picked) {
    const ack = inetRtmDelRoute(
      k,
      { dst: r.dst, prefixLen: r.prefixLen, metric: r.metric, dev: r.dev, gateway: r.gateway },
      ctx.cred,
    );
    if (ack.err) return answer(ctx, ack);
  }
  return 0;
}

/**
 * `ip route get ADDR`: the route output would take (`inet_rtm_getroute`), as
 * iproute2 prints the cloned route: its type when not unicast, the gateway,
 * device, source and the asking user's uid, then the `cache` line. Any user may ask.
 */
export function ipRouteGet(ctx: CommandContext, args: string[]): number {
  let target: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const text = a === 'to' ? args[++i] : a;
    if (text === undefined) return incomplete(ctx);
    if (target !== undefined) {
      ctx.job.print(`Error: inet prefix is expected rather than "${text}".`);
      return 1;
    }
    target = text;
  }
  if (target === undefined) {
    ctx.job.print('need at least a destination address');
    return 1;
  }
  const p = parseIpv4Prefix(target);
  if (!p) return badPrefix(ctx, target).status;
  const k = ctx.kernel;
  const dst = p.addr;
  const uid = ctx.cred.uid;
  if (k.isLocalAddr(dst)) {
    ctx.job.print(
      `local ${formatIpv4(dst)} dev lo src ${formatIpv4(dst)} uid ${uid} `,
      '    cache <local> ',
    );
    return 0;
  }
  const route = k.routes.lookup(dst, null);
  if (typeof route === 'number') {
    ctx.job.print(`RTNETLINK answers: ${strerror(route)}`);
    return 2;
  }
  const src = route.prefSrc || k.inDev(route.dev).primary;
  const tail = `dev ${route.dev.name} src ${formatIpv4(src)}`;
  if (dst === 0xffffffff || k.inDev(route.dev).isBroadcast(dst)) {
    ctx.job.print(`broadcast ${formatIpv4(dst)} ${tail} uid ${uid} `, '    cache <local,brd> ');
  } else if (isMulticastIp(dst)) {
    // iproute2 6.1 reads the kernel's RTCF_MULTICAST flag as RTM_F_OFFLOAD_FAILED.
    ctx.job.print(
      `multicast ${formatIpv4(dst)} ${tail} rt_offload_failed uid ${uid} `,
      '    cache <mc> ',
    );
  } else {
    const via = route.gateway ? ` via ${formatIpv4(route.gateway)}` : '';
    const e = k.routes.exception(dst);
    ctx.job.print(
      `${formatIpv4(dst)}${via} ${tail} uid ${uid} `,
      e && e.route === route ? cacheLine(k, e) : '    cache ',
    );
  }
  return 0;
}
