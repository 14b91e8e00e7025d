import type { BrFdbState } from '../../kernel/bridge/br-fdb';
import type { NetBridge } from '../../kernel/bridge/net-bridge';
import { capableNetAdmin } from '../../netdev/cred';
import { devMcAdd, devMcDel } from '../../netdev/dev-addr';
import { devUcAddExcl, devUcDel } from '../../netdev/dev-uc';
import { EEXIST, EINVAL, ENOENT, EOPNOTSUPP, EPERM, strerror } from '../../netdev/errno';
import type { NetDevice } from '../../netdev/net-device';
import { parseIpv4 } from '../../wire/ipv4-addr';
import { macKey, parseMac } from '../../wire/mac';
import type { CommandContext } from './context';

/**
 * What `bridge fdb add|append|replace|del`, `bridge mdb add|del` and `bridge link set` change,
 * parsed as iproute2 6.1 parses them and answered as Linux 6.18's rtnetlink answers (its
 * errors, exit status 255).
 */

const rtnl = (ctx: CommandContext, err: number) => {
  ctx.job.print(`RTNETLINK answers: ${strerror(err)}`);
  return 255;
};

/** `fdb_modify`: `bridge fdb add|append|replace|del [to] MAC dev DEV [master] [self] [STATE]` */
export function fdbModify(ctx: CommandContext, cmd: string, args: string[]): number {
  let dev: string | null = null;
  let addr: string | null = null;
  let self = false;
  let master = false;
  let state: BrFdbState | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'dev') {
      dev = args[++i] ?? null;
      if (dev === null) return incomplete(ctx);
    } else if (a === 'self') self = true;
    else if (a === 'master') master = true;
    else if ('local'.startsWith(a) || 'permanent'.startsWith(a)) state = 'permanent';
    else if ('temp'.startsWith(a) || 'static'.startsWith(a)) state = 'static';
    else if ('dynamic'.startsWith(a)) state = 'dynamic';
    else if (a === 'vlan') {
      // No VLAN filtering in the lab (vlan_filtering 0): the kernel refuses a VLAN'd entry.
      if (args[++i] === undefined) return incomplete(ctx);
      return rtnl(ctx, -EINVAL);
    } else {
      const v = a === 'to' ? args[++i] : a;
      if (v === undefined) return incomplete(ctx);
      if (addr !== null) {
        ctx.job.print(`Error: either "to" is duplicate, or "${v}" is a garbage.`);
        return 255;
      }
      addr = v;
    }
  }
  if (dev === null || addr === null) {
    ctx.job.print('Device and address are required arguments.');
    return 255;
  }
  if (!self && !master) self = true;
  const mac = parseMac(addr);
  if (!mac) {
    ctx.job.print(`Invalid mac address ${addr}`);
    return 255;
  }
  const d = ctx.kernel.devByName(dev);
  if (!d) {
    ctx.job.print(`Cannot find device "${dev}"`);
    return 255;
  }
  if (d.type === 'loopback') {
    ctx.job.print(
      `Error: FDB ${cmd === 'del' ? 'delete' : 'add'} only supported for Ethernet devices.`,
    );
    return 255;
  }
  if (!capableNetAdmin(ctx.cred)) return rtnl(ctx, -EPERM);
  const key = macKey(mac);
  const k = ctx.kernel;
  // rtnl_fdb_add/del: `master` (or neither flag) goes to the port's bridge, `self` to the device.
  let err = -EOPNOTSUPP;
  const port = k.bridgePortOf(d);
  if (master && port) {
    err =
      cmd === 'del'
        ? port.br.fdbDel(port, key)
        : port.br.fdbAdd(port, key, state ?? 'permanent', cmd === 'add');
    if (err !== 0) return rtnl(ctx, err);
  }
  if (self) {
    const br = k.bridgeOf(d);
    if (br) err = cmd === 'del' ? br.fdbDel(null, key) : selfAddBridge(br, key, state, cmd);
    else err = cmd === 'del' ? selfDel(d, mac, key) : selfAdd(d, mac, key, state);
    if (err !== 0) return rtnl(ctx, err);
  }
  return err === 0 ? 0 : rtnl(ctx, err);
}

/** br0's own `ndo_fdb_add`: a local address of the bridge (`BR_FDB_LOCAL`, no port). */
function selfAddBridge(br: NetBridge, key: number, state: BrFdbState | null, cmd: string): number {
  return br.fdbAdd(null, key, state ?? 'permanent', cmd === 'add');
}

/** `ndo_dflt_fdb_add`: only permanent addresses, into the device's unicast or multicast list. */
function selfAdd(d: NetDevice, mac: Uint8Array, key: number, state: BrFdbState | null): number {
  if (state !== null && state !== 'permanent') return -EINVAL;
  if (mac[0] & 1) {
    if (d.mc.find(key)) return -EEXIST;
    return devMcAdd(d, mac);
  }
  return devUcAddExcl(d, key);
}

function selfDel(d: NetDevice, mac: Uint8Array, key: number): number {
  if (mac[0] & 1) return d.mc.find(key) ? devMcDel(d, mac) : -ENOENT;
  return devUcDel(d, key);
}

function incomplete(ctx: CommandContext): number {
  ctx.job.print('Command line is not complete. Try option "help"');
  return 255;
}

/** `mdb_modify`: `bridge mdb add|del dev BR port PORT grp GROUP [permanent|temp]` */
export function mdbModify(ctx: CommandContext, cmd: string, args: string[]): number {
  let dev: string | null = null;
  let portName: string | null = null;
  let grp: string | null = null;
  let permanent = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'dev' || a === 'port' || a === 'grp') {
      const v = args[++i];
      if (v === undefined) return incomplete(ctx);
      if (a === 'dev') dev = v;
      else if (a === 'port') portName = v;
      else grp = v;
    } else if ('permanent'.startsWith(a)) permanent = true;
    else if ('temp'.startsWith(a)) permanent = false;
    else {
      ctx.job.print(`bridge: unknown argument "${a}"`);
      return 255;
    }
  }
  if (dev === null || portName === null || grp === null) {
    ctx.job.print('Device, group address and port name are required arguments.');
    return 255;
  }
  const k = ctx.kernel;
  const d = k.devByName(dev);
  if (!d) {
    ctx.job.print(`Cannot find device "${dev}"`);
    return 255;
  }
  const pd = k.devByName(portName);
  if (!pd) {
    ctx.job.print(`Cannot find device "${portName}"`);
    return 255;
  }
  const group = parseIpv4(grp);
  if (group === null) {
    // iproute2 would try IPv6 and a MAC next: the lab speaks IPv4 only.
    ctx.job.print(`Invalid address "${grp}"`);
    return 255;
  }
  const br = k.bridgeOf(d);
  if (!br) {
    ctx.job.print('Error: Device does not support MDB operations.');
    return 255;
  }
  if (!capableNetAdmin(ctx.cred)) return rtnl(ctx, -EPERM);
  const port = pd === d ? null : br.portOf(pd);
  if (port === undefined) {
    ctx.job.print('Error: bridge: Net device is not a bridge port.');
    return 255;
  }
  if (cmd === 'del') {
    const err = br.mcast.mdb.delUser(group, port);
    return err === 0 ? 0 : rtnl(ctx, err);
  }
  if (group >>> 8 === 0xe00000) {
    ctx.job.print('Error: IPv4 entry group address is local multicast.');
    return 255;
  }
  if (group >>> 28 !== 0xe) {
    ctx.job.print('Error: IPv4 entry group address is not multicast.');
    return 255;
  }
  if (!br.up) {
    ctx.job.print('Error: Bridge device is not running.');
    return 255;
  }
  const r = br.mcast.mdb.addUser(
    group,
    port,
    permanent,
    k.now + br.mcast.opts.membershipIntervalNs,
  );
  if (r.err === 0) return 0;
  ctx.job.print(`Error: ${r.msg ?? strerror(r.err)}.`);
  return 255;
}

const LINK_SET_USAGE = [
  'Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]',
  '                               [ guard {on | off} ]',
  '                               [ hairpin {on | off} ]',
  '                               [ fastleave {on | off} ]',
  '                               [ root_block {on | off} ]',
  '                               [ learning {on | off} ]',
  '                               [ learning_sync {on | off} ]',
  '                               [ flood {on | off} ]',
  '                               [ mcast_router MULTICAST_ROUTER ]',
  '                               [ mcast_flood {on | off} ]',
  '                               [ bcast_flood {on | off} ]',
  '                               [ mcast_to_unicast {on | off} ]',
  '                               [ neigh_suppress {on | off} ]',
  '                               [ vlan_tunnel {on | off} ]',
  '                               [ isolated {on | off} ]',
  '                               [ locked {on | off} ]',
  '                               [ hwmode {vepa | veb} ]',
  '                               [ backup_port DEVICE ] [ nobackup_port ]',
  '                               [ self ] [ master ]',
  '       bridge link show [dev DEV]',
];

/**
 * A port's multicast options, from `bridge link set dev DEV fastleave on|off mcast_router N`
 * or `ip link set DEV type bridge_slave fastleave|mcast_fast_leave on|off mcast_router N`.
 * The other options of a port are not modelled and say so.
 */
export interface PortOptions {
  fastLeave?: boolean;
  router?: number;
}

/** Parses port options; returns them, or an exit status after printing iproute2's error. */
export function parsePortOptions(
  ctx: CommandContext,
  args: string[],
  usage: () => number,
  /** What a bad on/off exits with: 1 from `ip`, 234 from `bridge` (its `exit(-22)`). */
  onOffStatus: number,
): PortOptions | number {
  const o: PortOptions = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const v = args[++i];
    if (v === undefined) return incomplete(ctx);
    if (a === 'fastleave' || a === 'mcast_fast_leave') {
      if (v !== 'on' && v !== 'off') {
        ctx.job.print(`Error: argument of "${a}" must be one of "off", "on", not "${v}"`);
        return onOffStatus;
      }
      o.fastLeave = v === 'on';
    } else if (a === 'mcast_router') {
      if (!/^\d+$/.test(v)) {
        ctx.job.print(`Error: argument "${v}" is wrong: invalid mcast_router`);
        return 255;
      }
      o.router = Number(v);
    } else if (USAGE_OPTIONS.has(a)) {
      ctx.job.print(
        `netlab: bridge port option "${a}" is not modelled (STP and VLANs are out of scope)`,
      );
      return 255;
    } else return usage();
  }
  return o;
}

const USAGE_OPTIONS = new Set([
  'cost',
  'priority',
  'state',
  'guard',
  'hairpin',
  'root_block',
  'learning',
  'learning_sync',
  'flood',
  'mcast_flood',
  'bcast_flood',
  'mcast_to_unicast',
  'neigh_suppress',
  'vlan_tunnel',
  'isolated',
  'locked',
  'hwmode',
  'backup_port',
  'proxy_arp',
]);

/** Applies port options through rtnetlink's bridge port attributes (`br_setport`): 0 or -errno. */
export function applyPortOptions(ctx: CommandContext, dev: NetDevice, o: PortOptions): number {
  const port = ctx.kernel.bridgePortOf(dev);
  if (!port) return -EOPNOTSUPP;
  if (!capableNetAdmin(ctx.cred)) return -EPERM;
  if (o.router !== undefined) {
    const err = port.br.mcast.setPortRouter(port, o.router);
    if (err !== 0) return err;
  }
  if (o.fastLeave !== undefined) port.fastLeave = o.fastLeave;
  return 0;
}

/** `brlink_modify`: `bridge link set dev DEV OPTIONS…` */
export function linkModify(ctx: CommandContext, args: string[]): number {
  const usage = () => {
    ctx.job.print(...LINK_SET_USAGE);
    return 255;
  };
  let devName: string | null = null;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === 'dev') {
      devName = args[++i] ?? null;
      if (devName === null) return incomplete(ctx);
    } else if (args[i] === 'master' || args[i] === 'self') continue;
    else rest.push(args[i]);
  }
  const o = parsePortOptions(ctx, rest, usage, 234);
  if (typeof o === 'number') return o;
  if (devName === null) {
    ctx.job.print('Device is a required argument.');
    return 255;
  }
  const dev = ctx.kernel.devByName(devName);
  if (!dev) {
    ctx.job.print(`Cannot find bridge device "${devName}"`);
    return 255;
  }
  const err = applyPortOptions(ctx, dev, o);
  return err === 0 ? 0 : rtnl(ctx, err);
}
