import type { NetDevice } from '../netdev/net-device';

/** One IPv4 address on an interface (`struct in_ifaddr`). */
export interface InIfaddr {
  /** Address as an unsigned 32-bit number. */
  local: number;
  prefixLen: number;
  mask: number;
  /** The subnet's directed broadcast, which input routing always knows (`fib_add_ifaddr`). */
  broadcast: number;
  /** `ifa_broadcast` as configured: 0 when none was given (`ip addr add` without `brd`). */
  brd: number;
}

/** One multicast group joined on an interface (`struct ip_mc_list`). */
export interface IpMcList {
  group: number;
  /** Sockets (and the kernel itself, for 224.0.0.1) holding the membership. */
  users: number;
  /** IGMP report timer (Timers id), armed while a report is due. */
  timer: number;
  /** Unsolicited reports still to send after a join (robustness). */
  unsolicitedLeft: number;
  /** Whether this host sent the last report for the group (it then sends the leave). */
  reporter: boolean;
  /** `im->loaded`: the group's MAC is on the device's multicast list (not while it is down). */
  loaded: boolean;
  /** IGMPv3: state-change reports still to carry this group's record (`im->crcount`). */
  crcount: number;
}

/** IGMPv3: a group left, whose TO_IN record is still to be reported (`igmpv3_add_delrec`). */
export interface IgmpTombstone {
  group: number;
  crcount: number;
}

/**
 * `struct in_device`: IPv4's view of one interface: its addresses and the
 * groups joined on it. The device's hardware multicast list follows the
 * groups through `devMcAdd`/`devMcDel`.
 */
export class InDevice {
  readonly addrs: InIfaddr[] = [];
  readonly mcList: IpMcList[] = [];
  /** IGMPv3 groups left whose leave is still being reported (`mc_tomb`). */
  readonly tombs: IgmpTombstone[] = [];
  /** IGMPv3 state-change timer (`mr_ifc_timer`, a Timers id; -1 until first used). */
  mrIfcTimer = -1;
  /** State-change reports still to send (`mr_ifc_count`). */
  mrIfcCount = 0;
  /** IGMPv3 general-query response timer (`mr_gq_timer`). */
  mrGqTimer = -1;
  /** Until when a v1 / v2 querier is known to be present (`mr_v1_seen`, `mr_v2_seen`; ns). */
  mrV1Seen = 0;
  mrV2Seen = 0;
  /** `net.ipv4.conf.DEV.forwarding` (IN_DEV_FORWARD): may datagrams received here be routed on? */
  forwarding = 0;
  /** `net.ipv4.conf.DEV.send_redirects` (devconf.ts). */
  sendRedirects = 1;
  /** Bumped whenever `mcList` gains or loses a group: what `mcIn*` remember is then stale. */
  mcListGen = 0;
  /**
   * The last multicast datagram IP input let in here (its group joined, its source valid), as
   * Linux keeps a socket's input route (`sk_rx_dst`) for the next datagram of a flood: the
   * same group, source and protocol are let in again without the lookups while neither the
   * group list (`mcListGen`) nor the host's addresses (`LocalTable.genid`) changed. Fields of
   * this object rather than one of their own: on a segment of hundreds of hosts every
   * datagram visits hundreds of InDevices, and each further object is a cache miss at each.
   * Addresses are kept as signed 32-bit numbers (`group | 0`), which V8 stores in the field
   * itself; an unsigned one above 2^31 (every group) would be a separate number object to read.
   */
  mcInGroup = 0;
  mcInSrc = 0;
  mcInProtocol = -1;
  mcInListGen = -1;
  mcInLocalGen = -1;
  /**
   * One bit per bin (`mcBin`) of every group in `mcList`, as of `mcBinsGen`: a group whose bin
   * is clear is certainly not joined, which IP input learns without walking the list and its
   * entries (most multicast a card lets in is for groups the host never joined).
   */
  private mcBins = 0;
  private mcBinsGen = -1;

  constructor(readonly dev: NetDevice) {}

  /** The primary address, or 0 when the interface has none. */
  get primary(): number {
    return this.addrs.length > 0 ? this.addrs[0].local : 0;
  }

  /** Could `group` be joined here? false for certain; when true, `findGroup` says. */
  mayHaveJoined(group: number): boolean {
    if (this.mcBinsGen !== this.mcListGen) {
      let bins = 0;
      for (let i = 0; i < this.mcList.length; i++) bins |= mcBin(this.mcList[i].group);
      this.mcBins = bins;
      this.mcBinsGen = this.mcListGen;
    }
    return (this.mcBins & mcBin(group)) !== 0;
  }

  findGroup(group: number): IpMcList | undefined {
    // Every received multicast datagram asks: a plain loop, no closure.
    const list = this.mcList;
    for (let i = 0; i < list.length; i++) if (list[i].group === group) return list[i];
    return undefined;
  }

  /** Is `addr` one of this interface's addresses? */
  isLocal(addr: number): boolean {
    for (const a of this.addrs) if (a.local === addr) return true;
    return false;
  }

  /**
   * Is `addr` 255.255.255.255 or the directed broadcast of one of this
   * interface's subnets? A /31 or /32 has none (RFC 3021; Linux adds the
   * broadcast route only below /31): the other end of a /31 is a peer.
   */
  isBroadcast(addr: number): boolean {
    if (addr === 0xffffffff) return true;
    for (const a of this.addrs) if (a.prefixLen < 31 && a.broadcast === addr) return true;
    return false;
  }

  /** The address whose subnet holds `dst` (for route lookup), or undefined. */
  subnetFor(dst: number): InIfaddr | undefined {
    return this.addrs.find((a) => ((a.local ^ dst) & a.mask) === 0);
  }
}

/**
 * A group's bit among 30 (Fibonacci hashing, so groups differing in any byte spread out): 30,
 * so that the mask stays a small integer V8 keeps in the field itself.
 */
function mcBin(group: number): number {
  return 1 << ((Math.imul(group, 0x9e3779b1) >>> 27) % 30);
}
