import { isMulticastEther, isValidEtherAddr } from '../wire/mac';
import { EADDRNOTAVAIL, EBUSY, EINVAL, ENODEV, ENOENT, EOPNOTSUPP } from './errno';
import { IFF_UP } from './flags';
import type { Ifmap } from './ifmap';
import type { NetDevice } from './net-device';
import { devSetRxMode } from './dev';

/**
 * Hardware addresses: the device's own MAC and its multicast list
 * (net/core/dev_addr_lists.c and net/ethernet/eth.c).
 */

/**
 * `dev_set_mac_address` (SIOCSIFHWADDR): only through the driver's
 * `setMacAddress`, which is not called when the address is the one the device
 * has (so a card that changes its MAC only while down accepts its own MAC up).
 */
export function devSetMacAddress(dev: NetDevice, addr: Uint8Array): number {
  if (!dev.ops.setMacAddress) return -EOPNOTSUPP;
  if (addr.length !== 6) return -EINVAL;
  if (!dev.present) return -ENODEV;
  let same = true;
  for (let i = 0; i < 6; i++) if (dev.devAddr[i] !== addr[i]) same = false;
  if (same) return 0;
  return dev.ops.setMacAddress(dev, addr);
}

/**
 * `eth_mac_addr`, the helper most drivers use as `setMacAddress`. Without
 * `liveChange` (IFF_LIVE_ADDR_CHANGE) the device must be down.
 */
export function ethMacAddr(dev: NetDevice, addr: Uint8Array, liveChange: boolean): number {
  if (!liveChange && dev.flags & IFF_UP) return -EBUSY;
  if (!isValidEtherAddr(addr)) return -EADDRNOTAVAIL;
  dev.devAddr.set(addr.subarray(0, 6));
  return 0;
}

/** `dev_set_config` (SIOCSIFMAP): only through the driver's `setConfig`. */
export function devSetConfig(dev: NetDevice, map: Ifmap): number {
  if (!dev.ops.setConfig) return -EOPNOTSUPP;
  if (!dev.present) return -ENODEV;
  return dev.ops.setConfig(dev, map);
}

export function devGetMap(dev: NetDevice): Ifmap {
  return {
    memStart: dev.memStart,
    memEnd: dev.memEnd,
    baseAddr: dev.baseAddr,
    irq: dev.irq,
    dma: dev.dma,
    port: dev.ifPort,
  };
}

/** `dev_mc_add`: one more reference on a multicast address (IP group joins use this). */
export function devMcAdd(dev: NetDevice, addr: Uint8Array): number {
  return mcAdd(dev, addr, false);
}

/** `dev_mc_del`: drops a reference; ENOENT when the address is not on the list. */
export function devMcDel(dev: NetDevice, addr: Uint8Array): number {
  return mcDel(dev, addr, false);
}

/** `dev_mc_add_global` (SIOCADDMULTI): the user holds at most one reference. */
export function devMcAddGlobal(dev: NetDevice, addr: Uint8Array): number {
  return mcAdd(dev, addr, true);
}

/** `dev_mc_del_global` (SIOCDELMULTI) */
export function devMcDelGlobal(dev: NetDevice, addr: Uint8Array): number {
  return mcDel(dev, addr, true);
}

function mcAdd(dev: NetDevice, addr: Uint8Array, global: boolean): number {
  if (addr.length !== 6 || !isMulticastEther(addr)) return -EINVAL;
  dev.mc.add(addr, global);
  devSetRxMode(dev);
  return 0;
}

function mcDel(dev: NetDevice, addr: Uint8Array, global: boolean): number {
  if (addr.length !== 6) return -EINVAL;
  if (dev.mc.del(addr, global) < 0) return -ENOENT;
  devSetRxMode(dev);
  return 0;
}
