import { devQueueXmit } from '../../netdev/dev-xmit';
import type { SkBuff } from '../../skb/sk-buff';
import { ETH_HLEN, ETH_P_IP, EthernetView } from '../../wire/ethernet';
import {
  IGMP_HLEN,
  IGMP_HOST_LEAVE_MESSAGE,
  IGMP_HOST_MEMBERSHIP_QUERY,
  IGMPV1_HOST_MEMBERSHIP_REPORT,
  IGMPV2_HOST_MEMBERSHIP_REPORT,
  IGMPV3_CHANGE_TO_INCLUDE,
  IGMPV3_HOST_MEMBERSHIP_REPORT,
  IGMPV3_MODE_IS_INCLUDE,
  IgmpView,
} from '../../wire/igmp';
import { EINVAL } from '../../netdev/errno';
import { IP_DF, IPPROTO_IGMP, Ipv4View } from '../../wire/ipv4';
import { BrMdb } from './br-mdb';
import type { NetBridge } from './net-bridge';
import type { NetBridgePort } from './net-bridge-port';

const SECOND = 1e9;
/** 224.0.0.1 and its MAC: where the querier's general queries go. */
const ALL_HOSTS = 0xe0000001;
const ALL_HOSTS_MAC = Uint8Array.of(0x01, 0x00, 0x5e, 0x00, 0x00, 0x01);

/** 224.0.0.0/24 is never snooped: always flooded (`ipv4_is_local_multicast`). */
function isLocalMulticast(addr: number): boolean {
  return addr >>> 8 === 0xe00000;
}

/**
 * The bridge's multicast options, Linux's defaults (`ip -d link show br0` prints them in
 * centiseconds): what `br_multicast_init` sets.
 */
export const BR_MCAST_DEFAULTS = {
  lastMemberCount: 2,
  startupQueryCount: 2,
  lastMemberIntervalNs: 1 * SECOND,
  membershipIntervalNs: 260 * SECOND,
  querierIntervalNs: 255 * SECOND,
  queryIntervalNs: 125 * SECOND,
  queryResponseIntervalNs: 10 * SECOND,
  startupQueryIntervalNs: 31.24 * SECOND,
} as const;

/**
 * IGMP snooping (net/bridge/br_multicast.c): the bridge reads the IGMP that crosses it.
 * Reports (v1, v2, and v3 read as v2 does, `mcast_igmp_version 2`) add their port to the
 * group's mdb entry for the membership interval (260 s); a leave ends it at once on a
 * fast-leave port, else shortens it to the last member time (2 × 1 s) when no other querier
 * will ask — and, with this bridge the querier, sends a group-specific query out that port
 * and its next general query there 2 s later (`br_multicast_leave_group`); a general query
 * marks its port a multicast router port (255 s, unless the port's `mcast_router` is 0 or 2)
 * and says a querier exists.
 *
 * Forwarding follows `br_handle_frame_finish`: a multicast frame to a group outside
 * 224.0.0.0/24 goes only to the group's member ports and the router ports — but only while a
 * querier exists (this bridge's own, `mcast_querier 1`, or another heard within 255 s, each
 * trusted only after a query response interval of 10 s). Without one, snooping cannot trust
 * its mdb and the bridge floods, as Linux does. IGMPv3 reports (to 224.0.0.22) and leaves are
 * flooded; v1/v2 reports go to router ports only.
 *
 * With `mcast_querier 1` each port's own query timer (`ip4_own_query`) sends general queries
 * (IGMPv2, from 0.0.0.0 as `mcast_query_use_ifaddr 0` says, 10 s to answer) out of it: two
 * at startup 31.24 s apart, then every 125 s, while no other querier is heard.
 */
export class BrMulticast {
  readonly mdb = new BrMdb();
  /** `mcast_snooping` */
  snooping = true;
  /** `mcast_querier` */
  querier = false;
  readonly opts = { ...BR_MCAST_DEFAULTS };
  /** `ip4_other_query.timer`: another querier was heard; pending until this time. */
  private otherQuerierUntil = 0;
  /** `ip4_other_query.delay_timer`: the mdb is not trusted before this time. */
  private delayUntil = 0;
  /** Queries this bridge sent, for tests and the report. */
  queriesSent = 0;
  /** Set by `rcv`/`xmit` for the frame just looked at: its group (0: none). */
  group = 0;
  hostJoined = false;

  constructor(private readonly br: NetBridge) {}

  private get now(): number {
    return this.br.k.now;
  }

  /** `br_multicast_querier_exists`: own querier or another's, each past its delay. */
  querierExists(): boolean {
    const now = this.now;
    return now >= this.delayUntil && (this.querier || now < this.otherQuerierUntil);
  }

  isRouterPort(p: NetBridgePort): boolean {
    return p.multicastRouter === 2 || (p.multicastRouter === 1 && p.routerUntil > this.now);
  }

  /** `br_multicast_set_port_router` (`mcast_router 0|1|2` on a port); EINVAL for another value. */
  setPortRouter(p: NetBridgePort, v: number): number {
    if (v !== 0 && v !== 1 && v !== 2) return -EINVAL;
    if (v !== 1) p.routerUntil = 0;
    p.multicastRouter = v;
    return 0;
  }

  /** `br_multicast_add_port`: the port's own query timer; running at once if we are querier. */
  addPort(p: NetBridgePort): void {
    p.queryTimer = this.br.k.timers.setup(() => this.portQueryExpired(p));
    if (this.querier && this.br.up) this.startQuery(p);
  }

  /** `br_multicast_enable`: the startup queries again, the first now. */
  private startQuery(p: NetBridgePort): void {
    p.startupSent = 0;
    this.br.k.timers.mod(p.queryTimer, this.now);
  }

  setSnooping(on: boolean): void {
    if (on === this.snooping) return;
    this.snooping = on;
    if (!on) this.mdb.clear();
    this.br.snoopersChanged(on);
  }

  /** `br_multicast_set_querier`: turning it on starts the delay (`query_response_interval`). */
  setQuerier(on: boolean): void {
    if (on === this.querier) return;
    this.querier = on;
    if (!on) {
      for (const p of this.br.ports) this.br.k.timers.del(p.queryTimer);
      return;
    }
    if (this.now >= this.otherQuerierUntil)
      this.delayUntil = this.now + this.opts.queryResponseIntervalNs;
    if (this.br.up) for (const p of this.br.ports) this.startQuery(p);
  }

  open(): void {
    if (this.querier) for (const p of this.br.ports) this.startQuery(p);
  }

  stop(): void {
    for (const p of this.br.ports) this.br.k.timers.del(p.queryTimer);
    this.mdb.clear();
    for (const p of this.br.ports) p.routerUntil = 0;
  }

  deletePort(p: NetBridgePort): void {
    this.mdb.deletePort(p);
    this.br.k.timers.free(p.queryTimer);
    p.queryTimer = -1;
  }

  expire(): void {
    this.mdb.expire(this.now);
  }

  /**
   * `br_multicast_rcv` and the multicast case of `br_handle_frame_finish`, for a frame in on
   * `p`. True when snooping decides where it goes (`mcast_hit`: to `this.group`'s members and
   * the router ports); false when it is flooded. Sets `group` and `hostJoined`.
   */
  rcv(skb: SkBuff, p: NetBridgePort | null): boolean {
    this.group = 0;
    this.hostJoined = false;
    if (!this.snooping || skb.protocol !== ETH_P_IP) return false;
    const ip = ipView.at(skb.buf, skb.data, skb.len);
    if (skb.len < 20 || ip.version !== 4 || ip.headerLength < 20 || ip.headerLength > skb.len)
      return false;
    const dst = ip.dst;
    let mroutersOnly = false;
    if (ip.protocol === IPPROTO_IGMP) {
      const at = skb.data + ip.headerLength;
      const len = Math.min(ip.totalLength, skb.len) - ip.headerLength;
      if (len < IGMP_HLEN) return false;
      const igmp = igmpView.at(skb.buf, at, len);
      if (!igmp.verifyChecksum(len)) return false;
      switch (igmp.type) {
        case IGMPV1_HOST_MEMBERSHIP_REPORT:
        case IGMPV2_HOST_MEMBERSHIP_REPORT:
          mroutersOnly = true;
          this.addGroup(igmp.group, p);
          break;
        case IGMPV3_HOST_MEMBERSHIP_REPORT:
          this.igmp3Report(igmp, len, p);
          break;
        case IGMP_HOST_MEMBERSHIP_QUERY:
          if (p) this.query(igmp, len, p, ip.src);
          break;
        case IGMP_HOST_LEAVE_MESSAGE:
          this.leaveGroup(igmp.group, p);
          break;
      }
      // An IGMP message itself has no mdb entry to follow (`br_mdb_entry_skb_get`).
      return mroutersOnly && this.querierExists();
    }
    if (isLocalMulticast(dst)) return false;
    mroutersOnly = true;
    const entry = this.mdb.get(dst);
    this.group = dst;
    if (!(entry || mroutersOnly) || !this.querierExists()) return false;
    this.hostJoined = entry?.hostJoined ?? false;
    return true;
  }

  /** This host sends on br0 (`br_dev_xmit` → `br_multicast_rcv` with no port). */
  xmit(skb: SkBuff): boolean {
    const at = skb.data;
    const proto = (skb.buf[at + 12] << 8) | skb.buf[at + 13];
    if (proto !== ETH_P_IP) return false;
    // Look at it as received: past the Ethernet header, then back.
    skb.pull(ETH_HLEN);
    const saved = skb.protocol;
    skb.protocol = ETH_P_IP;
    const hit = this.rcv(skb, null);
    skb.protocol = saved;
    skb.push(ETH_HLEN);
    return hit;
  }

  private addGroup(group: number, p: NetBridgePort | null): void {
    if (isLocalMulticast(group) || (group & 0xf0000000) >>> 0 !== 0xe0000000) return;
    const expires = this.now + this.opts.membershipIntervalNs;
    if (p) this.mdb.add(group, p, expires);
    else this.mdb.joinHost(group, expires);
  }

  /** `br_ip4_multicast_igmp3_report` with `mcast_igmp_version 2`: INCLUDE {} leaves, anything else joins. */
  private igmp3Report(igmp: IgmpView, len: number, p: NetBridgePort | null): void {
    let rec = igmp.firstRecord;
    const end = igmp.offset + len;
    for (let i = 0; i < igmp.numberOfGroupRecords; i++) {
      if (rec + 8 > end) return;
      const next = igmp.nextRecord(rec);
      if (next > end) return;
      const type = igmp.recordType(rec);
      const group = igmp.recordGroup(rec);
      const nsrcs = igmp.recordNumberOfSources(rec);
      if ((type === IGMPV3_CHANGE_TO_INCLUDE || type === IGMPV3_MODE_IS_INCLUDE) && nsrcs === 0)
        this.leaveGroup(group, p);
      else this.addGroup(group, p);
      rec = next;
    }
  }

  /**
   * `br_multicast_leave_group`: on a fast-leave port the membership ends now; else, unless
   * another querier will ask, it has the last member time (2 × 1 s) — and when this bridge is
   * the querier it asks: a group-specific query out that port, and that port's next general
   * query when the time is up.
   */
  private leaveGroup(group: number, p: NetBridgePort | null): void {
    if (isLocalMulticast(group) || !this.br.up) return;
    if (p && !this.br.forwarding(p)) return;
    if (!this.mdb.get(group)) return;
    if (p?.fastLeave) {
      this.mdb.delPort(group, p);
      return;
    }
    if (this.now < this.otherQuerierUntil) return;
    const time = this.now + this.opts.lastMemberCount * this.opts.lastMemberIntervalNs;
    if (!p) {
      // This host left on br0 (Linux's query then goes up br0 itself, not out a port).
      this.mdb.shortenHost(group, time);
      return;
    }
    if (this.querier) {
      this.sendQuery(p, group);
      this.br.k.timers.mod(p.queryTimer, time);
    }
    this.mdb.shorten(group, p, time);
  }

  /** `br_ip4_multicast_query`: a general query marks its port a router port; a group query shortens. */
  private query(igmp: IgmpView, len: number, p: NetBridgePort, src: number): void {
    const v3 = len >= 12;
    let maxDelay = (v3 ? igmp.maxRespTime : igmp.maxRespCode) * (SECOND / 10);
    let group = igmp.group;
    if (!v3 && maxDelay === 0) {
      maxDelay = 10 * SECOND;
      group = 0;
    }
    if (group === 0) {
      void src;
      // `br_multicast_update_query_timer`: the first query heard starts the delay.
      if (this.now >= this.otherQuerierUntil) this.delayUntil = this.now + maxDelay;
      this.otherQuerierUntil = this.now + this.opts.querierIntervalNs;
      // `br_multicast_mark_router`: only a port left to learn (`mcast_router 1`).
      if (p.multicastRouter === 1) p.routerUntil = this.now + this.opts.querierIntervalNs;
      return;
    }
    const entry = this.mdb.get(group);
    if (!entry) return;
    const expires = this.now + this.opts.lastMemberCount * maxDelay;
    for (const pg of entry.ports) if (!pg.permanent && pg.expires > expires) pg.expires = expires;
  }

  /**
   * A port's own query timer (`br_multicast_port_query_expired`): a general query out of it,
   * then the next at the startup interval (31.24 s) or the query interval (125 s).
   */
  private portQueryExpired(p: NetBridgePort): void {
    if (!this.querier || !this.br.up || !this.snooping) return;
    if (p.startupSent < this.opts.startupQueryCount) p.startupSent++;
    if (this.now >= this.otherQuerierUntil && this.br.forwarding(p)) this.sendQuery(p, 0);
    const next =
      p.startupSent < this.opts.startupQueryCount
        ? this.opts.startupQueryIntervalNs
        : this.opts.queryIntervalNs;
    this.br.k.timers.mod(p.queryTimer, this.now + next);
  }

  /**
   * `br_ip4_multicast_alloc_query`: an IGMPv2 query, 0.0.0.0 → 224.0.0.1, TTL 1, router
   * alert: general (`group` 0, 10 s to answer) or group-specific (the last member interval).
   */
  private sendQuery(p: NetBridgePort, group: number): void {
    const k = this.br.k;
    const skb = k.allocSkb(IGMP_HLEN);
    const maxResp =
      (group !== 0 ? this.opts.lastMemberIntervalNs : this.opts.queryResponseIntervalNs) /
      (SECOND / 10);
    IgmpView.write(skb.buf, skb.put(IGMP_HLEN), IGMP_HOST_MEMBERSHIP_QUERY, maxResp, group);
    const ipAt = skb.push(24);
    Ipv4View.write(
      skb.buf,
      ipAt,
      0xc0,
      24 + IGMP_HLEN,
      0,
      IP_DF,
      1,
      IPPROTO_IGMP,
      0,
      ALL_HOSTS,
      true,
    );
    skb.networkHeader = ipAt;
    const at = skb.push(ETH_HLEN);
    EthernetView.write(skb.buf, at, ALL_HOSTS_MAC, this.br.dev.devAddr, ETH_P_IP);
    skb.macHeader = at;
    this.queriesSent++;
    devQueueXmit(skb, p.dev);
  }
}

const ipView = new Ipv4View();
const igmpView = new IgmpView();
