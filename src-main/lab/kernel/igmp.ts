import { devMcAdd, devMcDel } from '../netdev/dev-addr';
import { FATE_CONSUMED, FATE_HDR_ERROR } from '../netdev/fate';
import { IFF_UP } from '../netdev/flags';
import type { NetDevice } from '../netdev/net-device';
import { MS, SECOND } from '../sim/time';
import type { SkBuff } from '../skb/sk-buff';
import { EMPTY_BYTES } from '../wire/bytes';
import {
  IGMP_HLEN,
  IGMP_HOST_LEAVE_MESSAGE,
  IGMP_HOST_MEMBERSHIP_QUERY,
  IGMPV1_HOST_MEMBERSHIP_REPORT,
  IGMPV2_HOST_MEMBERSHIP_REPORT,
  IgmpView,
} from '../wire/igmp';
import { INADDR_ALLHOSTS_GROUP, INADDR_ALLRTRS_GROUP, ipMulticastToMac } from '../wire/ipv4-addr';
import { IPPROTO_IGMP } from '../wire/ipv4';
import type { IpMcList } from './inet-device';
import { ipOutput } from './ip-output';
import type { Kernel } from './kernel';

/** RFC 2236: unsolicited reports are repeated once, within 10 s. */
const UNSOLICITED_REPORT_INTERVAL = 10 * SECOND;
const ROBUSTNESS = 2;
/** A v1 query has no max response time: hosts use 10 s. */
const V1_MAX_RESPONSE = 10 * SECOND;

/**
 * IGMPv2 for a host (net/ipv4/igmp.c, RFC 2236). Joining a group adds its
 * MAC to the device's multicast list (`devMcAdd`), which is what programs the
 * NIC's filter, and announces the membership; the last leave removes it and
 * tells the routers. Queries are answered after a random delay, and a report
 * heard from another member cancels ours.
 */
export class Igmp {
  reportsSent = 0;
  leavesSent = 0;
  queriesReceived = 0;
  private readonly view = new IgmpView(EMPTY_BYTES);
  private readonly mac = new Uint8Array(6);

  constructor(private readonly k: Kernel) {}

  /** `ip_mc_inc_group`: one more user of `group` on `dev`. */
  join(dev: NetDevice, group: number): void {
    const ind = this.k.inDev(dev);
    const existing = ind.findGroup(group);
    if (existing) {
      existing.users++;
      return;
    }
    const m: IpMcList = {
      group,
      users: 1,
      timer: -1,
      unsolicitedLeft: 0,
      reporter: false,
      loaded: false,
    };
    m.timer = this.k.timers.setup(() => this.timerExpired(dev, m));
    ind.mcList.unshift(m);
    this.load(dev, m);
    if (group !== INADDR_ALLHOSTS_GROUP && dev.flags & IFF_UP) this.announce(dev, m);
  }

  /** `ip_mc_dec_group`: the last user's leave removes the group and tells the routers. */
  leave(dev: NetDevice, group: number): void {
    const ind = this.k.inDev(dev);
    const m = ind.findGroup(group);
    if (!m || --m.users > 0) return;
    ind.mcList.splice(ind.mcList.indexOf(m), 1);
    this.k.timers.free(m.timer);
    this.unload(dev, m);
    if (m.reporter && group !== INADDR_ALLHOSTS_GROUP && dev.flags & IFF_UP) {
      this.send(dev, IGMP_HOST_LEAVE_MESSAGE, group, INADDR_ALLRTRS_GROUP);
    }
  }

  /**
   * `ip_mc_up`: the device joins 224.0.0.1 (at the head of its list), puts every
   * group's MAC back on the device's list and announces the groups it has.
   */
  deviceUp(dev: NetDevice): void {
    const ind = this.k.inDev(dev);
    if (!ind.findGroup(INADDR_ALLHOSTS_GROUP)) this.join(dev, INADDR_ALLHOSTS_GROUP);
    for (const m of ind.mcList) {
      this.load(dev, m);
      if (m.group !== INADDR_ALLHOSTS_GROUP) this.announce(dev, m);
    }
  }

  /**
   * `ip_mc_down`: every group's MAC leaves the device's list (`igmp_group_dropped`),
   * pending reports are cancelled, and 224.0.0.1 is left. The sockets' groups stay
   * in the list (/proc/net/igmp, `ip maddr`'s inet lines) and come back with `ip_mc_up`.
   */
  deviceDown(dev: NetDevice): void {
    const ind = this.k.inDev(dev);
    for (const m of ind.mcList) {
      this.k.timers.del(m.timer);
      m.unsolicitedLeft = 0;
      this.unload(dev, m);
    }
    this.leave(dev, INADDR_ALLHOSTS_GROUP);
  }

  /** `ip_mc_filter_add` once per group (`im->loaded`). */
  private load(dev: NetDevice, m: IpMcList): void {
    if (m.loaded) return;
    m.loaded = true;
    ipMulticastToMac(m.group, this.mac, 0);
    devMcAdd(dev, this.mac);
  }

  private unload(dev: NetDevice, m: IpMcList): void {
    if (!m.loaded) return;
    m.loaded = false;
    ipMulticastToMac(m.group, this.mac, 0);
    devMcDel(dev, this.mac);
  }

  /**
   * Sends a membership query, as a multicast router (or a bridge's querier)
   * would: general when `group` is 0. `maxRespTenths` is the response window
   * in tenths of a second (0 makes it a v1 query).
   */
  query(dev: NetDevice, group: number, maxRespTenths: number): void {
    const k = this.k;
    const skb = k.allocSkb(IGMP_HLEN);
    IgmpView.write(skb.buf, skb.put(IGMP_HLEN), IGMP_HOST_MEMBERSHIP_QUERY, maxRespTenths, group);
    ipOutput(
      k,
      skb,
      dev,
      k.inDev(dev).primary,
      group || INADDR_ALLHOSTS_GROUP,
      IPPROTO_IGMP,
      1,
      true,
    );
  }

  /** `igmp_rcv`: `skb.data` is at the IGMP header. Takes ownership. */
  rcv(skb: SkBuff, dev: NetDevice): void {
    const k = this.k;
    const igmp = this.view.at(skb.buf, skb.data, skb.len);
    if (igmp.check(skb.len) !== '' || !igmp.verifyChecksum(skb.len)) {
      k.machine.fates.recordSkb(skb, k.now, FATE_HDR_ERROR);
      skb.free();
      return;
    }
    const ind = k.inDev(dev);
    switch (igmp.type) {
      case IGMP_HOST_MEMBERSHIP_QUERY: {
        this.queriesReceived++;
        const version = igmp.queryVersion(skb.len);
        const maxDelay = version === 1 ? V1_MAX_RESPONSE : (igmp.maxRespTime / 10) * SECOND;
        const group = igmp.group;
        for (const m of ind.mcList) {
          if (m.group === INADDR_ALLHOSTS_GROUP) continue;
          if (group === 0 || group === m.group) this.startTimer(m, maxDelay);
        }
        break;
      }
      case IGMPV1_HOST_MEMBERSHIP_REPORT:
      case IGMPV2_HOST_MEMBERSHIP_REPORT: {
        // Another member answered for the group: ours is not needed (report suppression).
        const m = ind.findGroup(igmp.group);
        if (m && k.timers.pending(m.timer)) {
          k.timers.del(m.timer);
          m.unsolicitedLeft = 0;
          m.reporter = false;
        }
        break;
      }
    }
    k.machine.fates.recordSkb(skb, k.now, FATE_CONSUMED);
    skb.free();
  }

  /** Delay (ms) left before the group's report, for /proc/net/igmp; -1 when none is due. */
  timerLeft(m: IpMcList): number {
    const at = this.k.timers.expiresAt(m.timer);
    return at < 0 ? -1 : Math.round((at - this.k.now) / MS);
  }

  /** A new membership: report now, and once more later (robustness). */
  private announce(dev: NetDevice, m: IpMcList): void {
    this.sendReport(dev, m);
    m.unsolicitedLeft = ROBUSTNESS - 1;
    this.startTimer(m, UNSOLICITED_REPORT_INTERVAL);
  }

  /** Arms the report timer at a random delay in [0, maxDelay), unless it would fire sooner already. */
  private startTimer(m: IpMcList, maxDelay: number): void {
    const timers = this.k.timers;
    // Whole nanoseconds: the clock, and every timestamp a capture takes from it, are integers.
    const at = this.k.now + this.k.machine.rng.int(maxDelay);
    if (timers.pending(m.timer) && timers.expiresAt(m.timer) <= at) return;
    timers.mod(m.timer, at);
  }

  private timerExpired(dev: NetDevice, m: IpMcList): void {
    if (!(dev.flags & IFF_UP)) return;
    this.sendReport(dev, m);
    if (m.unsolicitedLeft > 0 && --m.unsolicitedLeft > 0)
      this.startTimer(m, UNSOLICITED_REPORT_INTERVAL);
  }

  private sendReport(dev: NetDevice, m: IpMcList): void {
    const v1 = this.k.sysctl.get('net.ipv4.conf.all.force_igmp_version') === 1;
    this.send(
      dev,
      v1 ? IGMPV1_HOST_MEMBERSHIP_REPORT : IGMPV2_HOST_MEMBERSHIP_REPORT,
      m.group,
      m.group,
    );
    m.reporter = true;
  }

  private send(dev: NetDevice, type: number, group: number, dst: number): void {
    const k = this.k;
    const skb = k.allocSkb(IGMP_HLEN);
    IgmpView.write(skb.buf, skb.put(IGMP_HLEN), type, 0, group);
    if (type === IGMP_HOST_LEAVE_MESSAGE) this.leavesSent++;
    else this.reportsSent++;
    ipOutput(k, skb, dev, k.inDev(dev).primary, dst, IPPROTO_IGMP, 1, true);
  }
}
