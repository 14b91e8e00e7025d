import { netifReceiveSkb } from '../../drivers/softnet';
import { devSetAllmulti, devSetPromiscuity } from '../../netdev/dev';
import { devMcAdd, devMcDel } from '../../netdev/dev-addr';
import { devQueueXmit } from '../../netdev/dev-xmit';
import { EBUSY, EINVAL, ELOOP, ENODEV } from '../../netdev/errno';
import { FATE_CONSUMED, FATE_NOT_FOR_HOST } from '../../netdev/fate';
import { IFF_PROMISC, IFF_UP } from '../../netdev/flags';
import { NetDevice } from '../../netdev/net-device';
import { NETDEV_TX_OK } from '../../netdev/ops';
import { NetDeviceStats } from '../../netdev/stats';
import { PACKET_HOST, PACKET_OTHERHOST, type SkBuff } from '../../skb/sk-buff';
import { ETH_HLEN } from '../../wire/ethernet';
import { macKey, writeMacKey } from '../../wire/mac';
import type { Kernel } from '../kernel';
import { BrFdb, type BrFdbState } from './br-fdb';
import { BrMulticast } from './br-multicast';
import {
  BrVerdicts,
  V_DISABLED,
  V_FLOOD,
  V_FORWARD,
  V_LOCAL,
  V_LINK_LOCAL,
  V_MDB,
  V_SAME_PORT,
} from './br-verdicts';
import { NetBridgePort } from './net-bridge-port';

/** 224.0.0.106, all-snoopers: the bridge listens on it while snooping (`br_multicast_join_snoopers`). */
const ALL_SNOOPERS_MAC = Uint8Array.of(0x01, 0x00, 0x5e, 0x00, 0x00, 0x6a);
const BROADCAST_KEY = 0xffffffffffff;
/** 01:80:c2:00:00:0X, IEEE 802.1D reserved: never forwarded (STP BPDUs, pause frames, LLDP). */
const LINK_LOCAL_KEY = 0x0180c2000000;
/** Ports are numbered in 32 bits of a verdict's mask. */
export const BR_MAX_PORTS = 32;

/**
 * `struct net_bridge` (net/bridge/): the Linux bridge in one host's kernel, over the devices
 * enslaved to it. It is a device of its own (`br0`, its MAC the lowest of its ports' unless
 * set, an IP address if given one) whose frames go out the ports, and an rx handler on each
 * port that learns where stations are (br-fdb.ts), forwards known unicast to one port, floods
 * broadcast, unknown unicast and (as snooping allows) multicast to the others, and passes up
 * to this host what is for it. IGMP snooping is br-multicast.ts.
 *
 * STP is not modelled: a port forwards as soon as it and the bridge are up (Linux with
 * `stp_state 0`, its default), so a loop would storm. Lab files refuse one (build.ts), and
 * `ip link set … master` refuses a second port on a segment another port is on (ELOOP).
 */
export class NetBridge {
  readonly dev: NetDevice;
  readonly ports: NetBridgePort[] = [];
  readonly fdb = new BrFdb();
  readonly mcast: BrMulticast;
  readonly verdicts = new BrVerdicts();
  readonly stats = new NetDeviceStats();
  /** The MAC was set by the user (`BR_SET_MAC_ADDR`): it no longer follows the ports'. */
  private macSet = false;
  private readonly gcTimer: number;

  constructor(
    readonly k: Kernel,
    name: string,
  ) {
    this.dev = new NetDevice(name, {
      open: () => this.open(),
      stop: () => this.stop(),
      hardStartXmit: (skb) => this.devXmit(skb),
      getStats: () => this.stats,
      setMacAddress: (dev, addr) => {
        dev.devAddr.set(addr);
        this.macSet = true;
        return 0;
      },
      changeMtu: (dev, mtu) => {
        dev.mtu = mtu;
        return 0;
      },
    });
    this.dev.maxMtu = 65535;
    this.dev.priv = this;
    // Until a port lends it one: a random locally administered address (eth_hw_addr_random).
    const r = k.machine.rng;
    const a = this.dev.devAddr;
    a[0] = 0x02;
    for (let i = 1; i < 6; i++) a[i] = r.nextU32() & 0xff;
    this.mcast = new BrMulticast(this);
    this.gcTimer = k.timers.setup(() => this.gc());
  }

  get name(): string {
    return this.dev.name;
  }

  get up(): boolean {
    return (this.dev.flags & IFF_UP) !== 0;
  }

  portOf(dev: NetDevice): NetBridgePort | undefined {
    return this.ports.find((p) => p.dev === dev);
  }

  /** A port forwards while the bridge, the port's device and its carrier are up (no STP). */
  forwarding(p: NetBridgePort): boolean {
    return this.up && (p.dev.flags & IFF_UP) !== 0 && p.dev.carrier;
  }

  portState(p: NetBridgePort): 'forwarding' | 'disabled' {
    return this.forwarding(p) ? 'forwarding' : 'disabled';
  }

  /**
   * `br_add_if` (`ip link set DEV master br0`): the device becomes a port: promiscuous (one
   * reference on its count, as `br_manage_promisc` takes with VLAN filtering off) and in
   * allmulti (one reference, as Linux 6.18's `br_add_if` takes: `ip -d` shows both), its frames
   * the bridge's, its MAC a local fdb entry. `sameWire` says whether it shares a segment with
   * a port already here: without STP that is a loop, refused with ELOOP.
   */
  addIf(dev: NetDevice, sameWire: (a: NetDevice, b: NetDevice) => boolean): number {
    if (dev === this.dev) return -ELOOP;
    if (dev.priv instanceof NetBridge) return -ELOOP;
    if (this.k.bridgePortOf(dev)) return -EBUSY;
    if (this.ports.length >= BR_MAX_PORTS) return -EINVAL;
    if (this.ports.some((p) => sameWire(p.dev, dev))) return -ELOOP;
    let no = 1;
    while (this.ports.some((p) => p.portNo === no)) no++;
    const p = new NetBridgePort(this, dev, no);
    this.ports.push(p);
    this.ports.sort((a, b) => a.dev.ifindex - b.dev.ifindex);
    devSetPromiscuity(dev, 1);
    devSetAllmulti(dev, 1);
    dev.master = this.dev;
    dev.rxHandler = this.handleFrame;
    this.fdb.addLocal(macKey(dev.devAddr), p, this.k.now);
    this.mcast.addPort(p);
    this.recalcMac();
    return 0;
  }

  /** `br_del_if` (`ip link set DEV nomaster`): the device gets its own stack back. */
  delIf(dev: NetDevice): number {
    const p = this.portOf(dev);
    if (!p) return -ENODEV;
    this.ports.splice(this.ports.indexOf(p), 1);
    this.fdb.deleteByPort(p, true);
    this.mcast.deletePort(p);
    devSetPromiscuity(dev, -1);
    devSetAllmulti(dev, -1);
    dev.master = null;
    dev.rxHandler = this.k.netifReceiveSkb;
    this.recalcMac();
    return 0;
  }

  /** `br_stp_recalculate_bridge_id`: br0 takes the lowest of its ports' MACs, unless set. */
  private recalcMac(): void {
    if (this.macSet || this.ports.length === 0) return;
    let min = Infinity;
    for (const p of this.ports) min = Math.min(min, macKey(p.dev.devAddr));
    const old = macKey(this.dev.devAddr);
    if (old === min) return;
    writeMacKey(this.dev.devAddr, 0, min);
  }

  private open(): number {
    if (this.mcast.snooping) devMcAdd(this.dev, ALL_SNOOPERS_MAC);
    this.dev.carrier = true;
    this.k.timers.mod(this.gcTimer, this.k.now + 1e9);
    this.mcast.open();
    return 0;
  }

  private stop(): void {
    if (this.mcast.snooping) devMcDel(this.dev, ALL_SNOOPERS_MAC);
    this.k.timers.del(this.gcTimer);
    this.mcast.stop();
  }

  /** Snooping turned on or off while up: br0 joins or leaves all-snoopers with it. */
  snoopersChanged(on: boolean): void {
    if (!this.up) return;
    if (on) devMcAdd(this.dev, ALL_SNOOPERS_MAC);
    else devMcDel(this.dev, ALL_SNOOPERS_MAC);
  }

  /** `br_fdb_cleanup`, every second here (Linux runs it at the next expiry, at most each ageing time/10). */
  private gc(): void {
    this.fdb.cleanup(this.k.now);
    this.mcast.expire();
    if (this.up) this.k.timers.mod(this.gcTimer, this.k.now + 1e9);
  }

  /** The gc timer's remaining time (ns), for `ip -d link show`. */
  gcRemaining(): number {
    return this.k.timers.pending(this.gcTimer)
      ? Math.max(0, this.k.timers.expiresAt(this.gcTimer) - this.k.now)
      : 0;
  }

  /**
   * `br_handle_frame` and `br_handle_frame_finish`: a frame in on a port. `skb.data` is past
   * the Ethernet header (eth_type_trans ran on the port).
   */
  readonly handleFrame = (skb: SkBuff, dev: NetDevice): void => {
    const p = this.portOf(dev)!;
    const b = skb.buf;
    const mac = skb.macHeader;
    const dst = macKey(b, mac);
    const src = macKey(b, mac + 6);
    const now = this.k.now;
    if (b[mac + 6] & 1 || src === 0) return this.drop(skb, p, V_DISABLED);
    if ((dst & ~0xf) === LINK_LOCAL_KEY) {
      // Not forwarded: up the port's own stack, which has nothing for it.
      this.verdicts.record(skb.wireSeq, p.portNo, V_LINK_LOCAL, 0);
      this.k.netifReceiveSkb(skb, dev);
      return;
    }
    if (!this.forwarding(p)) return this.drop(skb, p, V_DISABLED);
    this.fdb.update(src, p, now);
    let localRcv = (this.dev.flags & IFF_PROMISC) !== 0;
    if (dst === BROADCAST_KEY) {
      this.flood(skb, p, true, V_FLOOD);
      return;
    }
    if (b[mac] & 1) {
      const m = this.mcast;
      if (m.rcv(skb, p)) {
        // `br_multicast_is_router` (br0 as a multicast router) is not modelled: only members.
        if (m.hostJoined) {
          localRcv = true;
          this.stats.multicast++;
        }
        this.mcastFlood(skb, p, localRcv, m.group);
      } else {
        this.stats.multicast++;
        this.flood(skb, p, true, V_FLOOD);
      }
      return;
    }
    const e = this.fdb.find(dst);
    if (e?.local) {
      this.verdicts.record(skb.wireSeq, p.portNo, V_LOCAL, 0);
      this.passUp(skb);
      return;
    }
    if (e) {
      e.used = now;
      if (e.dst === p || e.dst === null) {
        // The station is on the wire the frame came from: it has it already.
        if (localRcv) return this.passUp(skb);
        return this.drop(skb, p, V_SAME_PORT, 1 << (p.portNo - 1));
      }
      if (this.forwarding(e.dst)) this.xmitCopy(skb, e.dst);
      this.verdicts.record(skb.wireSeq, p.portNo, V_FORWARD, 1 << (e.dst.portNo - 1));
      this.finish(skb, localRcv);
      return;
    }
    this.flood(skb, p, localRcv, V_FLOOD);
  };

  /** `br_flood`: out every forwarding port but the one it came in on. */
  private flood(skb: SkBuff, from: NetBridgePort | null, localRcv: boolean, kind: number): void {
    let mask = 0;
    for (const q of this.ports) {
      if (q === from || !this.forwarding(q)) continue;
      this.xmitCopy(skb, q);
      mask |= 1 << (q.portNo - 1);
    }
    this.verdicts.record(skb.wireSeq, from?.portNo ?? 0, kind, mask);
    this.finish(skb, localRcv);
  }

  /** `br_multicast_flood`: to the ports with members of the group (mdb) and the router ports. */
  private mcastFlood(
    skb: SkBuff,
    from: NetBridgePort | null,
    localRcv: boolean,
    group: number,
  ): void {
    const mdb = this.mcast.mdb;
    const entry = group !== 0 ? mdb.get(group) : undefined;
    const now = this.k.now;
    let mask = 0;
    for (const q of this.ports) {
      if (q === from || !this.forwarding(q)) continue;
      // A membership whose timer ran out is gone (Linux's timer fires then; our gc each second).
      const member = entry !== undefined && mdb.isMember(entry, q, now);
      if (!member && !this.mcast.isRouterPort(q)) continue;
      this.xmitCopy(skb, q);
      mask |= 1 << (q.portNo - 1);
    }
    this.verdicts.record(skb.wireSeq, from?.portNo ?? 0, V_MDB, mask, group);
    this.finish(skb, localRcv);
  }

  /** The frame, whole again, out of `q` (`br_forward` → `br_dev_queue_push_xmit`). */
  private xmitCopy(skb: SkBuff, q: NetBridgePort): void {
    const c = skb.clone();
    if (c.data !== c.macHeader) c.push(c.data - c.macHeader);
    c.wireSeq = 0;
    c.rxVerdict = -1;
    c.iif = 0;
    devQueueXmit(c, q.dev);
  }

  private finish(skb: SkBuff, localRcv: boolean): void {
    if (localRcv) this.passUp(skb);
    else {
      // A frame from the wire ends here, forwarded: this host's part is done (consume_skb).
      if (skb.wireSeq > 0) this.k.machine.fates.recordSkb(skb, this.k.now, FATE_CONSUMED);
      skb.free();
    }
  }

  private drop(skb: SkBuff, p: NetBridgePort, kind: number, mask = 0): void {
    this.verdicts.record(skb.wireSeq, p.portNo, kind, mask);
    this.stats.rx_dropped++;
    this.k.machine.fates.recordSkb(skb, this.k.now, FATE_NOT_FOR_HOST);
    skb.free();
  }

  /** `br_pass_frame_up`: the frame goes up this host's stack as received on br0. */
  private passUp(skb: SkBuff): void {
    this.stats.rx_packets++;
    this.stats.rx_bytes += skb.len + ETH_HLEN;
    skb.dev = this.dev;
    const b = skb.buf;
    const mac = skb.macHeader;
    if (!(b[mac] & 1)) {
      skb.pktType = macKey(b, mac) === macKey(this.dev.devAddr) ? PACKET_HOST : PACKET_OTHERHOST;
    }
    netifReceiveSkb(this.k.machine, skb, this.dev);
  }

  /** `br_dev_xmit`: this host sends on br0: to the port its destination is behind, or flooded. */
  private devXmit(skb: SkBuff): number {
    this.stats.tx_packets++;
    this.stats.tx_bytes += skb.len;
    const b = skb.buf;
    const at = skb.data;
    skb.macHeader = at;
    const dst = macKey(b, at);
    if (b[at] & 1) {
      if (dst !== BROADCAST_KEY && this.mcast.xmit(skb))
        this.mcastFlood(skb, null, false, this.mcast.group);
      else this.flood(skb, null, false, V_FLOOD);
      return NETDEV_TX_OK;
    }
    const e = this.fdb.find(dst);
    if (e && !e.local && e.dst && this.forwarding(e.dst)) {
      this.xmitCopy(skb, e.dst);
      this.verdicts.record(skb.wireSeq, 0, V_FORWARD, 1 << (e.dst.portNo - 1));
      this.finish(skb, false);
    } else this.flood(skb, null, false, V_FLOOD);
    return NETDEV_TX_OK;
  }

  /**
   * `br_fdb_add` (`bridge fdb add|replace MAC dev PORT master`, `dev br0 self` with `port`
   * null): a dynamic entry needs a port that learns (forwarding here, no STP).
   */
  fdbAdd(port: NetBridgePort | null, key: number, state: BrFdbState, exclusive: boolean): number {
    const learning = port !== null && this.forwarding(port);
    return this.fdb.addUser(key, port, state, exclusive, learning, this.k.now);
  }

  /** `br_fdb_delete` (`bridge fdb del MAC dev PORT master`, or `dev br0 self`). */
  fdbDel(port: NetBridgePort | null, key: number): number {
    return this.fdb.delUser(key, port);
  }

  /** The names of the ports in a verdict's mask, in port order. */
  portNames(mask: number): string[] {
    return this.ports.filter((p) => mask & (1 << (p.portNo - 1))).map((p) => p.name);
  }

  portByNo(no: number): NetBridgePort | undefined {
    return this.ports.find((p) => p.portNo === no);
  }
}
