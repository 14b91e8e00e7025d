import {
  FATE_CONSUMED,
  FATE_FORWARDED,
  FATE_HDR_ERROR,
  FATE_MARTIAN,
  FATE_NEIGH_FAILED,
  FATE_NOT_FOR_HOST,
} from '../netdev/fate';
import { IFF_NOARP } from '../netdev/flags';
import type { NetDevice } from '../netdev/net-device';
import { PACKET_OTHERHOST, type SkBuff } from '../skb/sk-buff';
import { ARP_LEN, ARP_SHA, ARPOP_REPLY, ARPOP_REQUEST, ArpView } from '../wire/arp';
import { EMPTY_BYTES } from '../wire/bytes';
import { ICMP_DEST_UNREACH, ICMP_HOST_UNREACH } from '../wire/icmp';
import { ETH_P_ARP } from '../wire/ethernet';
import { isLoopbackIp, isMulticastIp } from '../wire/ipv4-addr';
import { macKey } from '../wire/mac';
import { ethOutput } from './ip-output';
import type { Kernel } from './kernel';
import type { NeighOps, Neighbour } from './neigh';
import {
  ipRouteInput,
  isMartianSource,
  MARTIAN_DESTINATION,
  MARTIAN_SOURCE,
  RTN_LOCAL,
} from './route-input';

const BROADCAST_MAC = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

/**
 * ARP (net/ipv4/arp.c): answers requests for this host's addresses, learns
 * from what it hears, asks on behalf of the neighbour table, and announces the
 * device's addresses with gratuitous requests when it comes up, if
 * net.ipv4.conf.all.arp_notify asks for it (Linux's default: it does not).
 */
export class Arp implements NeighOps {
  requestsSent = 0;
  repliesSent = 0;
  private readonly view = new ArpView(EMPTY_BYTES);

  constructor(private readonly k: Kernel) {}

  /**
   * `arp_rcv` and `arp_process`. Requests for a group or a loopback address
   * are dropped unread; a probe (sender 0.0.0.0, RFC 5227) for our address is
   * answered and nothing learnt from it; any other request goes through input
   * routing (`ip_route_input_noref(tip, sip)`), so a martian sender (multicast,
   * broadcast, loopback, this host's own address) is counted in_martian_src,
   * not answered and not learnt. A request for us from a valid sender is
   * answered and its sender remembered; anything else only refreshes an entry
   * we already have (arp_accept is 0). Which of the host's addresses a card
   * answers for is arp_ignore's (see `ignores`).
   */
  rcv(skb: SkBuff, dev: NetDevice): void {
    const k = this.k;
    const arp = this.view.at(skb.buf, skb.data, skb.len);
    if (arp.check() !== '' || dev.flags & IFF_NOARP) {
      this.done(skb, FATE_HDR_ERROR);
      return;
    }
    // A frame a promiscuous card took for another station is not ARP's business (arp_rcv).
    if (skb.pktType === PACKET_OTHERHOST) {
      this.k.machine.cpu.wastedNs += this.k.machine.cpu.perFrame;
      this.done(skb, FATE_NOT_FOR_HOST);
      return;
    }
    const sip = arp.spa;
    const tip = arp.tpa;
    const request = arp.oper === ARPOP_REQUEST;
    if (isMulticastIp(tip) || isLoopbackIp(tip)) {
      this.done(skb, FATE_MARTIAN);
      return;
    }
    const sha = skb.buf.slice(skb.data + ARP_SHA, skb.data + ARP_SHA + 6);
    const forUs = k.inDev(dev).isLocal(tip);
    if (sip === 0) {
      // A probe: the asker has no address yet. If it wants ours, tell it (unicast) it is taken.
      if (request && k.isLocalAddr(tip) && !this.ignores(dev, sip, tip))
        this.send(dev, ARPOP_REPLY, tip, macKey(sha), 0, sha);
      this.done(skb, FATE_CONSUMED);
      return;
    }
    let fate = FATE_CONSUMED;
    if (request) {
      const route = ipRouteInput(k, tip, sip, dev);
      if (route === MARTIAN_SOURCE) {
        this.done(skb, FATE_MARTIAN);
        return;
      }
      if (route === RTN_LOCAL && !this.ignores(dev, sip, tip)) {
        // The asker will talk to us: remember it (STALE), and answer.
        k.neigh.update(sip, dev, sha, false, true);
        this.send(dev, ARPOP_REPLY, tip, macKey(sha), sip, sha);
        this.done(skb, FATE_CONSUMED);
        return;
      }
      if (route === MARTIAN_DESTINATION) fate = FATE_MARTIAN;
    } else if (isMartianSource(k, sip)) {
      this.done(skb, FATE_MARTIAN);
      return;
    }
    // A reply to us confirms; anything else only refreshes what we already know.
    k.neigh.update(sip, dev, sha, !request && forUs, false);
    this.done(skb, fate);
  }

  /**
   * `arp_ignore` (net.ipv4.conf.all.arp_ignore) for a request for our address
   * `tip` that came in on `dev`: 0 (Linux's default, the weak host model)
   * answers for any of the host's addresses on any card, so a host with two
   * cards on one segment answers on both ("ARP flux"); 1 only when `tip` is
   * on `dev`; 2 also only when the asker `sip` is in that address's subnet.
   * Modes 3, 4-7 and 8 are refused by the sysctl (not modelled).
   */
  private ignores(dev: NetDevice, sip: number, tip: number): boolean {
    const mode = this.k.sysctl.get('net.ipv4.conf.all.arp_ignore');
    if (mode === 0) return false;
    const ind = this.k.inDev(dev);
    if (mode === 1) return !ind.isLocal(tip);
    const a = ind.addrs.find((x) => x.local === tip);
    return a === undefined || ((sip ^ tip) & a.mask) !== 0;
  }

  private done(skb: SkBuff, fate: number): void {
    this.k.machine.fates.recordSkb(skb, this.k.now, fate);
    skb.free();
  }

  solicit(n: Neighbour): void {
    const src = this.k.inDev(n.dev).subnetFor(n.ip)?.local ?? this.k.inDev(n.dev).primary;
    this.send(n.dev, ARPOP_REQUEST, src, 0, n.ip, BROADCAST_MAC);
  }

  output(n: Neighbour, skb: SkBuff): void {
    ethOutput(skb, n.dev, n.lladdr);
  }

  /**
   * `arp_error_report` → `ipv4_link_failure`: nobody answered for the next hop, so the
   * datagram's sender hears ICMP host unreachable (itself, through `lo`, for its own
   * datagram: ping prints it), within icmp_send's limits.
   */
  errorReport(_n: Neighbour, skb: SkBuff): void {
    this.k.icmp.send(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
    // A datagram this host forwarded: its fate was `forwarded`; it ends here instead
    // (kfree_skb_reason(…, SKB_DROP_REASON_NEIGH_FAILED) in neigh_invalidate).
    if (skb.fwdSeq >= 0)
      this.k.machine.fates.amend(skb.fwdSeq, skb.iif, FATE_FORWARDED, FATE_NEIGH_FAILED);
    skb.free();
  }

  /** A request for our own address: tells the segment where it lives now. */
  gratuitous(dev: NetDevice, ip: number): void {
    this.send(dev, ARPOP_REQUEST, ip, 0, ip, BROADCAST_MAC);
  }

  private send(
    dev: NetDevice,
    op: number,
    sip: number,
    thaKey: number,
    tip: number,
    dest: Uint8Array,
  ): void {
    const skb = this.k.allocSkb(ARP_LEN);
    ArpView.write(skb.buf, skb.put(ARP_LEN), op, macKey(dev.devAddr), sip, thaKey, tip);
    if (op === ARPOP_REQUEST) this.requestsSent++;
    else this.repliesSent++;
    ethOutput(skb, dev, dest, ETH_P_ARP);
  }
}
