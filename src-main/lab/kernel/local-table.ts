import type { InDevice } from './inet-device';

/**
 * Linux's "local" FIB table as the input path asks it: is an address one of
 * this host's own (RTN_LOCAL) or the directed broadcast of one of its subnets
 * (RTN_BROADCAST)? Every received datagram asks (fib_validate_source), so the
 * answers live in two flat arrays rebuilt when an address or device comes or
 * goes, not in a walk over every interface's address list per packet.
 */
export class LocalTable {
  /** Own addresses, unsigned 32-bit. */
  private locals: number[] = [];
  /** Directed broadcasts of subnets shorter than /31 (a /31 or /32 has none). */
  private broadcasts: number[] = [];
  /** Prefixes of addresses on a loopback device (`local 127.0.0.0/8`): all of them are local. */
  private loopNets: number[] = [];
  private loopMasks: number[] = [];
  /**
   * Bumped at every rebuild (Linux's `rt_genid`, which an address change bumps through
   * `rt_cache_flush`): an input decision cached against an older value is stale.
   */
  genid = 0;

  /** Rebuilds from every interface's addresses. */
  rebuild(inDevs: Iterable<InDevice>): void {
    this.genid++;
    const locals: number[] = [];
    const broadcasts: number[] = [];
    const loopNets: number[] = [];
    const loopMasks: number[] = [];
    for (const ind of inDevs) {
      for (const a of ind.addrs) {
        locals.push(a.local);
        if (a.prefixLen < 31) broadcasts.push(a.broadcast);
        if (ind.dev.type === 'loopback') {
          loopNets.push((a.local & a.mask) >>> 0);
          loopMasks.push(a.mask);
        }
      }
    }
    this.locals = locals;
    this.broadcasts = broadcasts;
    this.loopNets = loopNets;
    this.loopMasks = loopMasks;
  }

  /** One of the host's own addresses, or in a loopback device's prefix (RTN_LOCAL). */
  isLocal(addr: number): boolean {
    if (this.isOwn(addr)) return true;
    const n = this.loopNets;
    for (let i = 0; i < n.length; i++) if ((addr & this.loopMasks[i]) >>> 0 === n[i]) return true;
    return false;
  }

  /** Exactly one of the host's own addresses. */
  isOwn(addr: number): boolean {
    const l = this.locals;
    for (let i = 0; i < l.length; i++) if (l[i] === addr) return true;
    return false;
  }

  /** The directed broadcast of one of this host's subnets (on any interface). */
  isBroadcast(addr: number): boolean {
    const b = this.broadcasts;
    for (let i = 0; i < b.length; i++) if (b[i] === addr) return true;
    return false;
  }

  /** Own address, a subnet's directed broadcast, or 255.255.255.255. */
  isLocalOrBroadcast(addr: number): boolean {
    if (addr === 0xffffffff || this.isLocal(addr)) return true;
    const b = this.broadcasts;
    for (let i = 0; i < b.length; i++) if (b[i] === addr) return true;
    return false;
  }
}
