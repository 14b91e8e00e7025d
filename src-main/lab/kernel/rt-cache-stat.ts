/**
 * The input side of `struct rt_cache_stat`, shown in /proc/net/stat/rt_cache
 * (per CPU in Linux; the lab's hosts have one). Only the counters of events
 * the lab has are kept: it has no route cache, so the hit, slow-path and
 * garbage-collection columns stay 0.
 */
export class RtCacheStat {
  /** Broadcasts routed in to this host (`brd_input`). */
  inBrd = 0;
  /** Multicast datagrams for a joined group, their source valid (`ip_route_input_mc`). */
  inSlowMc = 0;
  /** Input with no local route: unicast for another host, or an ARP request for one (`no_route`). */
  inNoRoute = 0;
  /** Destinations no datagram may have: 0.0.0.0/8, 127.0.0.0/8 (`martian_destination`). */
  inMartianDst = 0;
  /** Sources no datagram may have (`ip_handle_martian_source`); see route-input.ts. */
  inMartianSrc = 0;
}
