import { FATE_CONSUMED, FATE_DELIVERED, FATE_HDR_ERROR } from '../netdev/fate';
import type { NetDevice } from '../netdev/net-device';
import type { SkBuff } from '../skb/sk-buff';
import { copyBytes, EMPTY_BYTES } from '../wire/bytes';
import { isMulticastIp } from '../wire/ipv4-addr';
import { IPPROTO_ICMP } from '../wire/ipv4';
import {
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  ICMP_HLEN,
  ICMP_TIME_EXCEEDED,
  IcmpView,
} from '../wire/icmp';
import { ipOutput } from './ip-output';
import type { Kernel } from './kernel';

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
  private readonly view = new IcmpView(EMPTY_BYTES);
  private readonly pings = new Map<number, PingSocket>();
  private nextPingId = 1;

  constructor(private readonly k: Kernel) {}

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

  /** `icmp_rcv`: `skb.data` is at the ICMP header. Takes ownership. */
  rcv(skb: SkBuff, dev: NetDevice, src: number, dst: number): void {
    const k = this.k;
    const mib = k.mib.icmp;
    mib.InMsgs++;
    const icmp = this.view.at(skb.buf, skb.data, skb.len);
    if (icmp.check(skb.len) !== '' || !icmp.verifyChecksum(skb.len)) {
      if (skb.len >= ICMP_HLEN) mib.InCsumErrors++;
      mib.InErrors++;
      k.machine.fates.record(skb.wireSeq, k.now, FATE_HDR_ERROR);
      skb.free();
      return;
    }
    let socketId = -1;
    switch (icmp.type) {
      case ICMP_ECHO:
        mib.InEchos++;
        this.answerEcho(skb, dev, src, dst);
        break;
      case ICMP_ECHOREPLY: {
        mib.InEchoReps++;
        const sock = this.pings.get(icmp.echoId);
        if (sock) {
          socketId = sock.id;
          this.deliverReply(sock, skb, src);
        }
        break;
      }
      case ICMP_DEST_UNREACH:
        mib.InDestUnreachs++;
        break;
      case ICMP_TIME_EXCEEDED:
        mib.InTimeExcds++;
        break;
    }
    k.machine.fates.record(
      skb.wireSeq,
      k.now,
      socketId >= 0 ? FATE_DELIVERED : FATE_CONSUMED,
      socketId,
    );
    skb.free();
  }

  /**
   * `icmp_send(ICMP_DEST_UNREACH)` about the datagram in `skb` (whose network
   * header is still in the buffer): quotes its IP header and first 8 bytes.
   * Never about a broadcast or multicast datagram.
   */
  sendDestUnreach(about: SkBuff, dev: NetDevice, src: number, dst: number, code: number): void {
    const k = this.k;
    if (isMulticastIp(dst) || k.inDev(dev).isBroadcast(dst)) return;
    const nh = about.networkHeader;
    const ihl = (about.buf[nh] & 0x0f) * 4;
    const quote = Math.min(ihl + 8, about.tail - nh);
    const skb = k.allocSkb(ICMP_HLEN + quote);
    const at = skb.put(ICMP_HLEN + quote);
    IcmpView.write(skb.buf, at, ICMP_DEST_UNREACH, code, 0);
    copyBytes(skb.buf, at + ICMP_HLEN, about.buf, nh, quote);
    this.view.at(skb.buf, at, ICMP_HLEN + quote).fillChecksum();
    k.mib.icmp.OutMsgs++;
    k.mib.icmp.OutDestUnreachs++;
    ipOutput(k, skb, dev, dst, src, IPPROTO_ICMP, k.sysctl.get('net.ipv4.ip_default_ttl'));
  }

  private answerEcho(req: SkBuff, dev: NetDevice, src: number, dst: number): void {
    const k = this.k;
    if (k.sysctl.get('net.ipv4.icmp_echo_ignore_all')) return;
    const toGroup = isMulticastIp(dst) || k.inDev(dev).isBroadcast(dst);
    if (toGroup && k.sysctl.get('net.ipv4.icmp_echo_ignore_broadcasts')) return;
    const len = req.len;
    const skb = k.allocSkb(len);
    const at = skb.put(len);
    copyBytes(skb.buf, at, req.buf, req.data, len);
    skb.buf[at] = ICMP_ECHOREPLY;
    this.view.at(skb.buf, at, len).fillChecksum();
    k.mib.icmp.OutMsgs++;
    k.mib.icmp.OutEchoReps++;
    const from = toGroup ? k.inDev(dev).primary : dst;
    ipOutput(k, skb, dev, from, src, IPPROTO_ICMP, k.sysctl.get('net.ipv4.ip_default_ttl'));
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
