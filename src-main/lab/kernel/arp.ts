import { FATE_CONSUMED, FATE_HDR_ERROR } from '../netdev/fate';
import { IFF_NOARP } from '../netdev/flags';
import type { NetDevice } from '../netdev/net-device';
import type { SkBuff } from '../skb/sk-buff';
import { ARP_LEN, ARP_SHA, ARPOP_REPLY, ARPOP_REQUEST, ArpView } from '../wire/arp';
import { EMPTY_BYTES } from '../wire/bytes';
import { ETH_P_ARP } from '../wire/ethernet';
import { macKey } from '../wire/mac';
import { ethOutput } from './ip-output';
import type { Kernel } from './kernel';
import type { NeighOps, Neighbour } from './neigh';

const BROADCAST_MAC = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

/**
 * ARP (net/ipv4/arp.c): answers requests for this host's addresses, learns
 * from what it hears, asks on behalf of the neighbour table, and announces an
 * address with a gratuitous request when it is added or its link comes up.
 */
export class Arp implements NeighOps {
  requestsSent = 0;
  repliesSent = 0;
  private readonly view = new ArpView(EMPTY_BYTES);

  constructor(private readonly k: Kernel) {}

  rcv(skb: SkBuff, dev: NetDevice): void {
    const k = this.k;
    const arp = this.view.at(skb.buf, skb.data, skb.len);
    if (arp.check() !== '' || dev.flags & IFF_NOARP) {
      k.machine.fates.record(skb.wireSeq, k.now, FATE_HDR_ERROR);
      skb.free();
      return;
    }
    const sip = arp.spa;
    const tip = arp.tpa;
    const sha = skb.buf.slice(skb.data + ARP_SHA, skb.data + ARP_SHA + 6);
    const forUs = k.inDev(dev).isLocal(tip);
    if (arp.oper === ARPOP_REQUEST && forUs && sip !== 0) {
      // The asker will talk to us: remember it (STALE), and answer.
      k.neigh.update(sip, dev, sha, false, true);
      this.send(dev, ARPOP_REPLY, tip, macKey(sha), sip, sha);
    } else if (sip !== 0) {
      // A reply to us confirms; anything else only refreshes what we already know.
      k.neigh.update(sip, dev, sha, arp.oper === ARPOP_REPLY && forUs, false);
    }
    k.machine.fates.record(skb.wireSeq, k.now, FATE_CONSUMED);
    skb.free();
  }

  solicit(n: Neighbour): void {
    const src = this.k.inDev(n.dev).subnetFor(n.ip)?.local ?? this.k.inDev(n.dev).primary;
    this.send(n.dev, ARPOP_REQUEST, src, 0, n.ip, BROADCAST_MAC);
  }

  output(n: Neighbour, skb: SkBuff): void {
    ethOutput(skb, n.dev, n.lladdr);
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
