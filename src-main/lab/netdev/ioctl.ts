/** Socket ioctl codes from <linux/sockios.h> that reach a network device. */
export const SIOCGIFFLAGS = 0x8913;
export const SIOCSIFFLAGS = 0x8914;
export const SIOCGIFMTU = 0x8921;
export const SIOCSIFMTU = 0x8922;
export const SIOCSIFHWADDR = 0x8924;
export const SIOCGIFHWADDR = 0x8927;
export const SIOCADDMULTI = 0x8931;
export const SIOCDELMULTI = 0x8932;
export const SIOCGIFINDEX = 0x8933;
export const SIOCGIFTXQLEN = 0x8942;
export const SIOCSIFTXQLEN = 0x8943;
export const SIOCGIFMAP = 0x8970;
export const SIOCSIFMAP = 0x8971;
/** SIOCDEVPRIVATE..SIOCDEVPRIVATE+15 belong to the driver (`do_ioctl`). */
export const SIOCDEVPRIVATE = 0x89f0;
export const SIOCDEVPRIVATE_LAST = SIOCDEVPRIVATE + 15;

export const IOCTL_NAMES: Record<number, string> = {
  [SIOCGIFFLAGS]: 'SIOCGIFFLAGS',
  [SIOCSIFFLAGS]: 'SIOCSIFFLAGS',
  [SIOCGIFMTU]: 'SIOCGIFMTU',
  [SIOCSIFMTU]: 'SIOCSIFMTU',
  [SIOCSIFHWADDR]: 'SIOCSIFHWADDR',
  [SIOCGIFHWADDR]: 'SIOCGIFHWADDR',
  [SIOCADDMULTI]: 'SIOCADDMULTI',
  [SIOCDELMULTI]: 'SIOCDELMULTI',
  [SIOCGIFINDEX]: 'SIOCGIFINDEX',
  [SIOCGIFTXQLEN]: 'SIOCGIFTXQLEN',
  [SIOCSIFTXQLEN]: 'SIOCSIFTXQLEN',
  [SIOCGIFMAP]: 'SIOCGIFMAP',
  [SIOCSIFMAP]: 'SIOCSIFMAP',
};

export function ioctlName(cmd: number): string {
  if (cmd >= SIOCDEVPRIVATE && cmd <= SIOCDEVPRIVATE_LAST) {
    return cmd === SIOCDEVPRIVATE ? 'SIOCDEVPRIVATE' : `SIOCDEVPRIVATE+${cmd - SIOCDEVPRIVATE}`;
  }
  return IOCTL_NAMES[cmd] ?? `0x${cmd.toString(16)}`;
}
