import type { NetDevice } from '../netdev/net-device';
import { SkBuffHead } from '../skb/sk-buff-head';
import type { SkbOwner } from '../skb/sk-buff';

/** One group a socket joined (IP_ADD_MEMBERSHIP), on one interface. */
export interface Membership {
  group: number;
  dev: NetDevice;
}

/**
 * A UDP socket (`struct sock` + `inet_sock`): its addresses, its receive
 * queue and the memory charged to it. A datagram costs its buffer's truesize
 * from arrival until the application reads it; `rcvbuf` caps the total.
 */
export class UdpSocket implements SkbOwner {
  readonly ownerName: string;
  localAddr = 0;
  localPort = 0;
  remoteAddr = 0;
  remotePort = 0;
  /** `sk_rcvbuf`: bytes of truesize the queue may hold (Linux doubles what SO_RCVBUF is given). */
  rcvbuf: number;
  /** `sk_rmem_alloc`: truesize of the datagrams waiting to be read. */
  rmemAlloc = 0;
  /** `udp_sock.forward_deficit`: truesize read but not yet given back to `rmemAlloc`. */
  forwardDeficit = 0;
  /**
   * How many datagrams at the head of `receiveQueue` are in the reader's queue
   * (`udp_sock.reader_queue`): moved there together when the reader found it empty.
   */
  readerQueued = 0;
  /** `sk_drops`: datagrams dropped because the receive buffer was full. */
  drops = 0;
  readonly receiveQueue: SkBuffHead;
  readonly memberships: Membership[] = [];
  /** IP_MULTICAST_ALL: receive every group the host joined on the port, not only our own. */
  mcAll = true;
  /** IP_MULTICAST_IF */
  mcIf: NetDevice | null = null;
  /** IP_MULTICAST_LOOP: this host's own members hear what it sends to a group (1 by default). */
  mcLoop = true;
  /** IP_MULTICAST_TTL */
  mcTtl = 1;
  /**
   * IP_MTU_DISCOVER: `want` (the default for UDP, ip_pmtudisc 1): DF on a datagram that fits
   * the path MTU, a larger one fragmented without DF; `do` sets DF and refuses a larger one
   * (EMSGSIZE); `dont` sets no DF and fragments.
   */
  pmtudisc: 'want' | 'do' | 'dont' = 'want';
  /** SO_REUSEADDR: several receivers may bind the same port (multicast listeners). */
  reuseAddr = false;
  closed = false;
  /** Datagrams queued and read, for /proc/net/udp-like views and sinks. */
  queued = 0;
  read = 0;
  /** Who sent the last datagram read (set by `UdpTable.recv`). */
  lastFromAddr = 0;
  lastFromPort = 0;
  /**
   * Where the last datagram read lay in its buffer, as offsets from `head`:
   * how far each layer moved `data` on the way up (mac → network → transport →
   * the payload the application read). -1 until a datagram has been read.
   */
  readonly lastSkb = {
    mac: -1,
    network: -1,
    transport: -1,
    data: -1,
    tail: -1,
    end: -1,
    truesize: -1,
  };
  /** Called when a datagram is queued (`sk_data_ready`): the application's wake-up. */
  onDataReady: ((sock: UdpSocket) => void) | null = null;

  constructor(
    readonly id: number,
    rcvbuf: number,
  ) {
    this.rcvbuf = rcvbuf;
    this.ownerName = `udp socket ${id}`;
    this.receiveQueue = new SkBuffHead(`udp socket ${id} receive queue`);
  }

  joined(group: number, dev: NetDevice): boolean {
    return this.memberships.some((m) => m.group === group && m.dev === dev);
  }
}
