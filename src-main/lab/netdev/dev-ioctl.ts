import { capableNetAdmin, type Cred } from './cred';
import { devChangeFlags, devGetFlags, devSetMtu, devSetTxQueueLen } from './dev';
import {
  devGetMap,
  devMcAddGlobal,
  devMcDelGlobal,
  devSetConfig,
  devSetMacAddress,
} from './dev-addr';
import { EINVAL, ENODEV, EOPNOTSUPP, EPERM, ENOTTY } from './errno';
import * as io from './ioctl';
import type { NetDevice } from './net-device';
import type { IfReq } from './ops';

/** Commands that change the device: they need CAP_NET_ADMIN (`dev_ioctl`). */
const PRIVILEGED = new Set([
  io.SIOCSIFFLAGS,
  io.SIOCSIFMTU,
  io.SIOCSIFHWADDR,
  io.SIOCSIFMAP,
  io.SIOCADDMULTI,
  io.SIOCDELMULTI,
  io.SIOCSIFTXQLEN,
]);

/**
 * `dev_ioctl`: one entry for every interface ioctl, whoever calls it (the
 * shell's ifconfig, the API, a test). Get commands fill `ifr`; set commands
 * read it. Returns 0 or a negative errno, exactly as the syscall would.
 */
export function devIoctl(dev: NetDevice, cmd: number, ifr: IfReq, cred: Cred): number {
  if (PRIVILEGED.has(cmd) && !capableNetAdmin(cred)) return -EPERM;
  switch (cmd) {
    case io.SIOCGIFFLAGS:
      ifr.flags = devGetFlags(dev);
      return 0;
    case io.SIOCSIFFLAGS:
      if (!isU32(ifr.flags)) return -EINVAL;
      return devChangeFlags(dev, ifr.flags);
    case io.SIOCGIFMTU:
      ifr.mtu = dev.mtu;
      return 0;
    case io.SIOCSIFMTU:
      if (typeof ifr.mtu !== 'number') return -EINVAL;
      return devSetMtu(dev, ifr.mtu);
    case io.SIOCGIFHWADDR:
      ifr.hwaddr = dev.devAddr.slice();
      return 0;
    case io.SIOCSIFHWADDR:
      if (!(ifr.hwaddr instanceof Uint8Array)) return -EINVAL;
      return devSetMacAddress(dev, ifr.hwaddr);
    case io.SIOCGIFMAP:
      ifr.map = devGetMap(dev);
      return 0;
    case io.SIOCSIFMAP:
      if (!ifr.map) return -EINVAL;
      return devSetConfig(dev, ifr.map);
    case io.SIOCADDMULTI:
    case io.SIOCDELMULTI:
      // Linux refuses multicast ioctls on a device that cannot filter at all.
      if (!dev.ops.setMulticastList || !(ifr.hwaddr instanceof Uint8Array)) return -EINVAL;
      if (!dev.present) return -ENODEV;
      return cmd === io.SIOCADDMULTI
        ? devMcAddGlobal(dev, ifr.hwaddr)
        : devMcDelGlobal(dev, ifr.hwaddr);
    case io.SIOCGIFINDEX:
      ifr.ifindex = dev.ifindex;
      return 0;
    case io.SIOCGIFTXQLEN:
      ifr.qlen = dev.txQueueLen;
      return 0;
    case io.SIOCSIFTXQLEN:
      if (typeof ifr.qlen !== 'number') return -EINVAL;
      return devSetTxQueueLen(dev, ifr.qlen);
  }
  if (cmd >= io.SIOCDEVPRIVATE && cmd <= io.SIOCDEVPRIVATE_LAST) {
    // Any user may reach the driver here; the driver decides who may do what.
    if (!dev.ops.doIoctl) return -EOPNOTSUPP;
    if (!dev.present) return -ENODEV;
    return dev.ops.doIoctl(dev, ifr, cmd, cred);
  }
  return -ENOTTY;
}

function isU32(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}
