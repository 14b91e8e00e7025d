import {
  EACCES,
  EADDRINUSE,
  EADDRNOTAVAIL,
  EAGAIN,
  EDESTADDRREQ,
  EINVAL,
  EMSGSIZE,
  ENOBUFS,
  ENODEV,
} from '../netdev/errno';
import { FATE_DELIVERED, FATE_HDR_ERROR, FATE_NO_SOCKET, FATE_RCVBUF_FULL } from '../netdev/fate';
import type { Cred } from '../netdev/cred';
import type { NetDevice } from '../netdev/net-device';
import type { SkBuff } from '../skb/sk-buff';
import { copyBytes, setU16 } from '../wire/bytes';
import { foldChecksum, onesSum, pseudoHeaderSum } from '../wire/checksum';
import { UDP_BAD_HEADER, UDP_OK, UdpSummary } from '../wire/header-summary';
import { INADDR_BROADCAST, isMulticastIp } from '../wire/ipv4-addr';
import { IPPROTO_UDP } from '../wire/ipv4';
import { UDP_HLEN, UDP_OFF, UdpView } from '../wire/udp';
import { ICMP_DEST_UNREACH, ICMP_PORT_UNREACH } from '../wire/icmp';
import { ipOutput, type IpOutOpts } from './ip-output';
import type { Kernel } from './kernel';
import { UdpSocket } from './udp-socket';

/** Linux's SOCK_MIN_RCVBUF: 2048 + sizeof(struct sk_buff) rounded (SOCK_MIN_SNDBUF is twice it). */
export const SOCK_MIN_RCVBUF = 2304;
const EPHEMERAL_FIRST = 32768;
const EPHEMERAL_LAST = 60999;
/** Payloads up to this many bytes are checksummed in the copying loop (see `sendto`). */
const SUM_COPY_MAX = 64;
/** Ports below this need root to bind (CAP_NET_BIND_SERVICE). */
const PROT_SOCK = 1024;

/**
 * An application that reads each datagram where the kernel holds it rather than
 * having `recv` copy it out: a traffic sink wants the first bytes of millions of
 * datagrams, and reading them in place is the same reading without the copy.
 */
export interface DatagramReader {
  /** The payload, `len` bytes at `at` of `buf`, during `recv` (the buffer is freed after). */
  readDatagram(buf: Uint8Array, at: number, len: number): void;
}

/**
 * UDP (net/ipv4/udp.c): the socket table, demultiplexing by port and address,
 * multicast delivery to every matching socket, the receive-buffer accounting
 * that drops into RcvbufErrors, and sending.
 */
export class UdpTable {
  readonly sockets: UdpSocket[] = [];
  private nextId = 1;
  private nextEphemeral = EPHEMERAL_FIRST;
  /** The summary of a datagram whose bytes are its own (not a wire frame's). */
  private readonly ownHeader = new UdpSummary();
  /** `sendto`'s options for ipOutput, filled afresh for each datagram (read before it returns). */
  private readonly sendOpts: IpOutOpts = {
    df: true,
    mayFragment: false,
    mtu: 0,
    nexthop: undefined,
  };
  /** Sockets matching the multicast datagram being delivered (reused). */
  private readonly matches: UdpSocket[] = [];

  constructor(private readonly k: Kernel) {}

  /** `socket(AF_INET, SOCK_DGRAM, 0)` */
  socket(): UdpSocket {
    const sock = new UdpSocket(this.nextId++, this.k.sysctl.get('net.core.rmem_default'));
    this.sockets.push(sock);
    return sock;
  }

  /** `bind`: 0 or -EINVAL (already bound), -EADDRNOTAVAIL, -EADDRINUSE, -EACCES. */
  bind(sock: UdpSocket, addr: number, port: number, cred: Cred): number {
    if (sock.localPort !== 0) return -EINVAL;
    if (!Number.isInteger(port) || port < 0 || port > 65535) return -EINVAL;
    if (
      addr !== 0 &&
      !isMulticastIp(addr) &&
      addr !== INADDR_BROADCAST &&
      !this.k.isLocalAddr(addr)
    ) {
      return -EADDRNOTAVAIL;
    }
    if (port !== 0 && port < PROT_SOCK && cred.uid !== 0) return -EACCES;
    if (port === 0) {
      const p = this.ephemeralPort();
      if (p < 0) return p;
      port = p;
    } else {
      for (const o of this.sockets) {
        if (o === sock || o.localPort !== port) continue;
        const overlap = o.localAddr === 0 || addr === 0 || o.localAddr === addr;
        if (overlap && !(o.reuseAddr && sock.reuseAddr)) return -EADDRINUSE;
      }
    }
    sock.localAddr = addr;
    sock.localPort = port;
    return 0;
  }

  /** `connect`: fixes the peer; sends without an address go there. */
  connect(sock: UdpSocket, addr: number, port: number): number {
    if (!Number.isInteger(port) || port < 1 || port > 65535) return -EINVAL;
    sock.remoteAddr = addr;
    sock.remotePort = port;
    if (sock.localPort === 0) {
      const p = this.ephemeralPort();
      if (p < 0) return p;
      sock.localPort = p;
    }
    return 0;
  }

  /**
   * SO_RCVBUF (`sock_setsockopt` → `__sock_set_rcvbuf`): the value is bounded by
   * rmem_max and doubled for bookkeeping overhead, at least SOCK_MIN_RCVBUF. Linux
   * compares it with rmem_max as unsigned, so a negative value becomes rmem_max.
   */
  setRcvbuf(sock: UdpSocket, bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < -0x80000000 || bytes > 0x7fffffff) return -EINVAL;
    const max = this.k.sysctl.get('net.core.rmem_max');
    const val = bytes < 0 ? max : Math.min(bytes, max);
    sock.rcvbuf = Math.max(Math.min(val, 0x3fffffff) * 2, SOCK_MIN_RCVBUF);
    return 0;
  }

  /** getsockopt(SO_RCVBUF): `sk_rcvbuf`, the doubled value. */
  getRcvbuf(sock: UdpSocket): number {
    return sock.rcvbuf;
  }

  /** IP_ADD_MEMBERSHIP on `dev` (or the multicast route's device). */
  addMembership(sock: UdpSocket, group: number, dev: NetDevice | null): number {
    if (!isMulticastIp(group)) return -EINVAL;
    const out = dev ?? this.multicastDev(group);
    if (out === null) return -ENODEV;
    if (sock.joined(group, out)) return -EADDRINUSE;
    if (sock.memberships.length >= this.k.sysctl.get('net.ipv4.igmp_max_memberships'))
      return -ENOBUFS;
    sock.memberships.push({ group, dev: out });
    this.k.igmp.join(out, group);
    return 0;
  }

  /** IP_DROP_MEMBERSHIP */
  dropMembership(sock: UdpSocket, group: number, dev: NetDevice | null): number {
    const i = sock.memberships.findIndex(
      (m) => m.group === group && (dev === null || m.dev === dev),
    );
    if (i < 0) return -EADDRNOTAVAIL;
    const [m] = sock.memberships.splice(i, 1);
    this.k.igmp.leave(m.dev, group);
    return 0;
  }

  /**
   * `sendto`: `length` bytes of `data` (zeros if no data) to `addr:port`, or to
   * the connected peer. Returns the bytes sent or a negative errno.
   */
  sendto(sock: UdpSocket, data: Uint8Array | null, length: number, addr = 0, port = 0): number {
    const k = this.k;
    if (addr === 0 && port === 0) {
      if (sock.remotePort === 0) return -EDESTADDRREQ;
      addr = sock.remoteAddr;
      port = sock.remotePort;
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535) return -EINVAL;
    if (!Number.isInteger(length) || length < 0 || length > 65507) return -EMSGSIZE;
    const route = k.routes.lookup(addr, isMulticastIp(addr) ? sock.mcIf : null);
    if (typeof route === 'number') {
      k.mib.ip.OutNoRoutes++; // udp_sendmsg: ip_route_output_flow failed with ENETUNREACH
      return route;
    }
    const dev = route.dev;
    if (sock.localPort === 0) {
      const p = this.ephemeralPort();
      if (p < 0) return p;
      sock.localPort = p;
    }
    const src =
      sock.localAddr !== 0 && !isMulticastIp(sock.localAddr)
        ? sock.localAddr
        : route.prefSrc || k.inDev(dev).primary;
    const ulen = UDP_HLEN + length;
    const skb = k.allocSkb(ulen);
    const at = skb.put(ulen);
    const buf = skb.buf;
    UdpView.write(buf, at, sock.localPort, port, ulen);
    // The checksum as `csum_and_copy_from_user` makes it: the header's words from the values
    // just written and a small payload's as it is copied, so the datagram is not read again.
    let sum = pseudoHeaderSum(src, addr, IPPROTO_UDP, ulen) + sock.localPort + port + ulen;
    const p = at + UDP_HLEN;
    if (data === null) {
      if (length > 64) buf.fill(0, p, p + length);
      else for (let i = p, end = p + length; i < end; i++) buf[i] = 0; // no call for a few bytes
    } else if (length <= SUM_COPY_MAX) {
      let i = 0;
      for (; i + 1 < length; i += 2) {
        const hi = data[i];
        const lo = data[i + 1];
        buf[p + i] = hi;
        buf[p + i + 1] = lo;
        sum += (hi << 8) | lo;
      }
      if (i < length) {
        buf[p + i] = data[i];
        sum += data[i] << 8;
      }
    } else {
      copyBytes(buf, p, data, 0, length);
      sum += onesSum(buf, p, length);
    }
    setU16(buf, at + UDP_OFF.check, foldChecksum(sum) || 0xffff);
    skb.transportHeader = at;
    const ttl = isMulticastIp(addr) ? sock.mcTtl : k.sysctl.get('net.ipv4.ip_default_ttl');
    // ip_append_data: a datagram over the MTU is built in fragments unless the socket wants DF
    // (IP_PMTUDISC_DO), which refuses it with EMSGSIZE before any counter.
    const opts = this.sendOpts;
    opts.df = sock.pmtudisc !== 'dont';
    opts.mayFragment = sock.pmtudisc === 'want';
    opts.mtu = k.routes.pathMtu(addr, route);
    opts.nexthop = route.gateway || undefined;
    const ret = ipOutput(k, skb, dev, src, addr, IPPROTO_UDP, ttl, false, sock.mcLoop, opts);
    if (ret < 0) {
      if (ret === -ENOBUFS) k.mib.udp.SndbufErrors++;
      return ret;
    }
    k.mib.udp.OutDatagrams++;
    return length;
  }

  /**
   * `recvfrom`: takes the oldest datagram, copies up to `out.length` bytes of it
   * into `out` (if given) or shows it to `reader` (if given), uncharges its
   * truesize and returns its length, or -EAGAIN when none waits. The sender is
   * left in `lastFromAddr/Port`.
   */
  recv(
    sock: UdpSocket,
    out: Uint8Array | null = null,
    reader: DatagramReader | null = null,
  ): number {
    // `__skb_recv_udp`: the reader takes from its own queue, and when that is empty moves
    // everything waiting in the receive queue to it at once.
    if (sock.readerQueued === 0) sock.readerQueued = sock.receiveQueue.qlen;
    const skb = sock.receiveQueue.dequeue();
    if (skb === null) return -EAGAIN;
    sock.readerQueued--;
    this.rmemRelease(sock, skb.truesize);
    sock.read++;
    this.k.mib.udp.InDatagrams++; // Linux counts a datagram in when the application takes it
    const b = skb.buf;
    const nh = skb.networkHeader;
    sock.lastFromAddr =
      ((b[nh + 12] << 24) | (b[nh + 13] << 16) | (b[nh + 14] << 8) | b[nh + 15]) >>> 0;
    sock.lastFromPort = (b[skb.transportHeader] << 8) | b[skb.transportHeader + 1];
    const len = skb.len;
    const last = sock.lastSkb;
    last.mac = skb.macHeader;
    last.network = nh;
    last.transport = skb.transportHeader;
    last.data = skb.data;
    last.tail = skb.tail;
    last.end = skb.end;
    last.truesize = skb.truesize;
    if (out) copyBytes(out, 0, b, skb.data, Math.min(len, out.length));
    if (reader) reader.readDatagram(b, skb.data, len);
    skb.free();
    return len;
  }

  /**
   * `udp_rmem_release`: memory of datagrams read goes back to the socket in
   * batches, once a quarter of the buffer is owed (`forward_threshold`) or the
   * reader's queue is empty. Until then `sk_rmem_alloc` still counts them, so a
   * reader that takes a few datagrams from a full buffer lets none in.
   */
  private rmemRelease(sock: UdpSocket, size: number): void {
    sock.forwardDeficit += size;
    if (sock.forwardDeficit < sock.rcvbuf >> 2 && sock.readerQueued > 0) return;
    sock.rmemAlloc -= sock.forwardDeficit;
    sock.forwardDeficit = 0;
  }

  /** `close`: leaves its groups and frees what it had not read. */
  close(sock: UdpSocket): void {
    if (sock.closed) return;
    for (const m of sock.memberships.splice(0)) this.k.igmp.leave(m.dev, m.group);
    sock.receiveQueue.purge();
    sock.rmemAlloc = 0;
    sock.forwardDeficit = 0;
    sock.readerQueued = 0;
    sock.closed = true;
    sock.onDataReady = null;
    const i = this.sockets.indexOf(sock);
    if (i >= 0) this.sockets.splice(i, 1);
  }

  /**
   * `udp_rcv`: `skb.data` is at the UDP header. `toGroup` is the input route's
   * RTCF_BROADCAST or RTCF_MULTICAST: such a datagram goes to every matching
   * socket and never draws a port unreachable. Takes ownership.
   */
  rcv(skb: SkBuff, dev: NetDevice, src: number, dst: number, toGroup: boolean): void {
    const k = this.k;
    const mib = k.mib.udp;
    const udp = this.header(skb, src, dst);
    if (udp.verdict !== UDP_OK) {
      if (udp.verdict !== UDP_BAD_HEADER) mib.InCsumErrors++;
      mib.InErrors++;
      this.dropHdr(skb);
      return;
    }
    // Read before anything below can receive another datagram (and reuse `ownHeader`).
    const dport = udp.dstPort;
    const sport = udp.srcPort;
    skb.trim(udp.udpLength);
    skb.pull(UDP_HLEN);
    if (toGroup) {
      this.mcastDeliver(skb, dev, src, sport, dst, dport);
      return;
    }
    const sock = this.lookup(dst, dport, src, sport);
    if (sock === null) {
      mib.NoPorts++;
      k.machine.fates.recordSkb(skb, k.now, FATE_NO_SOCKET);
      k.icmp.send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
      skb.free();
      return;
    }
    this.queueRcv(sock, skb);
  }

  /**
   * The datagram `skb.data` is at, checked from `src` to `dst`. A wire frame's
   * bytes cannot change, so what another host found in the same frame is taken.
   */
  private header(skb: SkBuff, src: number, dst: number): UdpSummary {
    const lender = skb.shared.lender;
    if (lender === null) return this.ownHeader.parse(skb.buf, skb.data, skb.len, src, dst);
    const h = lender.verdicts.udp;
    return h.isOf(skb.data, skb.len) ? h : h.parse(skb.buf, skb.data, skb.len, src, dst);
  }

  private dropHdr(skb: SkBuff): void {
    this.k.machine.fates.recordSkb(skb, this.k.now, FATE_HDR_ERROR);
    skb.free();
  }

  /** `__udp4_lib_mcast_deliver`: every socket that matches gets the datagram (clones). */
  private mcastDeliver(
    skb: SkBuff,
    dev: NetDevice,
    src: number,
    sport: number,
    dst: number,
    dport: number,
  ): void {
    // Matches are collected before any is charged: a reader woken by one may close sockets.
    // Counted, not cleared, per datagram (setting an array's length is slow).
    const matches = this.matches;
    const sockets = this.sockets;
    let n = 0;
    for (let i = 0; i < sockets.length; i++) {
      const s = sockets[i];
      if (s.localPort !== dport) continue;
      if (s.localAddr !== 0 && s.localAddr !== dst) continue;
      if (s.remotePort !== 0 && (s.remoteAddr !== src || s.remotePort !== sport)) continue;
      if (isMulticastIp(dst) && !s.mcAll && !s.joined(dst, dev)) continue;
      if (n < matches.length) matches[n] = s;
      else matches.push(s);
      n++;
    }
    if (n === 0) {
      this.k.mib.udp.IgnoredMulti++;
      this.k.machine.fates.recordSkb(skb, this.k.now, FATE_NO_SOCKET);
      skb.free();
      return;
    }
    for (let i = 0; i < n - 1; i++) this.queueRcv(matches[i], skb.clone());
    this.queueRcv(matches[n - 1], skb);
  }

  /**
   * `__udp_enqueue_schedule_skb`: charges the socket and queues, or drops into
   * RcvbufErrors when the datagram would take `sk_rmem_alloc` past `sk_rcvbuf`;
   * a datagram larger than the whole buffer is still taken into an empty one.
   */
  private queueRcv(sock: UdpSocket, skb: SkBuff): void {
    const k = this.k;
    if (sock.rmemAlloc + skb.truesize > sock.rcvbuf && sock.rmemAlloc !== 0) {
      k.mib.udp.RcvbufErrors++;
      k.mib.udp.InErrors++;
      sock.drops++;
      k.machine.fates.recordSkb(skb, k.now, FATE_RCVBUF_FULL, sock.id);
      skb.free();
      return;
    }
    sock.rmemAlloc += skb.truesize;
    sock.queued++;
    sock.receiveQueue.enqueueTail(skb);
    skb.owner = sock;
    k.machine.fates.recordSkb(skb, k.now, FATE_DELIVERED, sock.id);
    sock.onDataReady?.(sock);
  }

  /** Best match for a unicast datagram: a connected socket beats a bound one. */
  private lookup(dst: number, dport: number, src: number, sport: number): UdpSocket | null {
    let best: UdpSocket | null = null;
    let bestScore = -1;
    for (const s of this.sockets) {
      if (s.localPort !== dport) continue;
      let score = 0;
      if (s.localAddr !== 0) {
        if (s.localAddr !== dst) continue;
        score += 2;
      }
      if (s.remotePort !== 0) {
        if (s.remoteAddr !== src || s.remotePort !== sport) continue;
        score += 4;
      }
      if (score > bestScore) {
        best = s;
        bestScore = score;
      }
    }
    return best;
  }

  /** `ip_mc_find_dev` without an interface or address: the group's route's device, if any. */
  private multicastDev(group: number): NetDevice | null {
    const r = this.k.routes.lookup(group, null);
    return typeof r === 'number' ? null : r.dev;
  }

  private ephemeralPort(): number {
    for (let n = 0; n <= EPHEMERAL_LAST - EPHEMERAL_FIRST; n++) {
      const p = this.nextEphemeral;
      this.nextEphemeral = p >= EPHEMERAL_LAST ? EPHEMERAL_FIRST : p + 1;
      if (!this.sockets.some((s) => s.localPort === p)) return p;
    }
    return -EAGAIN;
  }

  /** Finds a socket by id (for the shell and /proc views). */
  byId(id: number): UdpSocket | null {
    return this.sockets.find((s) => s.id === id) ?? null;
  }
}
