import { devMcAdd, devMcDel } from '../netdev/dev-addr';
import { FATE_CONSUMED, FATE_HDR_ERROR } from '../netdev/fate';
import { IFF_UP } from '../netdev/flags';
import type { NetDevice } from '../netdev/net-device';
import { MS, SECOND } from '../sim/time';
import type { SkBuff } from '../skb/sk-buff';
import { EMPTY_BYTES } from '../wire/bytes';
import { internetChecksum } from '../wire/checksum';
import {
  IGMP_HLEN,
  IGMP_HOST_LEAVE_MESSAGE,
  IGMP_HOST_MEMBERSHIP_QUERY,
  IGMPV1_HOST_MEMBERSHIP_REPORT,
  IGMPV2_HOST_MEMBERSHIP_REPORT,
  IGMPV3_ALL_MCR,
  IGMPV3_CHANGE_TO_EXCLUDE,
  IGMPV3_CHANGE_TO_INCLUDE,
  IGMPV3_HOST_MEMBERSHIP_REPORT,
  IGMPV3_MODE_IS_EXCLUDE,
  IGMPV3_RECORD_HLEN,
  IgmpView,
} from '../wire/igmp';
import { INADDR_ALLHOSTS_GROUP, INADDR_ALLRTRS_GROUP, ipMulticastToMac } from '../wire/ipv4-addr';
import { IPPROTO_IGMP } from '../wire/ipv4';
import type { InDevice, IpMcList } from './inet-device';
import { ipOutput } from './ip-output';
import type { Kernel } from './kernel';

/** A v1 query has no max response time: hosts use 10 s (IGMP_QUERY_RESPONSE_INTERVAL). */
const V1_MAX_RESPONSE = 10 * SECOND;
/** IGMP_QUERY_INTERVAL and IGMP_QUERY_RESPONSE_INTERVAL: the defaults a querier is assumed to use. */
const QUERY_INTERVAL = 125 * SECOND;
const QUERY_RESPONSE_INTERVAL = 10 * SECOND;
/**
 * `igmp_ifc_start_timer(in_dev, 1)` waits a random 0 jiffies, then 2 more: the second jiffy
 * tick of the host's own clock (4 ms apart at HZ=250, CONFIG_HZ of Debian's kernels and of the
 * 6.18 the fidelity suite ran on), so 4 to 8 ms after the join.
 */
const IFC_FIRST_JIFFIES = 2;

/**
 * IGMP for a host (net/ipv4/igmp.c): IGMPv3 (RFC 3376) unless a v1 or v2
 * querier was heard lately or `force_igmp_version` says otherwise, as Linux.
 * Joining a group adds its MAC to the device's multicast list (`devMcAdd`),
 * which is what programs the NIC's filter, and announces the membership; the
 * last leave removes it and tells the routers. v3 announces changes in
 * state-change reports to 224.0.0.22 (TO_EX on a join, TO_IN on a leave),
 * igmp_qrv times, and answers queries with current-state records; v2 answers
 * after a random delay, and a report heard from another member cancels ours.
 */
export class Igmp {
  reportsSent = 0;
  leavesSent = 0;
  queriesReceived = 0;
  private readonly view = new IgmpView(EMPTY_BYTES);
  private readonly mac = new Uint8Array(6);

  constructor(private readonly k: Kernel) {}

  /**
   * The IGMP version `dev` speaks: `force_igmp_version` when set, else 1 or 2
   * while an older querier was heard within the Older Version Querier Present
   * Timeout (`IGMP_V1_SEEN`, `IGMP_V2_SEEN`), else 3.
   */
  version(dev: NetDevice): number {
    const forced = this.k.sysctl.get('net.ipv4.conf.all.force_igmp_version');
    if (forced === 1 || forced === 2) return forced;
    const ind = this.k.inDev(dev);
    if (this.k.now < ind.mrV1Seen) return 1;
    if (this.k.now < ind.mrV2Seen) return 2;
    return 3;
  }

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
      crcount: 0,
    };
    m.timer = this.k.timers.setup(() => this.timerExpired(dev, m));
    ind.mcList.unshift(m);
    ind.mcListGen++;
    // A group left and joined again before its leave was reported: the leave is forgotten.
    const t = ind.tombs.findIndex((x) => x.group === group);
    if (t >= 0) ind.tombs.splice(t, 1);
    this.load(dev, m);
    if (group !== INADDR_ALLHOSTS_GROUP && dev.flags & IFF_UP) this.groupAdded(dev, m);
  }

  /** `ip_mc_dec_group`: the last user's leave removes the group and tells the routers. */
  leave(dev: NetDevice, group: number): void {
    const ind = this.k.inDev(dev);
    const m = ind.findGroup(group);
    if (!m || --m.users > 0) return;
    ind.mcList.splice(ind.mcList.indexOf(m), 1);
    ind.mcListGen++;
    this.k.timers.free(m.timer);
    this.unload(dev, m);
    if (group === INADDR_ALLHOSTS_GROUP || !(dev.flags & IFF_UP)) return;
    if (this.version(dev) === 3) {
      ind.tombs.push({ group, crcount: this.qrv() });
      this.ifcEvent(dev);
    } else if (m.reporter) {
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
      if (m.group !== INADDR_ALLHOSTS_GROUP) this.groupAdded(dev, m);
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
      m.crcount = 0;
      this.unload(dev, m);
    }
    ind.tombs.length = 0;
    ind.mrIfcCount = 0;
    if (ind.mrIfcTimer >= 0) this.k.timers.del(ind.mrIfcTimer);
    if (ind.mrGqTimer >= 0) this.k.timers.del(ind.mrGqTimer);
    this.leave(dev, INADDR_ALLHOSTS_GROUP);
  }

  /** `ip_mc_init_dev`: the device's state-change and general-query timers. */
  initDev(dev: NetDevice): void {
    const ind = this.k.inDev(dev);
    ind.mrIfcTimer = this.k.timers.setup(() => this.ifcExpired(dev));
    ind.mrGqTimer = this.k.timers.setup(() => this.sendV3(dev, null));
  }

  /** Gives back the device's own timers (its InDevice is going away). */
  forget(dev: NetDevice): void {
    const ind = this.k.inDev(dev);
    for (const m of ind.mcList) this.k.timers.free(m.timer);
    if (ind.mrIfcTimer >= 0) this.k.timers.free(ind.mrIfcTimer);
    if (ind.mrGqTimer >= 0) this.k.timers.free(ind.mrGqTimer);
    ind.mrIfcTimer = ind.mrGqTimer = -1;
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
      case IGMP_HOST_MEMBERSHIP_QUERY:
        this.queriesReceived++;
        this.heardQuery(dev, ind, igmp.queryVersion(skb.len), igmp.maxRespTime, igmp.group);
        break;
      case IGMPV1_HOST_MEMBERSHIP_REPORT:
      case IGMPV2_HOST_MEMBERSHIP_REPORT: {
        // Another member answered for the group: ours is not needed (v1/v2 report suppression;
        // a v3 host does not suppress).
        const m = ind.findGroup(igmp.group);
        if (m && this.version(dev) < 3 && k.timers.pending(m.timer)) {
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

  /**
   * `igmp_heard_query`: a v1 or v2 query makes the device speak that version
   * for the Older Version Querier Present Timeout (robustness × query interval
   * + response interval) and arms the groups' report timers; a v3 general query
   * arms one timer for a report of every group, a group query that group's.
   */
  private heardQuery(
    dev: NetDevice,
    ind: InDevice,
    version: number,
    maxRespTenths: number,
    group: number,
  ): void {
    const present = this.qrv() * QUERY_INTERVAL + QUERY_RESPONSE_INTERVAL;
    if (version === 0) return;
    if (version === 1) ind.mrV1Seen = this.k.now + present;
    else if (version === 2) ind.mrV2Seen = this.k.now + present;
    const maxDelay = version === 1 ? V1_MAX_RESPONSE : Math.max(1, (maxRespTenths / 10) * SECOND);
    if (version === 3 && group === 0) {
      if (this.version(dev) < 3) return; // an older querier rules: v3 queries are ignored
      this.arm(ind.mrGqTimer, maxDelay);
      return;
    }
    for (const m of ind.mcList) {
      if (m.group === INADDR_ALLHOSTS_GROUP) continue;
      if (group === 0 || group === m.group) this.startTimer(m, maxDelay);
    }
  }

  /** A new membership on a device that is up: announced in the version it speaks. */
  private groupAdded(dev: NetDevice, m: IpMcList): void {
    if (this.version(dev) === 3) {
      m.crcount = this.qrv();
      this.ifcEvent(dev);
      return;
    }
    this.sendReport(dev, m);
    m.unsolicitedLeft = this.qrv() - 1;
    this.startTimer(m, this.unsolicitedInterval(dev));
  }

  /** `igmp_ifc_event`: state changed; igmp_qrv state-change reports follow, the first at once. */
  private ifcEvent(dev: NetDevice): void {
    const ind = this.k.inDev(dev);
    ind.mrIfcCount = this.qrv();
    const timers = this.k.timers;
    const at = this.k.jiffyTick(IFC_FIRST_JIFFIES);
    if (!timers.pending(ind.mrIfcTimer) || timers.expiresAt(ind.mrIfcTimer) > at)
      timers.mod(ind.mrIfcTimer, at);
  }

  /** `igmp_ifc_timer_expire`: a state-change report, and the next while any is owed. */
  private ifcExpired(dev: NetDevice): void {
    const ind = this.k.inDev(dev);
    if (!(dev.flags & IFF_UP)) return;
    this.sendCr(dev, ind);
    if (ind.mrIfcCount > 0) {
      ind.mrIfcCount--;
      this.arm(ind.mrIfcTimer, this.unsolicitedInterval(dev));
    }
  }

  /**
   * `igmpv3_send_cr`: one report with a TO_IN record for each group left and a
   * TO_EX record for each group joined whose change is still owed; nothing
   * when none is.
   */
  private sendCr(dev: NetDevice, ind: InDevice): void {
    const records: [number, number][] = [];
    for (let i = 0; i < ind.tombs.length; i++) {
      const t = ind.tombs[i];
      records.push([IGMPV3_CHANGE_TO_INCLUDE, t.group]);
      if (--t.crcount === 0) ind.tombs.splice(i--, 1);
    }
    for (const m of ind.mcList) {
      if (m.crcount === 0 || m.group === INADDR_ALLHOSTS_GROUP) continue;
      records.push([IGMPV3_CHANGE_TO_EXCLUDE, m.group]);
      m.crcount--;
    }
    if (records.length > 0) this.sendV3Records(dev, records);
  }

  /** A v3 current-state report (MODE_IS_EXCLUDE, no sources): every group, or one. */
  private sendV3(dev: NetDevice, only: IpMcList | null): void {
    if (!(dev.flags & IFF_UP)) return;
    const records: [number, number][] = [];
    for (const m of this.k.inDev(dev).mcList) {
      if (m.group === INADDR_ALLHOSTS_GROUP || (only !== null && m !== only)) continue;
      records.push([IGMPV3_MODE_IS_EXCLUDE, m.group]);
    }
    if (records.length > 0) this.sendV3Records(dev, records);
  }

  private sendV3Records(dev: NetDevice, records: [number, number][]): void {
    const k = this.k;
    const len = 8 + records.length * IGMPV3_RECORD_HLEN;
    const skb = k.allocSkb(len);
    const b = skb.buf;
    const at = skb.put(len);
    b.fill(0, at, at + len);
    b[at] = IGMPV3_HOST_MEMBERSHIP_REPORT;
    b[at + 6] = records.length >> 8;
    b[at + 7] = records.length & 0xff;
    records.forEach(([type, group], i) => {
      const r = at + 8 + i * IGMPV3_RECORD_HLEN;
      b[r] = type;
      b[r + 4] = group >>> 24;
      b[r + 5] = (group >>> 16) & 0xff;
      b[r + 6] = (group >>> 8) & 0xff;
      b[r + 7] = group & 0xff;
    });
    const sum = internetChecksum(b, at, len);
    b[at + 2] = sum >> 8;
    b[at + 3] = sum & 0xff;
    this.reportsSent++;
    ipOutput(k, skb, dev, k.inDev(dev).primary, IGMPV3_ALL_MCR, IPPROTO_IGMP, 1, true);
  }

  /** Arms the report timer at a random delay in [0, maxDelay), unless it would fire sooner already. */
  private startTimer(m: IpMcList, maxDelay: number): void {
    const timers = this.k.timers;
    // Whole nanoseconds: the clock, and every timestamp a capture takes from it, are integers.
    const at = this.k.now + this.k.machine.rng.int(maxDelay);
    if (timers.pending(m.timer) && timers.expiresAt(m.timer) <= at) return;
    timers.mod(m.timer, at);
  }

  /** `mod_timer` at a random delay in [0, maxDelay), unless already due sooner. */
  private arm(timer: number, maxDelay: number): void {
    const timers = this.k.timers;
    const at = this.k.now + this.k.machine.rng.int(maxDelay);
    if (timers.pending(timer) && timers.expiresAt(timer) <= at) return;
    timers.mod(timer, at);
  }

  private timerExpired(dev: NetDevice, m: IpMcList): void {
    if (!(dev.flags & IFF_UP)) return;
    if (this.version(dev) === 3) {
      this.sendV3(dev, m); // a v3 group-specific query's answer
      return;
    }
    this.sendReport(dev, m);
    if (m.unsolicitedLeft > 0 && --m.unsolicitedLeft > 0)
      this.startTimer(m, this.unsolicitedInterval(dev));
  }

  private sendReport(dev: NetDevice, m: IpMcList): void {
    const v1 = this.version(dev) === 1;
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

  /** `igmp_qrv`: how many times a change is reported. */
  private qrv(): number {
    return this.k.sysctl.get('net.ipv4.igmp_qrv');
  }

  /** `unsolicited_report_interval`: the v3 or the v1/v2 sysctl, in ns. */
  private unsolicitedInterval(dev: NetDevice): number {
    const name =
      this.version(dev) === 3
        ? 'net.ipv4.conf.all.igmpv3_unsolicited_report_interval'
        : 'net.ipv4.conf.all.igmpv2_unsolicited_report_interval';
    return Math.max(1, this.k.sysctl.get(name)) * MS;
  }

  /** `ip_mc_filter_add` once per group (`im->loaded`). */
  private load(dev: NetDevice, m: IpMcList): void {
    if (m.loaded) return;
    m.loaded = true;
    // arp_mc_map knows no loopback: `lo` is in 224.0.0.1 with no hardware address for it.
    if (dev.type === 'loopback') return;
    ipMulticastToMac(m.group, this.mac, 0);
    devMcAdd(dev, this.mac);
  }

  private unload(dev: NetDevice, m: IpMcList): void {
    if (!m.loaded) return;
    m.loaded = false;
    if (dev.type === 'loopback') return;
    ipMulticastToMac(m.group, this.mac, 0);
    devMcDel(dev, this.mac);
  }
}
