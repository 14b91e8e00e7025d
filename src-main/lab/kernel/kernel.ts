import { MS } from '../sim/time';
import type { Machine } from '../drivers/machine';
import { EADDRNOTAVAIL, EEXIST } from '../netdev/errno';
import { FATE_NO_PROTOCOL } from '../netdev/fate';
import { createLoopback } from '../drivers/loopback';
import { devClose, devOpen } from '../netdev/dev';
import { IFF_ALLMULTI, IFF_PROMISC, IFF_UP } from '../netdev/flags';
import type { NetDevice, NetdevEvent } from '../netdev/net-device';
import type { SkBuff } from '../skb/sk-buff';
import { NET_SKB_PAD } from '../skb/truesize';
import { ETH_HLEN, ETH_P_ARP, ETH_P_IP } from '../wire/ethernet';
import { formatIpv4, INADDR_LOOPBACK, prefixToMask, subnetBroadcast } from '../wire/ipv4-addr';
import { Arp } from './arp';
import { DevConf } from './devconf';
import { ForwardLog } from './forward-log';
import { Icmp } from './icmp';
import { NoRouteLimit } from './icmp-ratelimit';
import { Igmp } from './igmp';
import { InDevice } from './inet-device';
import { ipRcv } from './ip-input';
import { LocalTable } from './local-table';
import { NeighTable } from './neigh';
import { RouteTable, RT_SCOPE_HOST, RTPROT_KERNEL, type Route } from './route';
import { FibResult } from './route-input';
import { RtCacheStat } from './rt-cache-stat';
import { SnmpMib } from './snmp';
import { Sysctls } from './sysctl';
import { Timers } from './timer';
import { UdpTable } from './udp';
import { NetBridge } from './bridge/net-bridge';
import { IpExtMib } from './ip-ext';
import { IpDefrag } from './ip-fragment';
import type { NetBridgePort } from './bridge/net-bridge-port';
import { ENODEV } from '../netdev/errno';

/** Headroom for every header the stack may push: Ethernet, IPv4 with options, UDP. */
export const MAX_HEADER = NET_SKB_PAD + ETH_HLEN + 24 + 8;

/**
 * One host's kernel: its devices, IPv4 addresses and routes, ARP, ICMP, IGMP
 * and UDP, their counters and sysctls. Received buffers arrive from the
 * drivers at `netifReceiveSkb`; every one ends freed, with its fate recorded.
 */
/** One jiffy at HZ=250 (CONFIG_HZ of Debian's kernels). */
export const JIFFY_NS = 4 * MS;

export class Kernel {
  readonly timers: Timers;
  readonly sysctl = new Sysctls();
  readonly mib = new SnmpMib();
  /** /proc/net/stat/rt_cache: broadcasts, multicasts and martians routed in. */
  readonly rtStat = new RtCacheStat();
  readonly routes = new RouteTable();
  /** What the last input route found (route-input.ts). */
  readonly fibRes = new FibResult();
  readonly devices: NetDevice[] = [];
  /** Own addresses and subnet broadcasts, as input routing asks for them. */
  readonly local = new LocalTable();
  readonly neigh: NeighTable;
  readonly arp: Arp;
  readonly icmp: Icmp;
  readonly igmp: Igmp;
  readonly udp: UdpTable;
  readonly devconf: DevConf;
  /** Datagrams this host forwarded (for the follow panel). */
  readonly forwarded = new ForwardLog();
  /** IpExt InNoRoutes (/proc/net/netstat): to route on, but no route (ip_error). */
  inNoRoutes = 0;
  /** Fragments of datagrams for this host waiting for the rest (ip_fragment.c's queues). */
  readonly defrag: IpDefrag;
  /** The rest of /proc/net/netstat's IpExt (octets, multicast and broadcast, ECN classes). */
  readonly ipExt = new IpExtMib();
  readonly noRouteLimit = new NoRouteLimit();
  /** The Linux bridges (`ip link add br0 type bridge`), in creation order. */
  readonly bridges: NetBridge[] = [];
  /**
   * What a device's cable is plugged into (the host knows; the kernel only compares): two bridge
   * ports on one wire would be a loop, which without STP is refused. Null for none.
   */
  wireOf: (dev: NetDevice) => unknown = () => null;
  /** A device's link speed in Mbit/s (ethtool's), or 0 when unknown: a bridge port's cost follows it. */
  speedOf: (dev: NetDevice) => number = () => 0;
  /** Frames of protocols the host does not speak (neither IPv4 nor ARP). */
  unknownProtocol = 0;
  /**
   * When the host booted: its jiffies tick every JIFFY_NS from then, so two hosts' timers in
   * jiffies do not fire in the same nanosecond unless they booted together.
   */
  bootNs = 0;
  /** `init_net.loopback_dev`: registered first (ifindex 1), up, 127.0.0.1/8, as a booted host's. */
  readonly lo: NetDevice;
  private nextIfindex = 1;
  private ipId = 0;

  /** `mod_timer(t, jiffies + n)`'s expiry: the n-th tick of this host's jiffies after now. */
  jiffyTick(n: number): number {
    const ticks = Math.floor((this.now - this.bootNs) / JIFFY_NS);
    return this.bootNs + (ticks + n) * JIFFY_NS;
  }

  constructor(readonly machine: Machine) {
    this.timers = new Timers(machine.sched);
    this.arp = new Arp(this);
    this.neigh = new NeighTable(this.timers, this.sysctl, machine.rng, this.arp, formatIpv4);
    this.icmp = new Icmp(this);
    this.igmp = new Igmp(this);
    this.udp = new UdpTable(this);
    this.defrag = new IpDefrag(this);
    this.devconf = new DevConf(this);
    machine.softnet.maxBacklog = this.sysctl.get('net.core.netdev_max_backlog');
    this.sysctl.listeners.push((name, value) => {
      if (name === 'net.core.netdev_max_backlog') machine.softnet.maxBacklog = value;
    });
    this.routes.localLookup = (dst) => this.localRoute(dst);
    this.routes.clock = () => this.now;
    this.lo = createLoopback(machine);
    this.registerNetdev(this.lo);
    devOpen(this.lo);
  }

  /**
   * The local table's answer for an output route (`fib_lookup` → RTN_LOCAL): one of this host's
   * addresses, or anything in a loopback prefix (127.0.0.0/8), goes out `lo`, from the address
   * itself (or lo's own for the rest of 127/8). `lo` going down leaves these routes (Linux's
   * local table keeps them): what is sent then is dropped at `lo`, counted in its tx_dropped.
   */
  private localRoute(dst: number): Route | null {
    if (!this.local.isLocal(dst)) return null;
    const prefSrc = this.local.isOwn(dst) ? dst : this.inDev(this.lo).primary || INADDR_LOOPBACK;
    return {
      dst,
      prefixLen: 32,
      mask: 0xffffffff,
      dev: this.lo,
      gateway: 0,
      prefSrc,
      metric: 0,
      protocol: RTPROT_KERNEL,
      scope: RT_SCOPE_HOST,
    };
  }

  get now(): number {
    return this.machine.sched.now;
  }

  /** `register_netdevice`: gives the device an ifindex and connects its receive path. */
  registerNetdev(dev: NetDevice): void {
    dev.ifindex = this.nextIfindex++;
    this.devices.push(dev);
    const ind = new InDevice(dev);
    dev.ipPtr = ind;
    this.devconf.attach(dev, ind);
    this.igmp.initDev(dev);
    dev.rxHandler = this.netifReceiveSkb;
    dev.notifiers.push(this.onNetdevEvent);
  }

  /**
   * `unregister_netdevice` (the driver's module is going away): the device is
   * closed and every trace of it leaves the stack — addresses, routes,
   * neighbours, IGMP groups and hardware multicast list, sockets'
   * memberships and multicast interface — so nothing reaches it later. The
   * NetDevice stays with its card, not present, and starts afresh (no
   * promiscuity, no groups) if its driver registers it again.
   */
  unregisterNetdev(dev: NetDevice): void {
    const i = this.devices.indexOf(dev);
    if (i < 0) return;
    devClose(dev);
    this.igmp.forget(dev); // its timers: the InDevice goes below
    for (const s of this.udp.sockets) {
      // Linux's sockets keep a dead ifindex and fail later; here they simply forget the device.
      for (let j = s.memberships.length - 1; j >= 0; j--) {
        if (s.memberships[j].dev === dev) s.memberships.splice(j, 1);
      }
      if (s.mcIf === dev) s.mcIf = null;
    }
    dev.mc.clear();
    dev.promiscuity = 0;
    dev.allmulti = 0;
    dev.gflags = 0;
    dev.flags &= ~(IFF_PROMISC | IFF_ALLMULTI);
    this.neigh.flushDev(dev);
    this.routes.removeFor(dev);
    this.devices.splice(i, 1);
    this.devconf.detach(dev);
    dev.ipPtr = null;
    this.local.rebuild(this.inDevs);
    dev.rxHandler = null;
    const n = dev.notifiers.indexOf(this.onNetdevEvent);
    if (n >= 0) dev.notifiers.splice(n, 1);
    dev.present = false;
  }

  /** The first registered device that is not `lo`: the lab's default for an application. */
  firstCard(): NetDevice | null {
    return this.devices.find((d) => d.type !== 'loopback') ?? null;
  }

  /** `ip link add NAME type bridge`: the bridge's device, registered and down. */
  addBridge(name: string): NetBridge | number {
    if (this.devByName(name)) return -EEXIST;
    const br = new NetBridge(this, name);
    this.bridges.push(br);
    this.registerNetdev(br.dev);
    return br;
  }

  /** `ip link del br0`: its ports are released first. */
  delBridge(br: NetBridge): number {
    const i = this.bridges.indexOf(br);
    if (i < 0) return -ENODEV;
    for (const p of [...br.ports]) br.delIf(p.dev);
    this.unregisterNetdev(br.dev);
    this.bridges.splice(i, 1);
    return 0;
  }

  bridgeOf(dev: NetDevice): NetBridge | undefined {
    return this.bridges.find((b) => b.dev === dev);
  }

  /** The bridge port `dev` is (`br_port_get_rtnl`), if it is one. */
  bridgePortOf(dev: NetDevice): NetBridgePort | undefined {
    for (const br of this.bridges) {
      const p = br.portOf(dev);
      if (p) return p;
    }
    return undefined;
  }

  /** `ip link set DEV master BR`: 0, or -ELOOP for a second port on one wire (no STP). */
  enslave(br: NetBridge, dev: NetDevice): number {
    return br.addIf(dev, (a, b) => {
      const wa = this.wireOf(a);
      return wa !== null && wa === this.wireOf(b);
    });
  }

  devByName(name: string): NetDevice | undefined {
    return this.devices.find((d) => d.name === name);
  }

  /** `__in_dev_get_rcu`: IPv4's state of a registered device (every received datagram asks). */
  inDev(dev: NetDevice): InDevice {
    return dev.ipPtr as InDevice;
  }

  /** IPv4's state of every registered device, in the order they were registered. */
  get inDevs(): InDevice[] {
    return this.devices.map((d) => this.inDev(d));
  }

  /** Is `addr` an address of this host (on any interface)? */
  isLocalAddr(addr: number): boolean {
    return this.local.isLocal(addr);
  }

  /**
   * `ip addr add`: the address and, on a device that is up, its subnet route. No gratuitous
   * ARP: Linux announces an address only when the device comes up with arp_notify set.
   */
  addAddress(dev: NetDevice, local: number, prefixLen: number, brd: number | null = null): number {
    const ind = this.inDev(dev);
    if (ind.addrs.some((a) => a.local === local)) return -EEXIST;
    const mask = prefixToMask(prefixLen);
    const broadcast = subnetBroadcast(local, mask);
    // Without an explicit one, the subnet's broadcast (as SIOCSIFADDR sets it, below /31).
    brd ??= prefixLen < 31 ? broadcast : 0;
    ind.addrs.push({ local, prefixLen, mask, broadcast, brd });
    this.local.rebuild(this.inDevs);
    // `fib_add_ifaddr` routes an address only on a device that is up; NETDEV_UP adds the rest.
    // A loopback's prefix route is the local table's (`local 127.0.0.0/8`), not the main one.
    if (dev.flags & IFF_UP && dev.type !== 'loopback') {
      this.routes.addKernel(local, prefixLen, dev);
    }
    return 0;
  }

  /** `ip addr del` */
  delAddress(dev: NetDevice, local: number): number {
    const ind = this.inDev(dev);
    const i = ind.addrs.findIndex((a) => a.local === local);
    if (i < 0) return -EADDRNOTAVAIL;
    ind.addrs.splice(i, 1);
    this.local.rebuild(this.inDevs);
    this.routes.removeFor(dev, local);
    return 0;
  }

  /** A fresh buffer with room for every header in front of `payload` bytes. */
  allocSkb(payload: number): SkBuff {
    const skb = this.machine.skbPool.alloc(MAX_HEADER + payload);
    skb.reserve(MAX_HEADER);
    return skb;
  }

  nextIpId(): number {
    this.ipId = (this.ipId + 1) & 0xffff;
    return this.ipId;
  }

  /** `netif_receive_skb` after `eth_type_trans`: hands the buffer to its protocol. */
  readonly netifReceiveSkb = (skb: SkBuff, dev: NetDevice): void => {
    if (skb.protocol === ETH_P_IP) ipRcv(this, skb, dev);
    else if (skb.protocol === ETH_P_ARP) this.arp.rcv(skb, dev);
    else {
      this.unknownProtocol++;
      this.machine.fates.recordSkb(skb, this.now, FATE_NO_PROTOCOL);
      skb.free();
    }
  };

  private readonly onNetdevEvent = (event: NetdevEvent, dev: NetDevice): void => {
    if (event === 'up') {
      const ind = this.inDev(dev);
      if (dev.type === 'loopback') {
        // `inetdev_event` NETDEV_UP: a loopback without an address gets 127.0.0.1/8.
        if (ind.addrs.length === 0) this.addAddress(dev, INADDR_LOOPBACK, 8, 0);
        this.igmp.deviceUp(dev);
        return;
      }
      // `fib_netdev_event` NETDEV_UP: the addresses' routes come back.
      for (const a of ind.addrs) this.routes.addKernel(a.local, a.prefixLen, dev);
      this.igmp.deviceUp(dev);
      // `inetdev_event` NETDEV_UP: a gratuitous ARP per address only with arp_notify (default 0).
      if (this.sysctl.get('net.ipv4.conf.all.arp_notify') > 0)
        for (const a of ind.addrs) this.arp.gratuitous(dev, a.local);
    } else {
      // NETDEV_DOWN: `fib_disable_ip` takes the device's routes, `ip_mc_down` its groups' MACs.
      this.routes.removeFor(dev);
      this.igmp.deviceDown(dev);
      this.neigh.flushDev(dev);
    }
  };
}
