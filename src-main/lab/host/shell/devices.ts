import type { Kernel } from '../../kernel/kernel';
import type { Cred } from '../../netdev/cred';
import { devIoctl } from '../../netdev/dev-ioctl';
import { ENODEV } from '../../netdev/errno';
import { IFF_ALLMULTI, IFF_PROMISC } from '../../netdev/flags';
import { SIOCGIFFLAGS, SIOCSIFFLAGS } from '../../netdev/ioctl';
import type { IfReq } from '../../netdev/ops';

/**
 * An ioctl on the interface called `name`, as a tool issues it: the kernel
 * looks the name up (ENODEV when no registered device has it) and passes the
 * request to `devIoctl`, the one path for every interface change.
 */
export function ioctlByName(k: Kernel, name: string, cmd: number, ifr: IfReq, cred: Cred): number {
  const dev = k.devByName(name);
  if (!dev) return -ENODEV;
  return devIoctl(dev, cmd, ifr, cred);
}

/**
 * The read-modify-write of flags that ifconfig's set_flag/clr_flag and
 * `ip link set` do: SIOCGIFFLAGS, set and clear bits, SIOCSIFFLAGS. Returns
 * which step failed (`get`/`set`) with its errno, or null on success.
 *
 * Linux's SIOCGIFFLAGS reports PROMISC and ALLMULTI as the user asked for them
 * (`gflags`), so writing the flags back never turns someone else's
 * promiscuity into the user's. The lab's SIOCGIFFLAGS reports the device's
 * effective flags (a promiscuous-only card's own PROMISC shows), so those two
 * bits are taken from the user's requests before writing back.
 */
export function changeFlags(
  k: Kernel,
  name: string,
  set: number,
  clear: number,
  cred: Cred,
): { step: 'get' | 'set'; err: number } | null {
  const ifr: IfReq = {};
  const err = ioctlByName(k, name, SIOCGIFFLAGS, ifr, cred);
  if (err < 0) return { step: 'get', err };
  const dev = k.devByName(name)!;
  const userBits = IFF_PROMISC | IFF_ALLMULTI;
  let flags = ((ifr.flags ?? 0) & ~userBits) | (dev.gflags & userBits);
  flags = (flags | set) & ~clear;
  const ret = ioctlByName(k, name, SIOCSIFFLAGS, { flags }, cred);
  return ret < 0 ? { step: 'set', err: ret } : null;
}

/** Parses a decimal integer the way the tools' strict parsers do; null for anything else. */
export function parseIntStrict(text: string): number | null {
  if (!/^[-+]?\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/** `strtol(text, NULL, 0)`: decimal, 0x hex or 0 octal; null when nothing parses. */
export function parseCNumber(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (/^0x[0-9a-f]+$/.test(t)) return parseInt(t.slice(2), 16);
  if (/^0[0-7]+$/.test(t)) return parseInt(t.slice(1), 8);
  if (/^\d+$/.test(t)) return Number(t);
  return null;
}
