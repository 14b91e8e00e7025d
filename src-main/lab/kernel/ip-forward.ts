import { FATE_FORWARDED, FATE_HDR_ERROR, FATE_NO_ROUTE } from '../netdev/fate';
import type { SkBuff } from '../skb/sk-buff';
import {
  ICMP_DEST_UNREACH,
  ICMP_EXC_TTL,
  ICMP_FRAG_NEEDED,
  ICMP_NET_UNREACH,
  ICMP_TIME_EXCEEDED,
} from '../wire/icmp';
import { IP_DF } from '../wire/ipv4';
import { ipFragment } from './ip-fragment';
import { ipFinishOutput } from './ip-output';
import type { Kernel } from './kernel';

/**
 * A datagram for another host reached a router (net/ipv4/ip_forward.c):
 * `ip_forward` and `ip_forward_finish`, for the route input routing found
 * (`k.fibRes.route`). `skb.data` is at its IPv4 header, trimmed to its
 * total length. Takes ownership.
 *
 * - TTL 1 or 0: it may go no further. Ip InHdrErrors (as Linux counts it),
 *   ICMP time exceeded (TTL exceeded in transit) back to the sender.
 * - Larger than the outgoing card's MTU: with DF, ICMP fragmentation needed
 *   (with the MTU), Ip FragFails, dropped; without, it goes out in fragments
 *   (`ip_fragment`, ip-fragment.ts: FragOKs, FragCreates).
 * - Otherwise the buffer is made the router's own (`skb_cow`: the wire's
 *   bytes are shared by every host that received the frame), its TTL
 *   decremented with the checksum updated in place (`ip_decrease_ttl`, RFC
 *   1624), a redirect sent if it leaves by the card it came in on towards a
 *   sender on that link, and it goes out towards the route's gateway, or the
 *   destination itself on a connected route, through ARP on the outgoing
 *   card: Ip ForwDatagrams and OutTransmits (not OutRequests, which counts
 *   only the host's own datagrams).
 */
export function ipForward(k: Kernel, skb: SkBuff): void {
  const mib = k.mib.ip;
  const fates = k.machine.fates;
  const route = k.fibRes.route!;
  const nh = skb.networkHeader;
  const b = skb.buf;
  if (b[nh + 8] <= 1) {
    mib.InHdrErrors++;
    k.icmp.send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
    fates.recordSkb(skb, k.now, FATE_HDR_ERROR);
    skb.free();
    return;
  }
  const out = route.dev;
  // Linux 6.18 counts it forwarded here, before the MTU check: a datagram refused as too big
  // (frag needed) is in ForwDatagrams too (measured: router-unreachable-fragments).
  mib.ForwDatagrams++;
  const tooBig = skb.len > out.mtu;
  if (tooBig && ((b[nh + 6] << 8) | b[nh + 7]) & IP_DF) {
    mib.FragFails++;
    k.icmp.send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, out.mtu & 0xffff);
    fates.recordSkb(skb, k.now, FATE_HDR_ERROR);
    skb.free();
    return;
  }
  const dst = ((b[nh + 16] << 24) | (b[nh + 17] << 16) | (b[nh + 18] << 8) | b[nh + 19]) >>> 0;
  const src = ((b[nh + 12] << 24) | (b[nh + 13] << 16) | (b[nh + 14] << 8) | b[nh + 15]) >>> 0;
  const nexthop = route.gateway || dst;
  if (k.fibRes.redirect) k.icmp.sendRedirect(skb, src, nexthop);
  fates.recordSkb(skb, k.now, FATE_FORWARDED);
  skb.unshare();
  ipDecreaseTtl(skb.buf, nh);
  k.forwarded.note(skb, out, nexthop);
  // It leaves as a new frame: its wire number is the next segment's to give. The old one
  // stays for its fate, should the next hop's ARP fail.
  skb.fwdSeq = skb.wireSeq;
  skb.wireSeq = 0;
  if (tooBig) ipFragment(k, skb, out.mtu, (f) => ipFinishOutput(k, f, out, nexthop, false));
  else ipFinishOutput(k, skb, out, nexthop, false);
}

/**
 * `ip_decrease_ttl`: one less TTL, and the checksum patched rather than
 * recomputed (RFC 1624: the TTL is the high byte of its 16-bit word, so the
 * sum grows by 0x0100, with the end-around carry).
 */
export function ipDecreaseTtl(b: Uint8Array, nh: number): void {
  let check = ((b[nh + 10] << 8) | b[nh + 11]) + 0x0100;
  if (check >= 0xffff) check = (check + 1) & 0xffff; // check + (check >= 0xFFFF), in 16 bits
  b[nh + 10] = check >> 8;
  b[nh + 11] = check & 0xff;
  b[nh + 8]--;
}

/**
 * `ip_error` for a router without a route (ENETUNREACH): IpExt InNoRoutes
 * (not in /proc/net/snmp: the lab keeps it as `Kernel.inNoRoutes`) and ICMP
 * net unreachable back, at most one a second per destination (the
 * `inet_peer_xrlim_allow(peer, 1 * HZ)` of ip_error, before icmp_send's own limits).
 */
export function ipErrorNoRoute(k: Kernel, skb: SkBuff, dst: number): void {
  k.inNoRoutes++;
  if (k.noRouteLimit.allow(dst, k.now)) k.icmp.send(skb, ICMP_DEST_UNREACH, ICMP_NET_UNREACH, 0);
  k.machine.fates.recordSkb(skb, k.now, FATE_NO_ROUTE);
  skb.free();
}
