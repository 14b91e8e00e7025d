import { FATE_CONSUMED, FATE_DELIVERED, FATE_HDR_ERROR } from '../netdev/fate';
import type { NetDevice } from '../netdev/net-device';
import { PACKET_HOST, type SkBuff } from '../skb/sk-buff';
import { copyBytes, EMPTY_BYTES } from '../wire/bytes';
import { IP_OFFSET, IPPROTO_ICMP } from '../wire/ipv4';
import { INADDR_BROADCAST, isMulticastIp } from '../wire/ipv4-addr';
import {
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  ICMP_FRAG_NEEDED,
  ICMP_HLEN,
  ICMP_TIME_EXCEEDED,
  ICMP_PARAMETERPROB,
  IcmpView,
} from '../wire/icmp';
import { IcmpRateLimit, RedirectLimit } from './icmp-ratelimit';
import { ICMP_REPLY_OPTS, ipOutput, type IpOutOpts } from './ip-output';
import type { Kernel } from './kernel';
import type { IcmpField } from './snmp';

/** Types <linux/icmp.h> names that wire/icmp.ts does not (the lab only counts them). */
const ICMP_SOURCE_QUENCH = 4;
export const ICMP_REDIRECT = 5;
/** Redirect for the host (the code Linux's routers send). */
const ICMP_REDIR_HOST = 1;
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

/** Out counters by type, as IN_FIELDS. */
const OUT_FIELDS: (IcmpField | undefined)[] = IN_FIELDS.map(
  (f) => f && (`Out${f.slice(2)}` as IcmpField),
);

/** `icmp_is_err`: types that report an error (never answered with another). */
function isIcmpError(type: number): boolean {
  return (
    type === ICMP_DEST_UNREACH ||
    type === ICMP_SOURCE_QUENCH ||
    type === ICMP_REDIRECT ||
    type === ICMP_TIME_EXCEEDED ||
    type === ICMP_PARAMETERPROB
  );
}

/** A ping in flight or answered, as the `ping` command reports it. */
export interface EchoReply {
  seq: number;
  from: number;
  ttl: number;
  bytes: number;
  rtt: number;
}

/** An ICMP error about an echo request (`sock_extended_err` with its offender). */
export interface PingError {
  seq: number;
  /** Who sent the error (SO_EE_OFFENDER): a router, or the destination. */
  from: number;
  type: number;
  code: number;
  /** The message's 32-bit rest of header: a redirect's gateway, a frag needed's MTU. */
  info: number;
}

/** The kernel side of one `ping` run (a ping socket): its id and what came back. */
export class PingSocket {
  readonly sentAt = new Map<number, number>();
  readonly replies: EchoReply[] = [];
  readonly errors: PingError[] = [];
  onReply: ((r: EchoReply) => void) | null = null;
  /** An ICMP error about one of this socket's requests (IP_RECVERR, which iputils sets). */
  onError: ((e: PingError) => void) | null = null;
  /** IP_TTL (`ping -t`): 0 for net.ipv4.ip_default_ttl. */
  ttl = 0;
  /**
   * IP_MTU_DISCOVER (`ping -M`): `want` (the default) sets DF on a request that fits and
   * fragments a larger one; `do` (and `probe`) sets DF and refuses a larger one (EMSGSIZE);
   * `dont` sets no DF and fragments.
   */
  pmtudisc: 'want' | 'do' | 'dont' = 'want';
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
  private readonly redirects = new RedirectLimit();

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
    if (typeof route === 'number') {
      k.mib.ip.OutNoRoutes++; // ping_v4_sendmsg, as ip4_datagram_connect for ping's connect
      return route;
    }
    const skb = k.allocSkb(ICMP_HLEN + size);
    const at = skb.put(ICMP_HLEN + size);
    for (let i = 0; i < size; i++) skb.buf[at + ICMP_HLEN + i] = (0x10 + i) & 0xff;
    IcmpView.writeEcho(skb.buf, at, ICMP_ECHO, sock.id, seq);
    this.view.at(skb.buf, at, ICMP_HLEN + size).fillChecksum();
    sock.sentAt.set(seq, k.now);
    const src = route.prefSrc || k.inDev(route.dev).primary;
    // Counted unless `ip_append_data` refuses it (EMSGSIZE: too big with DF, Linux counts
    // nothing then); before the send, which may loop a reply back at once.
    const mtu = k.routes.pathMtu(dst, route);
    const fits = ICMP_HLEN + size + 20 <= mtu || sock.pmtudisc !== 'do';
    if (fits) {
      k.mib.icmp.OutMsgs++;
      k.mib.icmp.OutEchos++;
    }
    const ttl = sock.ttl || k.sysctl.get('net.ipv4.ip_default_ttl');
    const opts: IpOutOpts = {
      df: sock.pmtudisc !== 'dont',
      mayFragment: sock.pmtudisc === 'want',
      mtu,
    };
    if (route.gateway) opts.nexthop = route.gateway;
    return ipOutput(k, skb, route.dev, src, dst, IPPROTO_ICMP, ttl, false, false, opts);
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
    } else if (isIcmpError(type)) {
      socketId = this.deliverError(skb, src, type, icmp.code, dev);
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
   * `__icmp_send`: an error of `type`/`code` about the datagram in `about`
   * (whose network header is still in the buffer), with `info` in the rest of
   * the header (a redirect's gateway, a frag needed's MTU). As Linux: never
   * about a frame sent to a link-layer broadcast or multicast address, nor
   * about a datagram to a group, a fragment past the first, or an ICMP error;
   * only when there is a route back to the sender (icmp_route_lookup), and
   * within the rate limits (icmp-ratelimit.ts). The message quotes as much of
   * the datagram as fits in 576 bytes, goes out with TOS 0xc0 and no DF, and
   * comes from the address the datagram was sent to when that is this
   * host's, else from the address of the card facing the sender.
   */
  send(about: SkBuff, type: number, code: number, info: number): void {
    const k = this.k;
    if (about.pktType !== PACKET_HOST) return;
    const nh = about.networkHeader;
    const b = about.buf;
    const ihl = (b[nh] & 0x0f) * 4;
    const src = ((b[nh + 12] << 24) | (b[nh + 13] << 16) | (b[nh + 14] << 8) | b[nh + 15]) >>> 0;
    const dst = ((b[nh + 16] << 24) | (b[nh + 17] << 16) | (b[nh + 18] << 8) | b[nh + 19]) >>> 0;
    if (isMulticastIp(dst) || ((b[nh + 6] << 8) | b[nh + 7]) & IP_OFFSET) return;
    if (b[nh + 9] === IPPROTO_ICMP && isIcmpError(b[nh + ihl])) return;
    const route = k.routes.lookup(src, null);
    if (typeof route === 'number') return;
    const verdict = this.rateLimit.allow(type, src, k.now);
    if (verdict !== 'ok') {
      if (verdict === 'global') k.mib.icmp.OutRateLimitGlobal++;
      else k.mib.icmp.OutRateLimitHost++;
      return;
    }
    // room: 576 bytes (or the route's MTU if smaller) less the IP and ICMP headers.
    const room = Math.min(route.dev.mtu, 576) - 20 - ICMP_HLEN;
    const quote = Math.min(about.tail - nh, room);
    const skb = k.allocSkb(ICMP_HLEN + quote);
    const at = skb.put(ICMP_HLEN + quote);
    IcmpView.write(skb.buf, at, type, code, info);
    copyBytes(skb.buf, at + ICMP_HLEN, b, nh, quote);
    this.view.at(skb.buf, at, ICMP_HLEN + quote).fillChecksum();
    k.mib.icmp.OutMsgs++;
    const field = OUT_FIELDS[type];
    if (field) k.mib.icmp[field]++;
    const from = k.isLocalAddr(dst)
      ? dst
      : route.prefSrc ||
        (k.inDev(route.dev).subnetFor(src) ?? k.inDev(route.dev).addrs[0])?.local ||
        0;
    const ttl = k.sysctl.get('net.ipv4.ip_default_ttl');
    const opts: IpOutOpts = { tos: 0xc0, df: false, nexthop: route.gateway || src };
    ipOutput(k, skb, route.dev, from, src, IPPROTO_ICMP, ttl, false, false, opts);
  }

  /**
   * `ip_rt_send_redirect`: a host redirect to the sender of `about`, naming
   * `gateway`, rate limited per sender as Linux does (the first at once, then
   * after 20 ms << n, at most 9, all forgotten after 20.48 s of quiet).
   */
  sendRedirect(about: SkBuff, src: number, gateway: number): void {
    if (this.redirects.allow(src, this.k.now))
      this.send(about, ICMP_REDIRECT, ICMP_REDIR_HOST, gateway);
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
    const ttl = k.sysctl.get('net.ipv4.ip_default_ttl');
    const opts = route.gateway ? { df: false, nexthop: route.gateway } : ICMP_REPLY_OPTS;
    ipOutput(k, skb, route.dev, from, src, IPPROTO_ICMP, ttl, false, false, opts);
  }

  /**
   * `icmp_unreach` → `ping_err`: an error quoting one of our echo requests
   * goes to its ping socket's error queue (IP_RECVERR). Returns the socket's
   * id, or -1 when the quote is not of a request of ours. A redirect goes there
   * too (ping prints it) and, through the socket (`ping_err` → `ipv4_sk_redirect`), may
   * change the route to the quoted destination (`__ip_do_redirect`).
   */
  private deliverError(
    skb: SkBuff,
    from: number,
    type: number,
    code: number,
    dev: NetDevice,
  ): number {
    const b = skb.buf;
    const at = skb.data + ICMP_HLEN;
    if (skb.len < ICMP_HLEN + 20 + 8) return -1;
    const ihl = (b[at] & 0x0f) * 4;
    if (b[at + 9] !== IPPROTO_ICMP || skb.len < ICMP_HLEN + ihl + 8) return -1;
    const inner = at + ihl;
    if (b[inner] !== ICMP_ECHO) return -1;
    const sock = this.pings.get((b[inner + 4] << 8) | b[inner + 5]);
    if (!sock) return -1;
    const info =
      ((b[skb.data + 4] << 24) |
        (b[skb.data + 5] << 16) |
        (b[skb.data + 6] << 8) |
        b[skb.data + 7]) >>>
      0;
    const innerDst =
      ((b[at + 16] << 24) | (b[at + 17] << 16) | (b[at + 18] << 8) | b[at + 19]) >>> 0;
    if (type === ICMP_REDIRECT) this.doRedirect(dev, from, innerDst, info);
    // ping_err → ipv4_sk_update_pmtu: the quoted destination's path MTU is the one named.
    if (type === ICMP_DEST_UNREACH && code === ICMP_FRAG_NEEDED)
      this.k.routes.updatePmtu(innerDst, info & 0xffff);
    const e: PingError = { seq: (b[inner + 6] << 8) | b[inner + 7], from, type, code, info };
    sock.errors.push(e);
    sock.onError?.(e);
    return sock.id;
  }

  /**
   * `__ip_do_redirect`: a redirect from `oldGw` (in on `dev`) says `dst` is better reached via
   * `newGw`. Taken only from the gateway the route to `dst` uses now, when this interface
   * accepts redirects (`accept_redirects`: `conf.all` or its own; both while forwarding), for a
   * unicast gateway not this host's own; without `shared_media`, also only a gateway on the
   * old one's subnet and (`secure_redirects`) one of the default gateways. The new gateway's
   * link-layer address must be known: if not, ARP is asked and this redirect changes nothing.
   * Then `dst` goes via `newGw` for 300 s (a nexthop exception: `ip route get` says
   * `cache <redirected>`).
   */
  private doRedirect(dev: NetDevice, oldGw: number, dst: number, newGw: number): void {
    const k = this.k;
    const route = k.routes.lookup(dst, null);
    if (typeof route === 'number' || route.gateway !== oldGw) return;
    const conf = k.devconf;
    const accept = k.inDev(dev).forwarding
      ? conf.andConf(dev, 'accept_redirects')
      : conf.orConf(dev, 'accept_redirects');
    if (newGw === oldGw || !accept || isMulticastIp(newGw) || newGw === INADDR_BROADCAST) return;
    if (newGw >>> 24 === 0) return; // 0.0.0.0/8
    if (!conf.orConf(dev, 'shared_media')) {
      const onlink = k
        .inDev(dev)
        .addrs.some(
          (a) => ((a.local ^ newGw) & a.mask) === 0 && ((a.local ^ oldGw) & a.mask) === 0,
        );
      if (!onlink) return;
      const isDefault = k.routes.routes.some(
        (r) => r.prefixLen === 0 && r.gateway === newGw && r.dev === dev,
      );
      if (conf.orConf(dev, 'secure_redirects') && !isDefault) return;
    } else if (k.isLocalAddr(newGw) || k.inDevs.some((d) => d.isBroadcast(newGw))) {
      return; // inet_addr_type: not RTN_UNICAST
    }
    if (!k.neigh.eventSend(newGw, route.dev)) return;
    k.routes.redirect(dst, k.routes.exception(dst)?.base ?? route, newGw);
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
