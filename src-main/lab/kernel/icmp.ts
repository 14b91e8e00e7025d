import { FATE_CONSUMED, FATE_DELIVERED, FATE_HDR_ERROR } from '../netdev/fate';
import type { NetDevice } from '../netdev/net-device';
import { PACKET_HOST, type SkBuff } from '../skb/sk-buff';
import { copyBytes, EMPTY_BYTES } from '../wire/bytes';
import { IPPROTO_ICMP } from '../wire/ipv4';
import {
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  ICMP_HLEN,
  ICMP_TIME_EXCEEDED,
  ICMP_PARAMETERPROB,
  IcmpView,
} from '../wire/icmp';
import { IcmpRateLimit } from './icmp-ratelimit';
import { ipOutput } from './ip-output';
import type { Kernel } from './kernel';
import type { IcmpField } from './snmp';

/** `__icmp_send`: an error carries at most 576 bytes, its own IP and ICMP headers included. */
const ICMP_QUOTE_ROOM = 576 - 20 - 8;

/** Types <linux/icmp.h> names that wire/icmp.ts does not (the lab only counts them). */
const ICMP_SOURCE_QUENCH = 4;
const ICMP_REDIRECT = 5;
const ICMP_TIMESTAMP = 13;
const ICMP_TIMESTAMPREPLY = 14;
const ICMP_ADDRESS = 17;
const ICMP_ADDRESSREPLY = 18;

/** Linux's In counters by ICMP type (the IcmpMsg InTypeN it derives them from). */
const IN_FIELDS: (IcmpField | undefined)[] = [];
IN_FIELDS[ICMP_ECHOREPLY] = 'InEchoReps';
IN_FIELDS[ICMP_DEST_UNREACH] = 'InDestUnreachs';
IN_FIELDS[ICMP_SOURCE_QUENCH] = 'InSrcQuenchs';
IN_FIELDS[ICMP_REDIRECT] = 'InRedirects';
IN_FIELDS[ICMP_ECHO] = 'InEchos';
IN_FIELDS[ICMP_TIME_EXCEEDED] = 'InTimeExcds';
IN_FIELDS[ICMP_PARAMETERPROB] = 'InParmProbs';
IN_FIELDS[ICMP_TIMESTAMP] = 'InTimestamps';
IN_FIELDS[ICMP_TIMESTAMPREPLY] = 'InTimestampReps';
IN_FIELDS[ICMP_ADDRESS] = 'InAddrMasks';
IN_FIELDS[ICMP_ADDRESSREPLY] = 'InAddrMaskReps';

/** A ping in flight or answered, as the `ping` command reports it. */
export interface EchoReply {
  seq: number;
  from: number;
  ttl: number;
  bytes: number;
  rtt: number;
}

/** The kernel side of one `ping` run (a ping socket): its id and what came back. */
export class PingSocket {
  readonly sentAt = new Map<number, number>();
  readonly replies: EchoReply[] = [];
  onReply: ((r: EchoReply) => void) | null = null;
  constructor(readonly id: number) {}
}

/**
 * ICMP (net/ipv4/icmp.c): answers echo requests, passes echo replies to ping
 * sockets, reports unreachable ports, and counts every message in the Icmp MIB.
 */
export class Icmp {
  /**
   * Well-formed messages icmp_rcv refused because they came to a broadcast or
   * a group (counted in Icmp InErrors, as Linux does, though nothing in them
   * was wrong): echo requests while icmp_echo_ignore_broadcasts is set, and
   * every type but echo, timestamp and address mask requests and replies.
   */
  toGroupErrors = 0;
  private readonly view = new IcmpView(EMPTY_BYTES);
  private readonly pings = new Map<number, PingSocket>();
  private nextPingId = 1;

  private readonly rateLimit: IcmpRateLimit;

  constructor(private readonly k: Kernel) {
    this.rateLimit = new IcmpRateLimit(k.sysctl, k.machine.rng);
  }

  openPing(): PingSocket {
    const sock = new PingSocket(this.nextPingId++ & 0xffff);
    this.pings.set(sock.id, sock);
    return sock;
  }

  closePing(sock: PingSocket): void {
    this.pings.delete(sock.id);
  }

  /** Sends echo request `seq` with `size` data bytes. Returns 0 or a negative errno. */
  sendEcho(sock: PingSocket, dst: number, seq: number, size: number): number {
    const k = this.k;
    const route = k.routes.lookup(dst, null);
    if (typeof route === 'number') return route;
    const skb = k.allocSkb(ICMP_HLEN + size);
    const at = skb.put(ICMP_HLEN + size);
    for (let i = 0; i < size; i++) skb.buf[at + ICMP_HLEN + i] = (0x10 + i) & 0xff;
    IcmpView.writeEcho(skb.buf, at, ICMP_ECHO, sock.id, seq);
    this.view.at(skb.buf, at, ICMP_HLEN + size).fillChecksum();
    sock.sentAt.set(seq, k.now);
    k.mib.icmp.OutMsgs++;
    k.mib.icmp.OutEchos++;
    const src = route.prefSrc || k.inDev(route.dev).primary;
    return ipOutput(
      k,
      skb,
      route.dev,
      src,
      dst,
      IPPROTO_ICMP,
      k.sysctl.get('net.ipv4.ip_default_ttl'),
    );
  }

  /**
   * `icmp_rcv`: `skb.data` is at the ICMP header. `toGroup` is the input
   * route's RTCF_BROADCAST or RTCF_MULTICAST. Takes ownership.
   */
  rcv(skb: SkBuff, dev: NetDevice, src: number, dst: number, toGroup: boolean): void {
    const k = this.k;
    const mib = k.mib.icmp;
    mib.InMsgs++;
    const icmp = this.view.at(skb.buf, skb.data, skb.len);
    if (icmp.check(skb.len) !== '' || !icmp.verifyChecksum(skb.len)) {
      if (skb.len >= ICMP_HLEN) mib.InCsumErrors++;
      mib.InErrors++;
      k.machine.fates.recordSkb(skb, k.now, FATE_HDR_ERROR);
      skb.free();
      return;
    }
    const type = icmp.type;
    // ICMPMSGIN_INC_STATS: the type is counted before anything is decided about it.
    const field = IN_FIELDS[type];
    if (field) mib[field]++;
    let socketId = -1;
    if (toGroup && !this.takesToGroup(type)) {
      mib.InErrors++;
      this.toGroupErrors++;
    } else if (type === ICMP_ECHO) {
      this.answerEcho(skb, dev, src, dst, toGroup);
    } else if (type === ICMP_ECHOREPLY) {
      const sock = this.pings.get(icmp.echoId);
      if (sock) {
        socketId = sock.id;
        this.deliverReply(sock, skb, src);
      }
    }
    k.machine.fates.recordSkb(skb, k.now, socketId >= 0 ? FATE_DELIVERED : FATE_CONSUMED, socketId);
    skb.free();
  }

  /**
   * icmp_rcv's test for a message to a broadcast or a group (RFC 1122
   * §3.2.2.6, §3.2.2.8): echo and timestamp requests only when
   * icmp_echo_ignore_broadcasts is off, address mask requests and replies, and
   * nothing else.
   */
  private takesToGroup(type: number): boolean {
    if (type === ICMP_ECHO || type === ICMP_TIMESTAMP) {
      return !this.k.sysctl.get('net.ipv4.icmp_echo_ignore_broadcasts');
    }
    return type === ICMP_ADDRESS || type === ICMP_ADDRESSREPLY;
  }

  /**
   * `icmp_send(ICMP_DEST_UNREACH)` about the datagram in `skb` (whose network
   * header is still in the buffer): quotes as much of it as fits in 576 bytes (`__icmp_send`'s
   * room: 576 less the new IP and ICMP headers), not only RFC 792's header and 8 bytes.
   * As `__icmp_send`, never about a frame sent to a link-layer broadcast or
   * multicast address, nor about a datagram to a broadcast or a group (its
   * caller only asks about unicast); and only when there is a route back to
   * the sender (icmp_route_lookup), which a host without a gateway has only for
   * its own subnets. Martian senders never get here: input routing dropped them.
   */
  sendDestUnreach(about: SkBuff, src: number, dst: number, code: number): void {
    const k = this.k;
    if (about.pktType !== PACKET_HOST) return;
    const route = k.routes.lookup(src, null);
    if (typeof route === 'number') return;
    const verdict = this.rateLimit.allow(ICMP_DEST_UNREACH, src, k.now);
    if (verdict !== 'ok') {
      if (verdict === 'global') k.mib.icmp.OutRateLimitGlobal++;
      else k.mib.icmp.OutRateLimitHost++;
      return;
    }
    const nh = about.networkHeader;
    const quote = Math.min(ICMP_QUOTE_ROOM, about.tail - nh);
    const skb = k.allocSkb(ICMP_HLEN + quote);
    const at = skb.put(ICMP_HLEN + quote);
    IcmpView.write(skb.buf, at, ICMP_DEST_UNREACH, code, 0);
    copyBytes(skb.buf, at + ICMP_HLEN, about.buf, nh, quote);
    this.view.at(skb.buf, at, ICMP_HLEN + quote).fillChecksum();
    k.mib.icmp.OutMsgs++;
    k.mib.icmp.OutDestUnreachs++;
    ipOutput(k, skb, route.dev, dst, src, IPPROTO_ICMP, k.sysctl.get('net.ipv4.ip_default_ttl'));
  }

  /**
   * `icmp_echo` → `icmp_reply`: the reply goes back from the address asked
   * (from the interface's own when the request went to a broadcast or a
   * group), if a route to the asker exists. A request from 0.0.0.0 (to
   * 255.255.255.255, the only way one gets here) is not answered: Linux routes
   * a reply to 0.0.0.0 to itself, so nothing would leave the host.
   */
  private answerEcho(
    req: SkBuff,
    dev: NetDevice,
    src: number,
    dst: number,
    toGroup: boolean,
  ): void {
    const k = this.k;
    if (k.sysctl.get('net.ipv4.icmp_echo_ignore_all')) return;
    if (src === 0) return;
    const route = k.routes.lookup(src, null);
    if (typeof route === 'number') return;
    const len = req.len;
    const skb = k.allocSkb(len);
    const at = skb.put(len);
    copyBytes(skb.buf, at, req.buf, req.data, len);
    skb.buf[at] = ICMP_ECHOREPLY;
    this.view.at(skb.buf, at, len).fillChecksum();
    k.mib.icmp.OutMsgs++;
    k.mib.icmp.OutEchoReps++;
    const from = toGroup ? k.inDev(dev).primary : dst;
    ipOutput(k, skb, route.dev, from, src, IPPROTO_ICMP, k.sysctl.get('net.ipv4.ip_default_ttl'));
  }

  private deliverReply(sock: PingSocket, skb: SkBuff, src: number): void {
    const seq = this.view.echoSequence;
    const sent = sock.sentAt.get(seq);
    if (sent === undefined) return;
    sock.sentAt.delete(seq);
    const ttl = skb.buf[skb.networkHeader + 8];
    const reply: EchoReply = { seq, from: src, ttl, bytes: skb.len, rtt: this.k.now - sent };
    sock.replies.push(reply);
    sock.onReply?.(reply);
  }
}
