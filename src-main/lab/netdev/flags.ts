/** Interface flags from <linux/if.h>, with the names ifconfig prints. */
export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_DEBUG = 0x4;
export const IFF_LOOPBACK = 0x8;
export const IFF_POINTOPOINT = 0x10;
export const IFF_NOTRAILERS = 0x20;
export const IFF_RUNNING = 0x40;
export const IFF_NOARP = 0x80;
export const IFF_PROMISC = 0x100;
export const IFF_ALLMULTI = 0x200;
export const IFF_MULTICAST = 0x1000;

/** Flags a user may set with SIOCSIFFLAGS beyond UP/PROMISC/ALLMULTI (`__dev_change_flags`). */
export const IFF_USER_SETTABLE = IFF_DEBUG | IFF_NOTRAILERS | IFF_NOARP | IFF_MULTICAST;

const NAMES: [number, string][] = [
  [IFF_UP, 'UP'],
  [IFF_BROADCAST, 'BROADCAST'],
  [IFF_DEBUG, 'DEBUG'],
  [IFF_LOOPBACK, 'LOOPBACK'],
  [IFF_POINTOPOINT, 'POINTOPOINT'],
  [IFF_NOTRAILERS, 'NOTRAILERS'],
  [IFF_RUNNING, 'RUNNING'],
  [IFF_NOARP, 'NOARP'],
  [IFF_PROMISC, 'PROMISC'],
  [IFF_ALLMULTI, 'ALLMULTI'],
  [IFF_MULTICAST, 'MULTICAST'],
];

/** `flagNames(0x1043)` is `['UP', 'BROADCAST', 'RUNNING', 'MULTICAST']`. */
export function flagNames(flags: number): string[] {
  return NAMES.filter(([bit]) => flags & bit).map(([, name]) => name);
}
