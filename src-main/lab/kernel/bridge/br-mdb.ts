import type { NetBridgePort } from './net-bridge-port';

/**
 * One port's membership of a group (`struct net_bridge_port_group`): `expires` is when its
 * membership timer runs out unless another report renews it.
 */
export interface BrPortGroup {
  port: NetBridgePort;
  expires: number;
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
    else e.ports.push({ port, expires });
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
    if (pg && pg.expires > expires) pg.expires = expires;
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
