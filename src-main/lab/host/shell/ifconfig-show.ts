import { netDevColumns } from '../../kernel/proc/net-dev';
import type { Kernel } from '../../kernel/kernel';
import type { Cred } from '../../netdev/cred';
import { devIoctl } from '../../netdev/dev-ioctl';
import { flagNames, IFF_BROADCAST } from '../../netdev/flags';
import {
  SIOCGIFFLAGS,
  SIOCGIFHWADDR,
  SIOCGIFMAP,
  SIOCGIFMTU,
  SIOCGIFTXQLEN,
} from '../../netdev/ioctl';
import type { NetDevice } from '../../netdev/net-device';
import type { IfReq } from '../../netdev/ops';
import { formatIpv4 } from '../../wire/ipv4-addr';
import { formatMac } from '../../wire/mac';

const UNITS: [number, string][] = [
  [1024 ** 5, 'PiB'],
  [1024 ** 4, 'TiB'],
  [1024 ** 3, 'GiB'],
  [1024 ** 2, 'MiB'],
  [1024, 'KiB'],
];

/** net-tools' `(1.4 KiB)`: tenths, truncated, in the largest unit the count exceeds. */
export function humanBytes(n: number): string {
  let tenths = n * 10;
  let unit = 'B';
  for (const [size, name] of UNITS) {
    if (n > size) {
      tenths = Math.floor(tenths / size);
      unit = name;
      break;
    }
  }
  return `${Math.floor(tenths / 10)}.${tenths % 10} ${unit}`;
}

/**
 * One interface as net-tools' `ife_print_long` prints it: the flags line,
 * the IPv4 address, the hardware address, the /proc/net/dev counters (the
 * same folded columns ifconfig parses from that file) and the resources.
 * Everything comes through the get ioctls a user may issue.
 */
export function ifconfigLines(k: Kernel, dev: NetDevice, cred: Cred): string[] {
  const ifr: IfReq = {};
  devIoctl(dev, SIOCGIFFLAGS, ifr, cred);
  devIoctl(dev, SIOCGIFMTU, ifr, cred);
  devIoctl(dev, SIOCGIFHWADDR, ifr, cred);
  devIoctl(dev, SIOCGIFMAP, ifr, cred);
  devIoctl(dev, SIOCGIFTXQLEN, ifr, cred);
  const flags = ifr.flags ?? 0;
  const names = flagNames(flags);
  const flagText = names.length > 0 ? `flags=${flags}<${names.join(',')}>` : `flags=${flags}`;
  const lines = [`${dev.name}: ${flagText}  mtu ${ifr.mtu}`];
  const ifa = k.inDev(dev).addrs[0];
  if (ifa) {
    let inet = `        inet ${formatIpv4(ifa.local)}  netmask ${formatIpv4(ifa.mask)}`;
    if (flags & IFF_BROADCAST) inet += `  broadcast ${formatIpv4(ifa.brd)}`;
    lines.push(inet);
  }
  // net-tools prints the hardware address by its family: none for ARPHRD_LOOPBACK.
  if (dev.type === 'loopback') lines.push(`        loop  txqueuelen ${ifr.qlen}  (Local Loopback)`);
  else lines.push(`        ether ${formatMac(ifr.hwaddr!)}  txqueuelen ${ifr.qlen}  (Ethernet)`);
  const c = netDevColumns(dev);
  lines.push(
    `        RX packets ${c.rxPackets}  bytes ${c.rxBytes} (${humanBytes(c.rxBytes)})`,
    `        RX errors ${c.rxErrs}  dropped ${c.rxDrop}  overruns ${c.rxFifo}  frame ${c.rxFrame}`,
    `        TX packets ${c.txPackets}  bytes ${c.txBytes} (${humanBytes(c.txBytes)})`,
    `        TX errors ${c.txErrs}  dropped ${c.txDrop} overruns ${c.txFifo}  carrier ${c.carrier}  collisions ${c.colls}`,
  );
  const map = ifr.map!;
  if (map.irq || map.memStart || map.dma || map.baseAddr >= 0x100) {
    let line = '        device ';
    if (map.irq) line += `interrupt ${map.irq}  `;
    if (map.baseAddr >= 0x100) line += `base 0x${map.baseAddr.toString(16)}  `;
    if (map.memStart) line += `memory 0x${map.memStart.toString(16)}-${map.memEnd.toString(16)}  `;
    if (map.dma) line += `  dma 0x${map.dma.toString(16)}`;
    lines.push(line);
  }
  lines.push('');
  return lines;
}
