import type { Rng } from '../sim/rng';
import { MS, SECOND } from '../sim/time';
import type { Sysctls } from './sysctl';

/** XRLIM_BURST_FACTOR: a peer may get this many messages at once before the rate applies. */
const XRLIM_BURST_FACTOR = 6;
/** Peers remembered at once (Linux's inet_peer cache is pruned too); the oldest go first. */
const MAX_PEERS = 4096;

/** What is left of one peer's token bucket (`inet_peer.rate_tokens`, `rate_last`). */
export interface PeerBucket {
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
    return xrlimAllow(this.peers, peer, now, this.sysctl.get('net.ipv4.icmp_ratelimit') * MS);
  }
}

/**
 * `inet_peer_xrlim_allow(peer, timeout)`: a token bucket per peer in `peers`,
 * one message per `timeout` ns after a burst of six.
 */
export function xrlimAllow(
  peers: Map<number, PeerBucket>,
  peer: number,
  now: number,
  timeout: number,
): boolean {
  let b = peers.get(peer);
  if (b === undefined) {
    // A new inet_peer's rate_last is a minute back: its bucket starts with the whole burst.
    b = { tokens: 0, last: now - 60 * SECOND };
    if (peers.size >= MAX_PEERS) peers.delete(peers.keys().next().value!);
    peers.set(peer, b);
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

/** ip_rt_redirect_number, ip_rt_redirect_load (HZ/50), ip_rt_redirect_silence ((HZ/50) << 10). */
const REDIRECT_NUMBER = 9;
const REDIRECT_LOAD = 20 * MS;
// `ip_rt_redirect_load << 10` (20.48 s): a product here, 20e6 << 10 overflows 32 bits.
const REDIRECT_SILENCE = REDIRECT_LOAD * 1024;

/**
 * `ip_rt_send_redirect`'s own limit, per sender (its inet_peer's
 * `n_redirects` and `rate_last`): the first redirect at once, the next after
 * 20 ms << n, none after nine until the sender has had 20.48 s without one.
 * Redirects are not in icmp_ratemask: no other limit applies.
 */
export class RedirectLimit {
  private readonly peers = new Map<number, { n: number; last: number }>();

  allow(peer: number, now: number): boolean {
    let p = this.peers.get(peer);
    if (p === undefined) {
      if (this.peers.size >= MAX_PEERS) this.peers.delete(this.peers.keys().next().value!);
      p = { n: 0, last: now };
      this.peers.set(peer, p);
    }
    if (now > p.last + REDIRECT_SILENCE) p.n = 0;
    if (p.n >= REDIRECT_NUMBER) {
      p.last = now;
      return false;
    }
    if (p.n === 0 || now > p.last + REDIRECT_LOAD * 2 ** p.n) {
      p.last = now;
      p.n++;
      return true;
    }
    return false;
  }
}

/** `ip_error`'s limit on net unreachables it sends: per destination, one a second after six. */
export class NoRouteLimit {
  private readonly peers = new Map<number, PeerBucket>();

  allow(dst: number, now: number): boolean {
    return xrlimAllow(this.peers, dst, now, SECOND);
  }
}
