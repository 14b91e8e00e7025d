import { devIoctl } from '../../netdev/dev-ioctl';
import { ENODEV, strerror } from '../../netdev/errno';
import { SIOCADDMULTI, SIOCDELMULTI } from '../../netdev/ioctl';
import { formatIpv4 } from '../../wire/ipv4-addr';
import { formatMac, parseMac } from '../../wire/mac';
import type { CommandContext } from './context';
import { incomplete } from './ip-link';

/**
 * `ip maddr [show] [dev NAME]`: per device, its hardware multicast list
 * (`link`, from /proc/net/dev_mcast) then its IPv4 groups (`inet`, from
 * /proc/net/igmp), with `users N` when not 1 and `static` for addresses a
 * user added with SIOCADDMULTI.
 */
export function ipMaddrShow(ctx: CommandContext, args: string[]): number {
  const k = ctx.kernel;
  let name: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] === 'dev' ? args[++i] : args[i];
    if (a === undefined) return incomplete(ctx);
    name = a;
  }
  if (name !== null && !k.devByName(name)) {
    ctx.job.print(`Device "${name}" does not exist.`);
    return 1;
  }
  for (const dev of k.devices) {
    if (name !== null && dev.name !== name) continue;
    const lines: string[] = [];
    for (const ha of dev.mc) {
      let line = `\tlink  ${formatMac(ha.addr)}`;
      if (ha.refcount !== 1) line += ` users ${ha.refcount}`;
      if (ha.globalUse) line += ' static';
      lines.push(line);
    }
    for (const m of k.inDev(dev).mcList) {
      lines.push(`\tinet  ${formatIpv4(m.group)}${m.users !== 1 ? ` users ${m.users}` : ''}`);
    }
    if (lines.length > 0) ctx.job.print(`${dev.ifindex}:\t${dev.name}`, ...lines);
  }
  return 0;
}

/**
 * `ip maddr add|del MAC dev NAME`: iproute2 does this with SIOCADDMULTI /
 * SIOCDELMULTI, not netlink, so its errors read `ioctl: …`.
 */
export function ipMaddrChange(ctx: CommandContext, add: boolean, args: string[]): number {
  const out = ctx.job;
  let name: string | null = null;
  let mac: Uint8Array | null = null;
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    if (a === 'dev') {
      const v = args[++i];
      if (v === undefined) return incomplete(ctx);
      if (name !== null) {
        out.print(`Error: duplicate "dev": "${v}" is the second value.`);
        return 255;
      }
      name = v;
      continue;
    }
    if (a === 'address') {
      const v = args[++i];
      if (v === undefined) return incomplete(ctx);
      a = v;
    }
    if (mac !== null) {
      out.print(`Error: duplicate "address": "${a}" is the second value.`);
      return 255;
    }
    mac = parseMac(a);
    if (!mac) {
      out.print(`Error: "${a}" is not a legal ll address.`);
      return 1;
    }
  }
  if (name === null) {
    out.print('Not enough information: "dev" is required.');
    return 255;
  }
  if (mac === null) {
    out.print('Not enough information: "address" is required.');
    return 255;
  }
  const dev = ctx.kernel.devByName(name);
  const ret = dev
    ? devIoctl(dev, add ? SIOCADDMULTI : SIOCDELMULTI, { hwaddr: mac }, ctx.cred)
    : -ENODEV;
  if (ret < 0) {
    out.print(`ioctl: ${strerror(ret)}`);
    return 1;
  }
  return 0;
}
