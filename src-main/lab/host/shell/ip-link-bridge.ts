import { NetBridge } from '../../kernel/bridge/net-bridge';
import type { NetBridgePort } from '../../kernel/bridge/net-bridge-port';
import type { Kernel } from '../../kernel/kernel';
import { capableNetAdmin } from '../../netdev/cred';
import { ELOOP, EOPNOTSUPP, EPERM, strerror } from '../../netdev/errno';
import type { NetDevice } from '../../netdev/net-device';
import { applyPortOptions, parsePortOptions, type PortOptions } from './bridge-modify';
import type { CommandContext } from './context';

/**
 * The bridge's part of `ip link`: `add NAME type bridge`, `del NAME`, `set DEV master BR |
 * nomaster`, `set BR type bridge mcast_snooping 0|1 mcast_querier 0|1 ageing_time CS`, and
 * the bridge line of `ip -d link show br0`, as iproute2 6.1 prints them.
 */

const fail = (ctx: CommandContext, err: number) => {
  ctx.job.print(`RTNETLINK answers: ${strerror(err)}`);
  return 2;
};

/** `ip link add [name] NAME type bridge [options]` */
export function ipLinkAdd(ctx: CommandContext, args: string[]): number {
  let name: string | null = null;
  let type: string | null = null;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === 'type') {
      type = args[++i] ?? null;
      i++;
      break;
    }
    if (a === 'name' || a === 'dev') name = args[++i] ?? null;
    else name = a;
  }
  if (name === null) {
    ctx.job.print('Not enough information: "dev" argument is required.');
    return 1;
  }
  if (type === null) {
    ctx.job.print('Not enough information: "type" argument is required');
    return 1;
  }
  if (type !== 'bridge') {
    ctx.job.print(`Error: Unknown device type.`);
    return 2;
  }
  if (!capableNetAdmin(ctx.cred)) return fail(ctx, -EPERM);
  const br = ctx.kernel.addBridge(name);
  if (typeof br === 'number') return fail(ctx, br);
  return bridgeOptions(ctx, br, args.slice(i));
}

/** `ip link del [dev] NAME`: only bridges can go (cards belong to their drivers: rmmod). */
export function ipLinkDel(ctx: CommandContext, args: string[]): number {
  const name = args[0] === 'dev' ? args[1] : args[0];
  if (name === undefined) {
    ctx.job.print('Not enough information: "dev" argument is required.');
    return 1;
  }
  const dev = ctx.kernel.devByName(name);
  if (!dev) {
    ctx.job.print(`Cannot find device "${name}"`);
    return 1;
  }
  if (!capableNetAdmin(ctx.cred)) return fail(ctx, -EPERM);
  const br = ctx.kernel.bridgeOf(dev);
  if (!br) return fail(ctx, -EOPNOTSUPP);
  return ctx.kernel.delBridge(br) === 0 ? 0 : fail(ctx, -EOPNOTSUPP);
}

/**
 * Takes `master BR`, `nomaster` and `type bridge OPTIONS…` out of `ip link set`'s arguments
 * and applies them after the rest (iproute2 sends one request; the kernel sets the master
 * after the flags). Returns the remaining arguments and a step to run, or an exit code.
 */
export function takeBridgeArgs(
  ctx: CommandContext,
  args: string[],
): { rest: string[]; apply: (dev: NetDevice) => number } | number {
  const rest: string[] = [];
  let master: string | null | undefined;
  let options: string[] | null = null;
  let portOptions: PortOptions | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'master') {
      const v = args[++i];
      if (v === undefined) {
        ctx.job.print('Command line is not complete. Try option "help"');
        return 255;
      }
      if (!ctx.kernel.devByName(v)) {
        ctx.job.print(`Error: argument "${v}" is wrong: Device does not exist`, '');
        return 255;
      }
      master = v;
    } else if (a === 'nomaster') master = null;
    else if (a === 'type' && args[i + 1] === 'bridge_slave') {
      const o = parsePortOptions(
        ctx,
        args.slice(i + 2),
        () => {
          ctx.job.print(`bridge_slave: unknown option "${args[i + 2]}"?`);
          return 255;
        },
        1,
      );
      if (typeof o === 'number') return o;
      portOptions = o;
      break;
    } else if (a === 'type') {
      if (args[i + 1] !== 'bridge') {
        ctx.job.print(`Error: either "dev" is duplicate, or "${args[i + 1] ?? ''}" is a garbage.`);
        return 1;
      }
      options = args.slice(i + 2);
      break;
    } else rest.push(a);
  }
  return {
    rest,
    apply: (dev) => {
      const k = ctx.kernel;
      if (options !== null) {
        const br = k.bridgeOf(dev);
        if (!br) return fail(ctx, -EOPNOTSUPP);
        const r = bridgeOptions(ctx, br, options);
        if (r !== 0) return r;
      }
      if (portOptions !== null) {
        const err = applyPortOptions(ctx, dev, portOptions);
        if (err !== 0) return fail(ctx, err);
      }
      if (master === undefined) return 0;
      return setMaster(ctx, k, dev, master);
    },
  };
}

function setMaster(ctx: CommandContext, k: Kernel, dev: NetDevice, master: string | null): number {
  const current = k.bridgePortOf(dev);
  if (master === null) {
    current?.br.delIf(dev);
    return 0;
  }
  const brDev = k.devByName(master)!;
  const br = k.bridgeOf(brDev);
  if (!br) return fail(ctx, -EOPNOTSUPP);
  if (current?.br === br) return 0;
  // do_set_master: a device moving to another bridge leaves the old one first.
  current?.br.delIf(dev);
  const ret = k.enslave(br, dev);
  if (ret === -ELOOP && dev !== br.dev && !(dev.priv instanceof NetBridge)) {
    const other = br.ports.find((p) => k.wireOf(p.dev) === k.wireOf(dev));
    ctx.job.print(
      `Error: ${dev.name} is on the same segment as ${other?.name ?? 'a port'} of ${br.name}: a loop, and STP is not modelled (netlab refuses it).`,
    );
    return 2;
  }
  return ret === 0 ? 0 : fail(ctx, ret);
}

/** `type bridge` options: iproute2's names and units (ageing_time in centiseconds). */
function bridgeOptions(ctx: CommandContext, br: NetBridge, args: string[]): number {
  for (let i = 0; i < args.length; i += 2) {
    const opt = args[i];
    const v = args[i + 1];
    if (v === undefined) {
      ctx.job.print('Command line is not complete. Try option "help"');
      return 255;
    }
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    const bad = () => {
      ctx.job.print(`Error: argument "${v}" is wrong: Invalid ${opt}`);
      return 255;
    };
    if (opt === 'mcast_snooping') {
      if (n !== 0 && n !== 1) return bad();
      br.mcast.setSnooping(n === 1);
    } else if (opt === 'mcast_querier') {
      if (n !== 0 && n !== 1) return bad();
      br.mcast.setQuerier(n === 1);
    } else if (opt === 'ageing_time') {
      if (!Number.isFinite(n)) return bad();
      br.fdb.ageingTimeNs = n * 1e7;
    } else {
      ctx.job.print(`bridge: unknown command "${opt}"?`);
      return 255;
    }
  }
  return 0;
}

const cs = (ns: number) => Math.round(ns / 1e7);
/** iproute2 prints a bridge id's MAC without leading zeros: 8000.2:78:a7:d8:8:46 */
const bridgeId = (dev: NetDevice) =>
  `8000.${[...dev.devAddr].map((b) => b.toString(16)).join(':')}`;
const timer = (ns: number) => (ns / 1e9).toFixed(2).padStart(7);

/** The `bridge …` line `ip -d link show br0` prints after the link line's details. */
export function bridgeDetails(br: NetBridge): string {
  const m = br.mcast;
  const o = m.opts;
  const id = bridgeId(br.dev);
  return (
    `    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time ${cs(br.fdb.ageingTimeNs)} ` +
    `stp_state 0 priority 32768 vlan_filtering 0 bridge_id ${id} designated_root ${id} ` +
    `root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 ` +
    `hello_timer ${timer(0)} tcn_timer ${timer(0)} topology_change_timer ${timer(0)} ` +
    `gc_timer ${timer(br.gcRemaining())} group_fwd_mask 0 group_address 01:80:c2:00:00:00 ` +
    `mcast_snooping ${m.snooping ? 1 : 0} no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 ` +
    `mcast_query_use_ifaddr 0 mcast_querier ${m.querier ? 1 : 0} mcast_hash_elasticity 16 ` +
    `mcast_hash_max 4096 mcast_last_member_count ${o.lastMemberCount} ` +
    `mcast_startup_query_count ${o.startupQueryCount} ` +
    `mcast_last_member_interval ${cs(o.lastMemberIntervalNs)} ` +
    `mcast_membership_interval ${cs(o.membershipIntervalNs)} ` +
    `mcast_querier_interval ${cs(o.querierIntervalNs)} mcast_query_interval ${cs(o.queryIntervalNs)} ` +
    `mcast_query_response_interval ${cs(o.queryResponseIntervalNs)} ` +
    `mcast_startup_query_interval ${cs(o.startupQueryIntervalNs)} mcast_stats_enabled 0 ` +
    `mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 ` +
    `nf_call_arptables 0 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 ` +
    `tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 `
  );
}

/**
 * The `bridge_slave …` line `ip -d link show PORT` prints (iproute2 6.1), then `tail`: the
 * device's own queue and offload limits, which iproute2 prints after the slave's details.
 * STP is off, so the port is its own designated port on its bridge; the forward delay timer
 * Linux arms on the way to forwarding (15 s, counting down) is shown 0.00 here.
 */
export function bridgeSlaveDetails(k: Kernel, p: NetBridgePort, tail: string): string {
  const id = bridgeId(p.br.dev);
  const onOff = (b: boolean) => (b ? 'on' : 'off');
  return (
    `    bridge_slave state ${p.br.portState(p)} priority 32 cost ${portCost(k, p)} ` +
    `hairpin off guard off root_block off fastleave ${onOff(p.fastLeave)} learning on flood on ` +
    `port_id 0x${(0x8000 | p.portNo).toString(16)} port_no 0x${p.portNo.toString(16)} ` +
    `designated_port ${0x8000 | p.portNo} designated_cost 0 designated_bridge ${id} ` +
    `designated_root ${id} hold_timer ${timer(0)} message_age_timer ${timer(0)} ` +
    `forward_delay_timer ${timer(0)} topology_change_ack 0 config_pending 0 proxy_arp off ` +
    `proxy_arp_wifi off mcast_router ${p.multicastRouter} mcast_fast_leave ${onOff(p.fastLeave)} ` +
    `mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 ` +
    `group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off ${tail}`
  );
}

/** `port_cost` (br_if.c): 802.1D's short path cost from the link speed; 100 when unknown. */
export function portCost(k: Kernel, p: NetBridgePort): number {
  const speed = k.speedOf(p.dev);
  if (speed >= 10000) return speed > 10000 ? 1 : 2;
  if (speed >= 5000) return 3;
  if (speed >= 1000) return 4;
  if (speed >= 100) return 19;
  return 100;
}
