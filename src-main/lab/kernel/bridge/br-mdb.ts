import { EEXIST, EINVAL } from '../../netdev/errno';
import type { NetBridgePort } from './net-bridge-port';

/**
 * One port's membership of a group (`struct net_bridge_port_group`): `expires` is when its
 * membership timer runs out unless another report renews it.
 */
export interface BrPortGroup {
  port: NetBridgePort;
  expires: number;
  /** `MDB_PG_FLAGS_PERMANENT`: added `permanent` by the user; no timer ends it. */
  permanent: boolean;
  /** `RTPROT_KERNEL` (snooped) or `RTPROT_STATIC` (`bridge mdb add`), as `bridge -d mdb` shows. */
  proto: 'kernel' | 'static';
}

/** One group (`struct net_bridge_mdb_entry`): the ports with members behind them. */
export interface BrMdbEntry {
  group: number;
  ports: BrPortGroup[];
  /** `host_joined`: this host itself (br0) is a member, until `hostExpires`. */
  hostJoined: boolean;
  hostExpires: number;
}

/**
 * The multicast database (net/bridge/br_mdb.c): for each IPv4 group heard in a report, the
 * ports behind which a member answered. IGMP snooping (br-multicast.ts) fills and ages it;
 * forwarding reads it to send a group's frames only where they are wanted.
 */
export class BrMdb {
  private readonly groups = new Map<number, BrMdbEntry>();

  get(group: number): BrMdbEntry | undefined {
    return this.groups.get(group);
  }

  /** `br_multicast_add_group`: a report for `group` came in `port`; its timer runs to `expires`. */
  add(group: number, port: NetBridgePort, expires: number): void {
    let e = this.groups.get(group);
    if (!e) {
      e = this.create(group);
    }
    const pg = e.ports.find((p) => p.port === port);
    if (pg) pg.expires = Math.max(pg.expires, expires);
    else insert(e, { port, expires, permanent: false, proto: 'kernel' });
  }

  /**
   * `br_mdb_add_group` (`bridge mdb add dev br0 port PORT grp G [permanent|temp]`): `port`
   * null is br0 itself (`port br0`). A temp entry lasts the membership interval, as a report's.
   * Returns 0, or -EEXIST with the kernel's extack message.
   */
  addUser(
    group: number,
    port: NetBridgePort | null,
    permanent: boolean,
    expires: number,
  ): { err: number; msg?: string } {
    const e = this.groups.get(group) ?? this.create(group);
    if (!port) {
      if (e.hostJoined) return { err: -EEXIST, msg: 'Group is already joined by host' };
      this.joinHost(group, expires);
      return { err: 0 };
    }
    if (e.ports.some((p) => p.port === port))
      return { err: -EEXIST, msg: 'bridge: (*, G) group is already joined by port' };
    insert(e, { port, expires: permanent ? Infinity : expires, permanent, proto: 'static' });
    return { err: 0 };
  }

  /** `br_mdb_del` (`bridge mdb del …`): EINVAL when there is no such membership. */
  delUser(group: number, port: NetBridgePort | null): number {
    const e = this.groups.get(group);
    if (!e) return -EINVAL;
    if (!port) {
      if (!e.hostJoined) return -EINVAL;
      e.hostJoined = false;
    } else {
      const i = e.ports.findIndex((p) => p.port === port);
      if (i < 0) return -EINVAL;
      e.ports.splice(i, 1);
    }
    if (e.ports.length === 0 && !e.hostJoined) this.groups.delete(group);
    return 0;
  }

  /** `br_multicast_del_pg` for a fast leave: the port's membership ends now, unless permanent. */
  delPort(group: number, port: NetBridgePort): void {
    const e = this.groups.get(group);
    if (!e) return;
    e.ports = e.ports.filter((p) => p.port !== port || p.permanent);
    if (e.ports.length === 0 && !e.hostJoined) this.groups.delete(group);
  }

  /** Is `port` a member of `group` at `now` (its timer not yet run out)? */
  isMember(e: BrMdbEntry, port: NetBridgePort, now: number): boolean {
    for (const pg of e.ports) if (pg.port === port) return pg.expires > now;
    return false;
  }

  /** br0 itself reported `group` (this host joined it on br0): `port br0` in `bridge mdb`. */
  joinHost(group: number, expires: number): void {
    const e = this.groups.get(group) ?? this.create(group);
    e.hostJoined = true;
    e.hostExpires = Math.max(e.hostExpires, expires);
  }

  private create(group: number): BrMdbEntry {
    const e: BrMdbEntry = { group, ports: [], hostJoined: false, hostExpires: 0 };
    this.groups.set(group, e);
    return e;
  }

  /** Shortens `port`'s membership of `group` to end at `expires` (a leave: last member queries). */
  shorten(group: number, port: NetBridgePort, expires: number): void {
    const pg = this.groups.get(group)?.ports.find((p) => p.port === port);
    if (pg && !pg.permanent && pg.expires > expires) pg.expires = expires;
  }

  /** br0's own membership ends by `expires` (this host left the group on br0). */
  shortenHost(group: number, expires: number): void {
    const e = this.groups.get(group);
    if (e?.hostJoined && e.hostExpires > expires) e.hostExpires = expires;
  }

  /** Drops memberships whose timers ran out, and groups left with none. Returns the next expiry. */
  expire(now: number): number {
    let next = Infinity;
    for (const [g, e] of this.groups) {
      e.ports = e.ports.filter((p) => p.expires > now);
      for (const p of e.ports) next = Math.min(next, p.expires);
      if (e.hostJoined && e.hostExpires <= now) e.hostJoined = false;
      if (e.ports.length === 0 && !e.hostJoined) this.groups.delete(g);
    }
    return next;
  }

  deletePort(port: NetBridgePort): void {
    for (const [g, e] of this.groups) {
      e.ports = e.ports.filter((p) => p.port !== port);
      if (e.ports.length === 0 && !e.hostJoined) this.groups.delete(g);
    }
  }

  clear(): void {
    this.groups.clear();
  }

  all(): BrMdbEntry[] {
    return [...this.groups.values()];
  }
}

/**
 * `br_multicast_new_port_group`'s place in the list: Linux keeps a group's ports sorted by the
 * address of their `net_bridge_port`, highest first; ports allocated later sit higher, so here
 * the port added to the bridge last (the highest port number) comes first.
 */
function insert(e: BrMdbEntry, pg: BrPortGroup): void {
  const i = e.ports.findIndex((p) => p.port.portNo < pg.port.portNo);
  if (i < 0) e.ports.push(pg);
  else e.ports.splice(i, 0, pg);
}
