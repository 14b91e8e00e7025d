import { EINVAL, ENODEV, EOVERFLOW } from './errno';
import { IFF_ALLMULTI, IFF_PROMISC, IFF_RUNNING, IFF_UP, IFF_USER_SETTABLE } from './flags';
import type { NetDevice } from './net-device';
import type { NetDeviceStats } from './stats';

/**
 * The kernel's side of a device's life (net/core/dev.c): open and close,
 * flags, promiscuity and allmulti counting, and programming the receive filter.
 */

/** `dev_open`: calls `open`; on error the device stays down and the error is returned. */
export function devOpen(dev: NetDevice): number {
  if (dev.flags & IFF_UP) return 0;
  if (!dev.present) return -ENODEV;
  const ret = dev.ops.open ? dev.ops.open(dev) : 0;
  if (ret !== 0) return ret;
  dev.flags |= IFF_UP;
  devSetRxMode(dev);
  for (const fn of dev.notifiers) fn('up', dev);
  return 0;
}

/**
 * `dev_close`: calls `stop` (which cannot fail) and resets the qdisc, so that
 * afterwards no buffer of the device is queued anywhere.
 */
export function devClose(dev: NetDevice): void {
  if (!(dev.flags & IFF_UP)) return;
  dev.ops.stop?.(dev);
  dev.flags &= ~IFF_UP;
  dev.txQueueStopped = true;
  dev.qdisc.purge();
  for (const fn of dev.notifiers) fn('down', dev);
}

/**
 * `dev_get_flags`, what SIOCGIFFLAGS and rtnetlink report: the stored flags with
 * IFF_RUNNING derived from carrier, and PROMISC/ALLMULTI only as the user asked
 * for them (`gflags`), not as a capture, a bridge or the driver set them in
 * `dev->flags` (Linux has masked them so since 2.6; before, a driver that set
 * IFF_PROMISC itself showed in ifconfig: `devFlagsInside` is that view).
 */
export function devGetFlags(dev: NetDevice): number {
  let flags = dev.flags & ~(IFF_PROMISC | IFF_ALLMULTI | IFF_RUNNING);
  flags |= dev.gflags & (IFF_PROMISC | IFF_ALLMULTI);
  if (dev.flags & IFF_UP && dev.carrier) flags |= IFF_RUNNING;
  return flags;
}

/** `dev->flags` as the kernel keeps it (RUNNING derived): what 1996's ifconfig showed. */
export function devFlagsInside(dev: NetDevice): number {
  let flags = dev.flags & ~IFF_RUNNING;
  if (dev.flags & IFF_UP && dev.carrier) flags |= IFF_RUNNING;
  return flags;
}

/**
 * `dev_change_flags` (SIOCSIFFLAGS): UP opens or closes the device; PROMISC and
 * ALLMULTI are the user's one reference each on the device's counters.
 * As in Linux, a failed open is returned but the PROMISC/ALLMULTI requests still apply.
 */
export function devChangeFlags(dev: NetDevice, flags: number): number {
  const old = dev.flags;
  dev.flags = (flags & IFF_USER_SETTABLE) | (dev.flags & ~IFF_USER_SETTABLE);
  let ret = 0;
  if ((old ^ flags) & IFF_UP) {
    if (old & IFF_UP) devClose(dev);
    else ret = devOpen(dev);
  }
  if ((flags ^ dev.gflags) & IFF_PROMISC) {
    dev.gflags ^= IFF_PROMISC;
    devSetPromiscuity(dev, flags & IFF_PROMISC ? 1 : -1);
  }
  if ((flags ^ dev.gflags) & IFF_ALLMULTI) {
    dev.gflags ^= IFF_ALLMULTI;
    devSetAllmulti(dev, flags & IFF_ALLMULTI ? 1 : -1);
  }
  if ((old ^ dev.flags) & IFF_USER_SETTABLE) devSetRxMode(dev);
  return ret;
}

/** `dev_set_promiscuity`: counted, so a capture and the user can both want it. */
export function devSetPromiscuity(dev: NetDevice, inc: number): number {
  const promiscuity = dev.promiscuity + inc;
  if (promiscuity < 0) return -EOVERFLOW;
  dev.promiscuity = promiscuity;
  const old = dev.flags;
  if (promiscuity === 0) dev.flags &= ~IFF_PROMISC;
  else dev.flags |= IFF_PROMISC;
  if (old !== dev.flags) devSetRxMode(dev);
  return 0;
}

/** `dev_set_allmulti`: counted like promiscuity. */
export function devSetAllmulti(dev: NetDevice, inc: number): number {
  const allmulti = dev.allmulti + inc;
  if (allmulti < 0) return -EOVERFLOW;
  dev.allmulti = allmulti;
  const old = dev.flags;
  if (allmulti === 0) dev.flags &= ~IFF_ALLMULTI;
  else dev.flags |= IFF_ALLMULTI;
  if (old !== dev.flags) devSetRxMode(dev);
  return 0;
}

/**
 * `__dev_set_rx_mode`: has the driver reprogram its receive filter from the
 * flags and the multicast list. Only a device that is up has a filter to program;
 * `devOpen` calls this once the device is up.
 */
export function devSetRxMode(dev: NetDevice): void {
  if (!(dev.flags & IFF_UP) || !dev.present) return;
  dev.ops.setMulticastList?.(dev);
}

/** `dev_get_stats`: the driver's counters, or null for a device that keeps none. */
export function devGetStats(dev: NetDevice): NetDeviceStats | null {
  return dev.ops.getStats ? dev.ops.getStats(dev) : null;
}

/** `dev_set_mtu`: within the device's limits, through `changeMtu` if the driver has one. */
export function devSetMtu(dev: NetDevice, mtu: number): number {
  if (mtu === dev.mtu) return 0;
  if (!Number.isInteger(mtu) || mtu < dev.minMtu || mtu > dev.maxMtu) return -EINVAL;
  if (!dev.present) return -ENODEV;
  if (dev.ops.changeMtu) return dev.ops.changeMtu(dev, mtu);
  dev.mtu = mtu;
  return 0;
}

/** `dev_change_tx_queue_len` */
export function devSetTxQueueLen(dev: NetDevice, len: number): number {
  if (!Number.isInteger(len) || len < 0 || len > 0xffffffff) return -EINVAL;
  dev.txQueueLen = len;
  return 0;
}
