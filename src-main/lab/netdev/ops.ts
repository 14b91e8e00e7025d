import type { SkBuff } from '../skb/sk-buff';
import type { Cred } from './cred';
import type { Ifmap } from './ifmap';
import type { NetDevice } from './net-device';
import type { NetDeviceStats } from './stats';

/** What `hardStartXmit` answers (Linux's netdev_tx_t). */
export const NETDEV_TX_OK = 0;
/** The driver could not take the buffer; the caller keeps it and retries later. */
export const NETDEV_TX_BUSY = 0x10;

/**
 * The payload of a device ioctl, as `struct ifreq`: each command reads or
 * fills the field it concerns. `data` carries private ioctls' arguments and
 * results (Linux's `ifr_data`).
 */
export interface IfReq {
  flags?: number;
  hwaddr?: Uint8Array;
  map?: Ifmap;
  mtu?: number;
  qlen?: number;
  ifindex?: number;
  data?: unknown;
}

/**
 * `struct net_device_ops`: the driver's entry points. Every op is optional and
 * the kernel side (dev.ts, dev-ioctl.ts) answers for a missing one as Linux
 * does. Ops that can fail return 0 or a negative errno.
 */
export interface NetDeviceOps {
  /** `ndo_open`: bring the hardware up. On error the device stays down. */
  open?(dev: NetDevice): number;
  /** `ndo_stop`: cannot fail; afterwards the driver holds no buffer of the device. */
  stop?(dev: NetDevice): void;
  /** `ndo_start_xmit` (hard_start_xmit): take a buffer for transmission. */
  hardStartXmit?(skb: SkBuff, dev: NetDevice): number;
  /** `ndo_get_stats`: absent means the device keeps no statistics. */
  getStats?(dev: NetDevice): NetDeviceStats;
  /** `ndo_set_mac_address` (SIOCSIFHWADDR). */
  setMacAddress?(dev: NetDevice, addr: Uint8Array): number;
  /** `ndo_set_config` (SIOCSIFMAP). */
  setConfig?(dev: NetDevice, map: Ifmap): number;
  /** `ndo_siocdevprivate`: SIOCDEVPRIVATE..+15; any user may call, the driver checks. */
  doIoctl?(dev: NetDevice, ifr: IfReq, cmd: number, cred: Cred): number;
  /** `ndo_set_rx_mode`: program the receive filter from flags and the multicast list. */
  setMulticastList?(dev: NetDevice): void;
  /** `ndo_change_mtu` */
  changeMtu?(dev: NetDevice, mtu: number): number;
}
