import { EEXIST, ENOBUFS, ENOENT } from '../netdev/errno';
import type { NetDevice } from '../netdev/net-device';
import type { Rng } from '../sim/rng';
import { MS, SECOND } from '../sim/time';
import { SkBuffHead } from '../skb/sk-buff-head';
import type { SkBuff } from '../skb/sk-buff';
import type { Sysctls } from './sysctl';
import type { Timers } from './timer';

/** Neighbour Unreachability Detection states (<linux/neighbour.h>). */
export const NUD_INCOMPLETE = 0x01;
export const NUD_REACHABLE = 0x02;
export const NUD_STALE = 0x04;
export const NUD_DELAY = 0x08;
export const NUD_PROBE = 0x10;
export const NUD_FAILED = 0x20;
export const NUD_NOARP = 0x40;
export const NUD_PERMANENT = 0x80;
/** The states with a usable link-layer address. */
export const NUD_VALID =
  NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY;

export const NUD_NAMES: Record<number, string> = {
  [NUD_INCOMPLETE]: 'INCOMPLETE',
  [NUD_REACHABLE]: 'REACHABLE',
  [NUD_STALE]: 'STALE',
  [NUD_DELAY]: 'DELAY',
  [NUD_PROBE]: 'PROBE',
  [NUD_FAILED]: 'FAILED',
  [NUD_NOARP]: 'NOARP',
  [NUD_PERMANENT]: 'PERMANENT',
};

/** Linux's delay_first_probe_time: how long a used STALE entry waits before probing. */
const DELAY_FIRST_PROBE = 5 * SECOND;
/**
 * Linux's gc_thresh3 (default): the most entries the table holds. At the
 * limit a new entry first makes room by dropping FAILED entries and STALE
 * ones nothing waits on (neigh_forced_gc); if none can go, it is refused
 * ("neighbour table overflow") and its packet dropped.
 */
export const NEIGH_GC_THRESH3 = 1024;

/** One entry of the ARP cache (`struct neighbour`). */
export class Neighbour {
  state = NUD_INCOMPLETE;
  readonly lladdr = new Uint8Array(6);
  /** Solicitations sent in the current INCOMPLETE or PROBE round. */
  probes = 0;
  /** When the entry was last confirmed (a reply, or traffic from it). */
  confirmed = 0;
  /** Buffers waiting for the address to resolve (`arp_queue`). */
  readonly queue: SkBuffHead;
  timer = -1;

  constructor(
    readonly ip: number,
    readonly dev: NetDevice,
    name: string,
  ) {
    this.queue = new SkBuffHead(`arp queue ${name}`);
  }
}

/** What the table needs from ARP: sending a request, and sending a resolved buffer. */
export interface NeighOps {
  solicit(n: Neighbour): void;
  output(n: Neighbour, skb: SkBuff): void;
  /**
   * `neigh->ops->error_report` (`arp_error_report`): a buffer that waited on an entry that
   * failed. Takes ownership; without it the buffer is only dropped.
   */
  errorReport?(n: Neighbour, skb: SkBuff): void;
}

/**
 * The neighbour table for IPv4 (the ARP cache), with Linux's NUD state
 * machine: INCOMPLETE while resolving (a request each retrans_time, FAILED
 * after mcast_solicit tries, its queue dropped), REACHABLE once answered,
 * STALE after reachable_time, then DELAY and PROBE when used again.
 */
export class NeighTable {
  readonly entries: Neighbour[] = [];
  /** Buffers dropped because resolution failed or the queue was full. */
  unresolvedDrops = 0;

  constructor(
    private readonly timers: Timers,
    private readonly sysctl: Sysctls,
    private readonly rng: Rng,
    private readonly ops: NeighOps,
    private readonly formatIp: (ip: number) => string,
  ) {}

  lookup(ip: number, dev: NetDevice): Neighbour | undefined {
    return this.entries.find((n) => n.ip === ip && n.dev === dev);
  }

  /** `neigh_resolve_output`: sends now if the address is known, else queues and resolves. */
  output(ip: number, dev: NetDevice, skb: SkBuff): void {
    let n = this.lookup(ip, dev);
    if (!n) {
      const created = this.create(ip, dev);
      if (created === null) {
        this.unresolvedDrops++;
        skb.free();
        return;
      }
      n = created;
    }
    if (n.state === NUD_FAILED) {
      n.state = NUD_INCOMPLETE;
      n.probes = 0;
    }
    if (n.state === NUD_INCOMPLETE) {
      if (n.queue.qlen >= this.sysctl.get('net.ipv4.neigh.default.unres_qlen')) {
        n.queue.dequeue()!.free();
        this.unresolvedDrops++;
      }
      n.queue.enqueueTail(skb);
      if (n.probes === 0) this.probe(n);
      return;
    }
    if (n.state === NUD_STALE) {
      n.state = NUD_DELAY;
      this.timers.mod(n.timer, this.timers.sched.now + DELAY_FIRST_PROBE);
    }
    this.ops.output(n, skb);
  }

  /**
   * ARP told us `ip`'s MAC. `confirmed` (a reply to our request) makes the entry
   * REACHABLE; otherwise (a request, a gratuitous ARP) a new or changed entry is
   * STALE. Without `create`, only an existing entry learns. Waiting buffers go out.
   */
  update(
    ip: number,
    dev: NetDevice,
    lladdr: Uint8Array,
    confirmed: boolean,
    create: boolean,
  ): void {
    let n = this.lookup(ip, dev);
    const fresh = n === undefined;
    if (n === undefined) {
      const created = create ? this.create(ip, dev) : null;
      if (created === null) return;
      n = created;
    }
    // An entry the user set is not the wire's to change (neigh_update without F_ADMIN).
    if (n.state & (NUD_PERMANENT | NUD_NOARP)) return;
    let changed = false;
    for (let i = 0; i < 6; i++) if (n.lladdr[i] !== lladdr[i]) changed = true;
    n.lladdr.set(lladdr.subarray(0, 6));
    const now = this.timers.sched.now;
    if (confirmed || (!fresh && (n.state === NUD_INCOMPLETE || n.state === NUD_FAILED))) {
      n.state = NUD_REACHABLE;
      n.confirmed = now;
      n.probes = 0;
      this.timers.mod(n.timer, now + this.reachableTime());
    } else if (fresh || changed) {
      n.state = NUD_STALE;
      this.timers.del(n.timer);
    }
    for (let skb = n.queue.dequeue(); skb; skb = n.queue.dequeue()) this.ops.output(n, skb);
  }

  /**
   * `ip neigh add|replace IP lladdr MAC dev DEV [nud STATE]` (`neigh_update` with NEIGH_UPDATE_F_ADMIN):
   * an entry the user set, PERMANENT by default; its waiting buffers go out. `exclusive` (add)
   * refuses an existing entry: -EEXIST.
   */
  adminUpdate(
    ip: number,
    dev: NetDevice,
    lladdr: Uint8Array,
    state: number,
    exclusive: boolean,
  ): number {
    let n = this.lookup(ip, dev);
    if (n && exclusive) return -EEXIST;
    n ??= this.create(ip, dev) ?? undefined;
    if (!n) return -ENOBUFS; // the table is full
    n.lladdr.set(lladdr.subarray(0, 6));
    n.state = state;
    n.probes = 0;
    n.confirmed = this.timers.sched.now;
    if (state === NUD_REACHABLE) this.timers.mod(n.timer, n.confirmed + this.reachableTime());
    else this.timers.del(n.timer);
    for (let skb = n.queue.dequeue(); skb; skb = n.queue.dequeue()) this.ops.output(n, skb);
    return 0;
  }

  /** `ip neigh del IP dev DEV`: -ENOENT when there is no such entry. */
  adminDelete(ip: number, dev: NetDevice): number {
    const i = this.entries.findIndex((n) => n.ip === ip && n.dev === dev);
    if (i < 0) return -ENOENT;
    const n = this.entries[i];
    this.timers.free(n.timer);
    this.unresolvedDrops += n.queue.purge();
    this.entries.splice(i, 1);
    return 0;
  }

  /**
   * `neigh_event_send` with no buffer: makes sure `ip` is being resolved on `dev` (a redirect
   * named it). True when its address is already usable (NUD_VALID).
   */
  eventSend(ip: number, dev: NetDevice): boolean {
    let n = this.lookup(ip, dev);
    if (!n) {
      const created = this.create(ip, dev);
      if (created === null) return false;
      n = created;
    }
    if (n.state & NUD_VALID) return true;
    if (n.state === NUD_FAILED) {
      n.state = NUD_INCOMPLETE;
      n.probes = 0;
    }
    if (n.state === NUD_INCOMPLETE && n.probes === 0) this.probe(n);
    return false;
  }

  /** Drops every entry of `dev` and what waits on them (the device went down). */
  flushDev(dev: NetDevice): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const n = this.entries[i];
      if (n.dev !== dev) continue;
      this.timers.free(n.timer);
      this.unresolvedDrops += n.queue.purge();
      this.entries.splice(i, 1);
    }
  }

  /** A new entry, or null when the table is full even after `forcedGc`. */
  private create(ip: number, dev: NetDevice): Neighbour | null {
    if (this.entries.length >= NEIGH_GC_THRESH3 && this.forcedGc() === 0) return null;
    const n = new Neighbour(ip, dev, `${this.formatIp(ip)} ${dev.name}`);
    n.timer = this.timers.setup(() => this.timerFired(n));
    this.entries.push(n);
    return n;
  }

  /** `neigh_forced_gc`: drops FAILED entries and idle STALE ones; returns how many went. */
  private forcedGc(): number {
    const before = this.entries.length;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const n = this.entries[i];
      if (n.state === NUD_FAILED || (n.state === NUD_STALE && n.queue.qlen === 0)) {
        this.timers.free(n.timer);
        this.unresolvedDrops += n.queue.purge();
        this.entries.splice(i, 1);
      }
    }
    return before - this.entries.length;
  }

  private probe(n: Neighbour): void {
    n.probes++;
    this.ops.solicit(n);
    this.timers.mod(
      n.timer,
      this.timers.sched.now + this.sysctl.get('net.ipv4.neigh.default.retrans_time_ms') * MS,
    );
  }

  private timerFired(n: Neighbour): void {
    const maxProbes = this.sysctl.get('net.ipv4.neigh.default.mcast_solicit');
    switch (n.state) {
      case NUD_REACHABLE:
        n.state = NUD_STALE;
        break;
      case NUD_DELAY:
        n.state = NUD_PROBE;
        n.probes = 0;
        this.probe(n);
        break;
      case NUD_INCOMPLETE:
      case NUD_PROBE:
        if (n.probes < maxProbes) this.probe(n);
        else {
          // neigh_invalidate: each waiting buffer is reported (ICMP host unreachable), then dropped.
          n.state = NUD_FAILED;
          for (let skb = n.queue.dequeue(); skb; skb = n.queue.dequeue()) {
            this.unresolvedDrops++;
            if (this.ops.errorReport) this.ops.errorReport(n, skb);
            else skb.free();
          }
        }
        break;
    }
  }

  /** Linux picks reachable_time uniformly in [½, 1½] × base_reachable_time. */
  private reachableTime(): number {
    const base = this.sysctl.get('net.ipv4.neigh.default.base_reachable_time_ms') * MS;
    return Math.floor(base / 2) + this.rng.int(base);
  }
}
