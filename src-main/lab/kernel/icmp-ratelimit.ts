import type { Rng } from '../sim/rng';
import { MS, SECOND } from '../sim/time';
import type { Sysctls } from './sysctl';

/** XRLIM_BURST_FACTOR: a peer may get this many messages at once before the rate applies. */
const XRLIM_BURST_FACTOR = 6;
/** Peers remembered at once (Linux's inet_peer cache is pruned too); the oldest go first. */
const MAX_PEERS = 4096;

/** What is left of one peer's token bucket (`inet_peer.rate_tokens`, `rate_last`). */
interface PeerBucket {
  tokens: number;
  last: number;
}

/**
 * ICMP's rate limits (net/ipv4/icmp.c), for the types set in
 * `net.ipv4.icmp_ratemask` (by default destination unreachable, source quench,
 * time exceeded and parameter problem; never echo replies):
 *
 * - `icmp_global_allow`: one bucket for the host, refilled at
 *   `icmp_msgs_per_sec` up to `icmp_msgs_burst`; empty: Icmp
 *   OutRateLimitGlobal.
 * - `icmpv4_xrlim_allow` → `inet_peer_xrlim_allow`: a bucket per destination,
 *   one message per `icmp_ratelimit` ms after a burst of six; empty: Icmp
 *   OutRateLimitHost.
 * - `icmp_global_consume`: a message both allow takes a random 0–2 of the
 *   host's credits (one on average; Linux randomises it so an outsider cannot
 *   count the bucket). Current kernels check the host's bucket before they
 *   take a global credit, so a peer that is refused costs the others nothing.
 *
 * So a host flooded with datagrams to a closed port answers the first few
 * with port unreachables and then about one a second, as Linux does.
 */
export class IcmpRateLimit {
  private credit = -1; // the bucket starts full (icmp_global.credit is set on first use)
  private stamp = 0;
  private readonly peers = new Map<number, PeerBucket>();

  constructor(
    private readonly sysctl: Sysctls,
    private readonly rng: Rng,
  ) {}

  /** Whether messages of `type` are rate limited at all (`icmpv4_mask_allow`). */
  private limits(type: number): boolean {
    return type <= 18 && (this.sysctl.get('net.ipv4.icmp_ratemask') & (1 << type)) !== 0;
  }

  /**
   * Whether a message of `type` to `peer` may go at simulated time `now` (ns):
   * 'ok', or which limit refused it.
   */
  allow(type: number, peer: number, now: number): 'ok' | 'global' | 'host' {
    if (!this.limits(type)) return 'ok';
    if (!this.globalAllow(now)) return 'global';
    if (!this.peerAllow(peer, now)) return 'host';
    this.credit = Math.max(this.credit - this.rng.int(3), 0);
    return 'ok';
  }

  /** `icmp_global_allow` at simulated time `now` (ns): is there a credit left? */
  private globalAllow(now: number): boolean {
    const burst = this.sysctl.get('net.ipv4.icmp_msgs_burst');
    if (this.credit < 0) {
      this.credit = burst;
      this.stamp = now;
    }
    // Credit comes in steps of at least 20 ms (HZ/50) and for at most one second at a time.
    const delta = Math.min(now - this.stamp, SECOND);
    if (delta >= SECOND / 50) {
      const incr = Math.floor((this.sysctl.get('net.ipv4.icmp_msgs_per_sec') * delta) / SECOND);
      if (incr > 0) {
        this.stamp = now;
        this.credit = Math.min(this.credit + incr, burst);
      }
    }
    if (this.credit > burst) this.credit = burst; // the sysctl was lowered
    return this.credit > 0;
  }

  /** `inet_peer_xrlim_allow` for messages to `peer` at simulated time `now` (ns). */
  private peerAllow(peer: number, now: number): boolean {
    const timeout = this.sysctl.get('net.ipv4.icmp_ratelimit') * MS;
    let b = this.peers.get(peer);
    if (b === undefined) {
      // A new inet_peer's rate_last is a minute back: its bucket starts with the whole burst.
      b = { tokens: 0, last: now - 60 * SECOND };
      if (this.peers.size >= MAX_PEERS) this.peers.delete(this.peers.keys().next().value!);
      this.peers.set(peer, b);
    }
    let tokens = b.tokens + (now - b.last);
    b.last = now;
    if (tokens > XRLIM_BURST_FACTOR * timeout) tokens = XRLIM_BURST_FACTOR * timeout;
    let ok = false;
    if (tokens >= timeout) {
      tokens -= timeout;
      ok = true;
    }
    b.tokens = tokens;
    return ok;
  }
}
