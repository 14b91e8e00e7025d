import { capableNetAdmin, type Cred } from '../netdev/cred';
import { EADDRNOTAVAIL, EINVAL, ENODEV, EPERM } from '../netdev/errno';
import type { NetDevice } from '../netdev/net-device';
import { isMulticastIp } from '../wire/ipv4-addr';
import type { Kernel } from './kernel';

/**
 * Changing a device's IPv4 addresses on behalf of a user (net/ipv4/devinet.c):
 * the ioctls ifconfig uses and the RTM_NEWADDR/RTM_DELADDR requests `ip addr`
 * sends. Each needs CAP_NET_ADMIN and a registered device, then goes through
 * the kernel's own `addAddress`/`delAddress`. Returns 0 or a negative errno.
 */

function check(k: Kernel, dev: NetDevice, cred: Cred): number {
  if (!capableNetAdmin(cred)) return -EPERM;
  return k.devices.includes(dev) ? 0 : -ENODEV;
}

/**
 * `inet_abc_len`: the classful prefix Linux gives an address set by
 * SIOCSIFADDR: /8, /16 or /24; -1 for class D and E, which cannot be set.
 */
export function classfulPrefix(addr: number): number {
  const top = addr >>> 24;
  if (top < 128) return 8;
  if (top < 192) return 16;
  if (top < 224) return 24;
  return -1;
}

/**
 * SIOCSIFADDR: replaces the primary address (0.0.0.0 removes it). As in
 * Linux, the new address gets its classful mask; `ifconfig` then sets the one
 * the user gave with SIOCSIFNETMASK.
 */
export function devinetSetAddr(k: Kernel, dev: NetDevice, addr: number, cred: Cred): number {
  const err = check(k, dev, cred);
  if (err) return err;
  const primary = k.inDev(dev).primary;
  if (addr === 0) return primary ? k.delAddress(dev, primary) : 0;
  const prefix = classfulPrefix(addr);
  if (prefix < 0 || isMulticastIp(addr)) return -EINVAL;
  if (primary === addr) return 0;
  if (primary) k.delAddress(dev, primary);
  return k.addAddress(dev, addr, prefix);
}

/** SIOCSIFNETMASK: a new prefix for the primary address (its routes follow). */
export function devinetSetNetmask(k: Kernel, dev: NetDevice, prefix: number, cred: Cred): number {
  const err = check(k, dev, cred);
  if (err) return err;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return -EINVAL;
  const ifa = k.inDev(dev).addrs[0];
  if (!ifa) return -EADDRNOTAVAIL;
  if (ifa.prefixLen === prefix) return 0;
  const local = ifa.local;
  k.delAddress(dev, local);
  return k.addAddress(dev, local, prefix);
}

/**
 * RTM_NEWADDR (`ip addr add`): -EEXIST if the device has the address already.
 * `brd` is IFA_BROADCAST: 0 when the request has none (no broadcast is set).
 */
export function inetRtmNewAddr(
  k: Kernel,
  dev: NetDevice,
  addr: number,
  prefix: number,
  cred: Cred,
  brd = 0,
): number {
  const err = check(k, dev, cred);
  if (err) return err;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32 || isMulticastIp(addr)) return -EINVAL;
  return k.addAddress(dev, addr, prefix, brd);
}

/**
 * RTM_DELADDR (`ip addr del`): the address, and its prefix when one is
 * given; -EADDRNOTAVAIL when the device has no such address.
 */
export function inetRtmDelAddr(
  k: Kernel,
  dev: NetDevice,
  addr: number,
  prefix: number | null,
  cred: Cred,
): number {
  const err = check(k, dev, cred);
  if (err) return err;
  const ifa = k.inDev(dev).addrs.find((a) => a.local === addr);
  if (!ifa || (prefix !== null && ifa.prefixLen !== prefix)) return -EADDRNOTAVAIL;
  return k.delAddress(dev, addr);
}
