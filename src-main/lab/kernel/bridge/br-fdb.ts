import { EEXIST, EINVAL, ENOENT, EPERM } from '../../netdev/errno';
import type { NetBridgePort } from './net-bridge-port';

/**
 * The state `bridge fdb add` asks for (`ndm_state`): `permanent` (NUD_PERMANENT: a local
 * entry, frames to it go up to this host), `static` (NUD_NOARP: forwarded, never aged) or
 * `dynamic` (NUD_REACHABLE: aged like a learned one).
 */
export type BrFdbState = 'permanent' | 'static' | 'dynamic';

/** `BR_DEFAULT_AGEING_TIME`: a learned entry not refreshed for 300 s is forgotten. */
export const BR_DEFAULT_AGEING_TIME_NS = 300e9;

/**
 * One `struct net_bridge_fdb_entry`: a MAC address and the port it was last seen behind.
 * A local entry (`BR_FDB_LOCAL`, shown `permanent`) is one of the bridge's own addresses:
 * a frame to it goes up to this host instead of out a port.
 */
export interface BrFdbEntry {
  /** The MAC as a 48-bit number (wire/mac.ts macKey). */
  key: number;
  /** The port behind which the address lives; for a local entry, the port whose MAC it is (null: br0's own). */
  dst: NetBridgePort | null;
  local: boolean;
  /** `BR_FDB_STATIC`: never aged (a local entry, or one the user added `static`/`permanent`). */
  isStatic: boolean;
  /** `BR_FDB_ADDED_BY_USER`: `bridge fdb add|replace` made or took it. */
  addedByUser: boolean;
  /** When a frame from it was last seen (ns); ageing counts from here. */
  updated: number;
  /** When a frame to it was last forwarded (ns). */
  used: number;
}

/**
 * The forwarding database (net/bridge/br_fdb.c): learning (`br_fdb_update`) on every frame
 * that comes in a port, lookups (`br_fdb_find`) for each frame's destination, and ageing
 * (`br_fdb_cleanup`, run by the bridge's gc timer) of entries older than `ageing_time`.
 */
export class BrFdb {
  private readonly entries = new Map<number, BrFdbEntry>();
  ageingTimeNs = BR_DEFAULT_AGEING_TIME_NS;

  find(key: number): BrFdbEntry | undefined {
    return this.entries.get(key);
  }

  /** `br_fdb_update`: `key` was seen as a source behind `port`. Moves a station that moved. */
  update(key: number, port: NetBridgePort, now: number): void {
    const e = this.entries.get(key);
    if (e === undefined) {
      this.entries.set(key, {
        key,
        dst: port,
        local: false,
        isStatic: false,
        addedByUser: false,
        updated: now,
        used: now,
      });
      return;
    }
    // A frame "from" one of our own addresses is not learned (Linux warns: a loop or a spoof).
    if (e.local) return;
    e.dst = port;
    e.updated = now;
  }

  /** `fdb_add_local`: one of the bridge's own addresses (a port's MAC, or br0's). */
  addLocal(key: number, port: NetBridgePort | null, now: number): void {
    this.entries.set(key, {
      key,
      dst: port,
      local: true,
      isStatic: true,
      addedByUser: false,
      updated: now,
      used: now,
    });
  }

  /**
   * `fdb_add_entry` (`bridge fdb add|replace MAC dev PORT master [state]`, or `dev br0 self`
   * with `port` null): `create` is NLM_F_CREATE, `exclusive` NLM_F_EXCL (add, not replace).
   * `learning` says the port is learning or forwarding: only then may a dynamic entry go on it.
   */
  addUser(
    key: number,
    port: NetBridgePort | null,
    state: BrFdbState,
    exclusive: boolean,
    learning: boolean,
    now: number,
  ): number {
    // br0 itself only holds local addresses ("RTM_NEWNEIGH br0 without NUD_PERMANENT").
    if (!port && state !== 'permanent') return -EINVAL;
    if (port && state === 'dynamic' && !learning) return -EPERM;
    let e = this.entries.get(key);
    if (e === undefined) {
      e = {
        key,
        dst: port,
        local: false,
        isStatic: false,
        addedByUser: false,
        updated: now,
        used: now,
      };
      this.entries.set(key, e);
    } else {
      if (exclusive) return -EEXIST;
      e.dst = port;
    }
    e.addedByUser = true;
    e.local = state === 'permanent';
    e.isStatic = state !== 'dynamic';
    e.updated = now;
    return 0;
  }

  /** `__br_fdb_delete` (`bridge fdb del MAC dev PORT master`): ENOENT unless it is behind `port`. */
  delUser(key: number, port: NetBridgePort | null): number {
    const e = this.entries.get(key);
    if (!e || e.dst !== port) return -ENOENT;
    this.entries.delete(key);
    return 0;
  }

  /** `br_fdb_delete_by_port`: a port leaves; `all` takes its local entry too. */
  deleteByPort(port: NetBridgePort, all: boolean): void {
    for (const [k, e] of this.entries)
      if (e.dst === port && (all || !e.isStatic)) this.entries.delete(k);
  }

  deleteLocal(key: number): void {
    const e = this.entries.get(key);
    if (e?.local) this.entries.delete(key);
  }

  /** `br_fdb_cleanup`: forgets learned entries idle for `ageing_time`. Returns the next expiry (ns) or Infinity. */
  cleanup(now: number): number {
    let next = Infinity;
    for (const [k, e] of this.entries) {
      if (e.isStatic) continue;
      const expires = e.updated + this.ageingTimeNs;
      if (expires <= now) this.entries.delete(k);
      else if (expires < next) next = expires;
    }
    return next;
  }

  /** Every entry, in the order the hash walk gives them here (learning order). */
  all(): BrFdbEntry[] {
    return [...this.entries.values()];
  }
}
