import { SkBuffHead } from '../skb/sk-buff-head';
import type { SkBuff } from '../skb/sk-buff';
import { formatMac } from '../wire/mac';
import { IFF_BROADCAST, IFF_MULTICAST } from './flags';
import { McList } from './mc-list';
import type { NetDeviceOps } from './ops';

/** `netdev_chain` events: the stack reacts to a device coming up or going down. */
export type NetdevEvent = 'up' | 'down';

/**
 * A packet tap (`ptype_all`, what tcpdump uses): sees every buffer the device
 * hands the stack and every buffer it sends, before anything else happens to it.
 */
export type PacketTap = (skb: SkBuff, dev: NetDevice, outgoing: boolean) => void;

/** `netif_receive_skb` as the device sees it: where received buffers go up. */
export type RxHandler = (skb: SkBuff, dev: NetDevice) => void;

/**
 * `struct net_device`: what the kernel knows of one interface. The driver
 * fills `ops` and its private state; the kernel side (dev.ts) changes flags,
 * addresses and the multicast list only through the functions there, which
 * call the ops as Linux does.
 */
export class NetDevice {
  ifindex = 0;
  /** Hardware address (`dev_addr`). */
  readonly devAddr = new Uint8Array(6);
  readonly broadcast = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
  mtu = 1500;
  minMtu = 68;
  maxMtu = 1500;
  /** Length of the transmit queue (qdisc FIFO), `txqueuelen`. */
  txQueueLen = 1000;
  /** IFF_* flags as stored; IFF_RUNNING is derived, see `devGetFlags`. */
  flags = IFF_BROADCAST | IFF_MULTICAST;
  /** Flags the user asked for (Linux's `gflags`): PROMISC and ALLMULTI requested by SIOCSIFFLAGS. */
  gflags = 0;
  /** How many parties want PROMISC (the user, a capture, a bridge): `dev->promiscuity`. */
  promiscuity = 0;
  allmulti = 0;
  readonly mc = new McList();

  // struct ifmap, as the driver reports it.
  memStart = 0;
  memEnd = 0;
  baseAddr = 0;
  irq = 0;
  dma = 0;
  ifPort = 0;

  /** Carrier as the driver last reported it (`netif_carrier_on/off`). */
  carrier = false;
  /**
   * `carrier_up_count + carrier_down_count`: what rtnetlink reports as carrier changes.
   * A device is born with carrier on (no __LINK_STATE_NOCARRIER) and its driver's probe
   * turns it off, which already counts one.
   */
  carrierChanges = 1;
  /** `netif_device_present`: false once the hardware is gone. */
  present = true;
  /** The transmit queue is stopped by the driver (`netif_stop_queue`). */
  txQueueStopped = true;
  /**
   * The stack holds the queue (Linux's __QUEUE_STATE_FROZEN): buffers wait in the qdisc whatever
   * the driver says, until `netifTxThaw`. A lab's host holds its cards so until it has booted.
   */
  txFrozen = false;
  /** The qdisc: a FIFO of `txQueueLen` buffers in front of the driver. */
  readonly qdisc: SkBuffHead;
  /** Buffers the qdisc dropped because it was full. */
  qdiscDrops = 0;
  /** Set by the stack above; null means received frames are dropped and counted. */
  rxHandler: RxHandler | null = null;
  /** Called after the device came up or went down (`register_netdevice_notifier`). */
  readonly notifiers: ((event: NetdevEvent, dev: NetDevice) => void)[] = [];
  /** Packet taps (captures) on this device. */
  readonly taps: PacketTap[] = [];
  /** The device it is enslaved to (`netdev_master_upper_dev_get`: a bridge), or null. */
  master: NetDevice | null = null;
  /** The driver's own state (Linux's `netdev_priv`). */
  priv: unknown = null;
  /** IPv4's state of the device (`ip_ptr`: the kernel's InDevice), null while unregistered. */
  ipPtr: unknown = null;

  constructor(
    readonly name: string,
    readonly ops: NetDeviceOps,
  ) {
    this.qdisc = new SkBuffHead(`${name} qdisc`);
  }

  get macText(): string {
    return formatMac(this.devAddr);
  }
}
