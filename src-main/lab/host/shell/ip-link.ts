import type { Kernel } from '../../kernel/kernel';
import { capableNetAdmin, type Cred } from '../../netdev/cred';
import { devIoctl } from '../../netdev/dev-ioctl';
import { EINVAL, EPERM, strerror } from '../../netdev/errno';
import {
  IFF_ALLMULTI,
  IFF_BROADCAST,
  IFF_DEBUG,
  IFF_LOOPBACK,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_NOTRAILERS,
  IFF_POINTOPOINT,
  IFF_PROMISC,
  IFF_RUNNING,
  IFF_UP,
} from '../../netdev/flags';
import { SIOCGIFFLAGS, SIOCSIFHWADDR, SIOCSIFMTU, SIOCSIFTXQLEN } from '../../netdev/ioctl';
import type { NetDevice } from '../../netdev/net-device';
import type { IfReq } from '../../netdev/ops';
import { formatMac, parseMac } from '../../wire/mac';
import type { CommandContext } from './context';
import { changeFlags, ioctlByName, parseIntStrict } from './devices';
import { NetBridge } from '../../kernel/bridge/net-bridge';
import { bridgeDetails, bridgeSlaveDetails, takeBridgeArgs } from './ip-link-bridge';
import {
  bridgeLinkDetails,
  linkDetails,
  linkStatsLines,
  NO_IP_OPTIONS,
  type IpOptions,
} from './ip-link-stats';

/** IFF_LOWER_UP: the carrier is there (reported by rtnetlink, not by SIOCGIFFLAGS). */
const IFF_LOWER_UP = 0x10000;

/** iproute2's print order (`print_link_flags`), which differs from ifconfig's. */
const ORDER: [number, string][] = [
  [IFF_LOOPBACK, 'LOOPBACK'],
  [IFF_BROADCAST, 'BROADCAST'],
  [IFF_POINTOPOINT, 'POINTOPOINT'],
  [IFF_MULTICAST, 'MULTICAST'],
  [IFF_NOARP, 'NOARP'],
  [IFF_ALLMULTI, 'ALLMULTI'],
  [IFF_PROMISC, 'PROMISC'],
  [IFF_DEBUG, 'DEBUG'],
  [IFF_NOTRAILERS, 'NOTRAILERS'],
  [IFF_UP, 'UP'],
  [IFF_LOWER_UP, 'LOWER_UP'],
];

/**
 * Devices that have had a qdisc attached: Linux attaches pfifo_fast on the
 * first open and keeps it when the device goes down; a device never opened
 * shows `noop`. The shell notes devices it sees up; a driver reload forgets.
 */
const qdiscAttached = new WeakSet<NetDevice>();

export function noteQdiscs(k: Kernel): void {
  for (const dev of k.devices) if (dev.flags & IFF_UP) qdiscAttached.add(dev);
}

export function forgetQdisc(dev: NetDevice): void {
  qdiscAttached.delete(dev);
}

/** `<BROADCAST,MULTICAST,UP,LOWER_UP>` with NO-CARRIER first when up without a link. */
export function linkFlagsText(flags: number): string {
  const parts: string[] = [];
  if (flags & IFF_UP && !(flags & IFF_RUNNING)) parts.push('NO-CARRIER');
  for (const [bit, name] of ORDER) if (flags & bit) parts.push(name);
  return `<${parts.join(',')}>`;
}

/**
 * The two lines iproute2 prints for a link; `ip addr` omits `mode DEFAULT`.
 * Flags come from SIOCGIFFLAGS, plus LOWER_UP when the carrier is up.
 */
export function linkLines(
  dev: NetDevice,
  cred: Cred,
  withMode: boolean,
  opts: IpOptions = NO_IP_OPTIONS,
): string[] {
  const ifr: IfReq = {};
  devIoctl(dev, SIOCGIFFLAGS, ifr, cred);
  let flags = ifr.flags ?? 0;
  const running = (flags & IFF_RUNNING) !== 0;
  if (running) flags |= IFF_LOWER_UP;
  if (flags & IFF_UP) qdiscAttached.add(dev);
  const br = dev.priv instanceof NetBridge ? dev.priv : null;
  // IFF_NO_QUEUE (lo, a bridge: its frames queue on the ports) gets noqueue; a card pfifo_fast
  // from its first open, noop before.
  const qdisc = dev.noQueue || br ? 'noqueue' : qdiscAttached.has(dev) ? 'pfifo_fast' : 'noop';
  const mode = withMode ? ' mode DEFAULT' : '';
  const master = dev.master ? ` master ${dev.master.name}` : '';
  const details = opts.details ? linkDetails(dev) : '';
  const port =
    opts.details && dev.master?.priv instanceof NetBridge ? dev.master.priv.portOf(dev) : undefined;
  // lo's driver never sets an operational state: up, it is UNKNOWN.
  const loop = dev.type === 'loopback';
  const state = running ? (loop ? 'UNKNOWN' : 'UP') : 'DOWN';
  const lines = [
    `${dev.ifindex}: ${dev.name}: ${linkFlagsText(flags)} mtu ${dev.mtu} qdisc ${qdisc}${master} ` +
      `state ${state}${mode} group default qlen ${dev.txQueueLen}`,
    `    link/${loop ? 'loopback' : 'ether'} ${formatMac(dev.devAddr)} brd ${formatMac(dev.broadcast)}${(br || port) && opts.details ? bridgeLinkDetails(dev) : details}`,
  ];
  if (br && opts.details) lines.push(bridgeDetails(br));
  // A port's queue and offload limits follow its bridge_slave details, as iproute2 orders them.
  if (port)
    lines.push(bridgeSlaveDetails(port.br.k, port, details.slice(bridgeLinkDetails(dev).length)));
  if (opts.stats > 0) lines.push(...linkStatsLines(dev, opts.stats));
  return lines;
}

/** `ip [-s] [-d] link [show] [dev] [NAME]` */
export function ipLinkShow(
  ctx: CommandContext,
  args: string[],
  opts: IpOptions = NO_IP_OPTIONS,
): number {
  const k = ctx.kernel;
  let name: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] === 'dev' ? args[++i] : args[i];
    if (a === undefined) return incomplete(ctx);
    name = a;
  }
  if (name !== null) {
    const dev = k.devByName(name);
    if (!dev) {
      ctx.job.print(`Device "${name}" does not exist.`);
      return 1;
    }
    ctx.job.print(...linkLines(dev, ctx.cred, true, opts));
    return 0;
  }
  for (const dev of k.devices) ctx.job.print(...linkLines(dev, ctx.cred, true, opts));
  return 0;
}

/** iproute2's NEXT_ARG when the line ends early. */
export function incomplete(ctx: CommandContext): number {
  ctx.job.print('Command line is not complete. Try option "help"');
  return 255;
}

function onOff(ctx: CommandContext, what: string, value: string | undefined): boolean | null {
  if (value === 'on') return true;
  if (value === 'off') return false;
  ctx.job.print(`Error: argument of "${what}" must be "on" or "off", not "${value ?? ''}"`);
  return null;
}

/**
 * `ip link set [dev] NAME up|down|promisc on|off|allmulticast on|off|mtu N|
 * address MAC|txqueuelen N`. iproute2 sends all of it as one request, which
 * the kernel applies as address, MTU, queue length, then flags, stopping at
 * the first error; here each step is the matching interface ioctl.
 */
export function ipLinkSet(ctx: CommandContext, all: string[]): number {
  const out = ctx.job;
  const bridgeArgs = takeBridgeArgs(ctx, all);
  if (typeof bridgeArgs === 'number') return bridgeArgs;
  const args = bridgeArgs.rest;
  let name: string | null = null;
  let mac: Uint8Array | null = null;
  let mtu: number | null = null;
  let qlen: number | null = null;
  let set = 0;
  let clear = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = () => args[++i];
    if (a === 'up') {
      set |= IFF_UP;
      clear &= ~IFF_UP;
    } else if (a === 'down') {
      clear |= IFF_UP;
      set &= ~IFF_UP;
    } else if (a === 'promisc' || a === 'allmulticast') {
      const on = onOff(ctx, a, next());
      if (on === null) return 1;
      const bit = a === 'promisc' ? IFF_PROMISC : IFF_ALLMULTI;
      if (on) set |= bit;
      else clear |= bit;
    } else if (a === 'mtu' || a === 'txqueuelen' || a === 'qlen' || a === 'txqlen') {
      const v = next();
      if (v === undefined) return incomplete(ctx);
      const n = parseIntStrict(v);
      const label = a === 'mtu' ? 'mtu' : 'txqueuelen';
      // iproute2 reads mtu with get_integer: a negative one reaches dev_validate_mtu.
      if (n === null || (n < 0 && a !== 'mtu') || n > 0x7fffffff || n < -0x80000000) {
        out.print(`Error: argument "${v}" is wrong: Invalid "${label}" value`);
        return 1;
      }
      if (a === 'mtu') mtu = n;
      else qlen = n;
    } else if (a === 'address') {
      const v = next();
      if (v === undefined) return incomplete(ctx);
      mac = parseMac(v);
      if (!mac) {
        out.print(`"${v}" is invalid lladdr.`);
        return 1;
      }
    } else if (a === 'dev' || name === null) {
      const v = a === 'dev' ? next() : a;
      if (v === undefined) return incomplete(ctx);
      if (name !== null) {
        out.print(`Error: either "dev" is duplicate, or "${v}" is a garbage.`);
        return 1;
      }
      name = v;
    } else {
      out.print(`Error: either "dev" is duplicate, or "${a}" is a garbage.`);
      return 1;
    }
  }
  if (name === null) {
    out.print('Not enough information: "dev" argument is required.');
    return 1;
  }
  const k = ctx.kernel;
  if (!k.devByName(name)) {
    out.print(`Cannot find device "${name}"`);
    return 1;
  }
  const fail = (err: number) => {
    out.print(`RTNETLINK answers: ${strerror(err)}`);
    return 2;
  };
  // rtnetlink refuses any change request without CAP_NET_ADMIN before looking at it.
  if (!capableNetAdmin(ctx.cred)) return fail(-EPERM);
  const steps: [number, IfReq][] = [];
  if (mac) steps.push([SIOCSIFHWADDR, { hwaddr: mac }]);
  if (mtu !== null) steps.push([SIOCSIFMTU, { mtu }]);
  if (qlen !== null) steps.push([SIOCSIFTXQLEN, { qlen }]);
  const dev = k.devByName(name)!;
  for (const [cmd, ifr] of steps) {
    const ret = ioctlByName(k, name, cmd, ifr, ctx.cred);
    if (ret === -EINVAL && cmd === SIOCSIFMTU && ifr.mtu !== undefined) {
      // dev_validate_mtu's extended acks.
      if (ifr.mtu < dev.minMtu) out.print('Error: mtu less than device minimum.');
      else if (ifr.mtu > dev.maxMtu) out.print('Error: mtu greater than device maximum.');
      else return fail(ret);
      return 2;
    }
    if (ret < 0) return fail(ret);
  }
  if (set | clear) {
    const r = changeFlags(k, name, set, clear, ctx.cred);
    if (r) return fail(r.err);
  }
  return bridgeArgs.apply(dev);
}
