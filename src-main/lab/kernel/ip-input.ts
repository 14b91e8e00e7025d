import {
  FATE_HDR_ERROR,
  FATE_MARTIAN,
  FATE_NO_PROTOCOL,
  FATE_NOT_FOR_HOST,
  FATE_NOT_JOINED,
} from '../netdev/fate';
import { ENETUNREACH } from '../netdev/errno';
import type { NetDevice } from '../netdev/net-device';
import { PACKET_LOOPBACK, PACKET_OTHERHOST, type SkBuff } from '../skb/sk-buff';
import { Ipv4Summary } from '../wire/header-summary';
import { INADDR_ALLHOSTS_GROUP, isMulticastIp } from '../wire/ipv4-addr';
import { IPPROTO_ICMP, IPPROTO_IGMP, IPPROTO_UDP } from '../wire/ipv4';
import type { Kernel } from './kernel';
import { ipErrorNoRoute, ipForward } from './ip-forward';
import {
  ipMcValidateSource,
  ipRouteInput,
  RTN_BROADCAST,
  RTN_LOCAL,
  RTN_UNICAST,
  RTN_UNREACHABLE,
} from './route-input';

/** The summary of a buffer whose bytes are its own (not a wire frame's): parsed each time. */
const ownHeader = new Ipv4Summary();

/**
 * The header `skb.data` is at, read as `ip_rcv_core` does. A wire frame's
 * bytes cannot change, so when another host already read the same frame its
 * summary is taken (a bad header is refused here all the same).
 */
function ipHeader(skb: SkBuff): Ipv4Summary {
  const lender = skb.shared.lender;
  if (lender === null) return ownHeader.parse(skb.buf, skb.data, skb.len);
  const h = lender.verdicts.ipv4;
  return h.isOf(skb.data, skb.len) ? h : h.parse(skb.buf, skb.data, skb.len);
}

/**
 * `ip_rcv`, input routing and `ip_local_deliver`: checks the header, decides
 * whether the datagram is for this host (one of its addresses, a broadcast, or
 * a group joined on the receiving interface) and whether its addresses are
 * possible at all (martians are dropped before any protocol sees them), strips
 * the header and hands the payload to ICMP, IGMP or UDP. Each drop is counted
 * where Linux counts it.
 */
export function ipRcv(k: Kernel, skb: SkBuff, dev: NetDevice): void {
  const mib = k.mib.ip;
  const fates = k.machine.fates;
  // Frames another host's MAC let in by PROMISC are not IP's business.
  if (skb.pktType === PACKET_OTHERHOST) {
    fates.recordSkb(skb, k.now, FATE_NOT_FOR_HOST);
    // The host paid for it all the same: a promiscuous card's cost is exactly this.
    k.machine.cpu.wastedNs += k.machine.cpu.perFrame;
    skb.free();
    return;
  }
  mib.InReceives++;
  const ipExt = k.ipExt;
  const rxLen = skb.len;
  const ip = ipHeader(skb);
  if (!ip.ok) {
    ipExt.c.InOctets += rxLen;
    mib.InHdrErrors++;
    fates.recordSkb(skb, k.now, FATE_HDR_ERROR);
    skb.free();
    return;
  }
  ipExt.received(rxLen, skb.buf[skb.data + 1]);
  // Ethernet pads short frames: the IP total length says where the datagram ends.
  skb.trim(ip.totalLength);
  skb.networkHeader = skb.data;
  // Read before anything below can receive another datagram (and reuse `ownHeader`).
  const dst = ip.dst;
  const src = ip.src;
  const protocol = ip.protocol;
  let headerLength = ip.headerLength;
  const fragment = ip.fragment;
  // ip_rcv_finish_core: the input route, which says where the datagram goes (RTCF_BROADCAST,
  // RTCF_MULTICAST: `toGroup`) and refuses martians, comes before reassembly and delivery.
  let toGroup = true;
  if (isMulticastIp(dst)) {
    // A looped-back copy keeps its output route (`skb_dst_force`): no input routing, no
    // source check (its source is this host's own address).
    const looped = skb.pktType === PACKET_LOOPBACK;
    const ind = k.inDev(dev);
    if (
      !looped &&
      ind.mcInGroup === (dst | 0) &&
      ind.mcInSrc === (src | 0) &&
      ind.mcInProtocol === protocol &&
      ind.mcInListGen === ind.mcListGen &&
      ind.mcInLocalGen === k.local.genid
    ) {
      // What the last datagram of the flow found still holds: only its count is taken again.
      k.rtStat.inSlowMc++;
    } else {
      if (
        dst !== INADDR_ALLHOSTS_GROUP &&
        (!ind.mayHaveJoined(dst) || ind.findGroup(dst) === undefined)
      ) {
        // The NIC let it in (a hash bin shared with a joined group, ALLMULTI,
        // PROMISC) but nobody here joined it: the kernel pays and drops.
        fates.recordSkb(skb, k.now, FATE_NOT_JOINED);
        k.machine.cpu.wastedNs += k.machine.cpu.perFrame;
        skb.free();
        return;
      }
      if (!looped) {
        if (!ipMcValidateSource(k, dst, src, protocol)) {
          fates.recordSkb(skb, k.now, FATE_MARTIAN);
          skb.free();
          return;
        }
        ind.mcInGroup = dst | 0;
        ind.mcInSrc = src | 0;
        ind.mcInProtocol = protocol;
        ind.mcInListGen = ind.mcListGen;
        ind.mcInLocalGen = k.local.genid;
      }
    }
    ipExt.c.InMcastPkts++;
    ipExt.c.InMcastOctets += skb.len;
  } else {
    // What came back through `lo` keeps the output route it left with (`skb_dst_force`): ours.
    const type =
      dev.type === 'loopback'
        ? k.inDev(dev).isBroadcast(dst)
          ? RTN_BROADCAST
          : RTN_LOCAL
        : ipRouteInput(k, dst, src, dev);
    if (type < 0) {
      // A martian: Linux drops it in ip_rcv_finish_core with no Ip counter (rt_cache has it).
      fates.recordSkb(skb, k.now, FATE_MARTIAN);
      skb.free();
      return;
    }
    if (type === RTN_UNICAST) {
      ipForward(k, skb);
      return;
    }
    if (type === RTN_UNREACHABLE && k.fibRes.error === -ENETUNREACH) {
      ipErrorNoRoute(k, skb, dst);
      return;
    }
    if (type === RTN_UNREACHABLE) {
      // Not a router: unicast for someone else has nowhere to go (ip_error: EHOSTUNREACH).
      mib.InAddrErrors++;
      fates.recordSkb(skb, k.now, FATE_NOT_FOR_HOST);
      k.machine.cpu.wastedNs += k.machine.cpu.perFrame;
      skb.free();
      return;
    }
    toGroup = type === RTN_BROADCAST;
    if (toGroup) {
      ipExt.c.InBcastPkts++;
      ipExt.c.InBcastOctets += skb.len;
    }
  }
  if (fragment) {
    // ip_local_deliver's ip_defrag: the fragment waits for the rest of its datagram (its fate
    // recorded there); the one completing it goes on up as the whole datagram.
    const whole = k.defrag.defrag(skb);
    if (whole === null) return;
    skb = whole;
    headerLength = (skb.buf[skb.data] & 0x0f) * 4;
  }
  skb.pull(headerLength);
  skb.transportHeader = skb.data;
  switch (protocol) {
    case IPPROTO_UDP:
      mib.InDelivers++;
      k.udp.rcv(skb, dev, src, dst, toGroup);
      return;
    case IPPROTO_ICMP:
      mib.InDelivers++;
      k.icmp.rcv(skb, dev, src, dst, toGroup);
      return;
    case IPPROTO_IGMP:
      mib.InDelivers++;
      k.igmp.rcv(skb, dev);
      return;
  }
  mib.InUnknownProtos++;
  fates.recordSkb(skb, k.now, FATE_NO_PROTOCOL);
  skb.free();
}
