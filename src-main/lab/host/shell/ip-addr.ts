import { inetRtmDelAddr, inetRtmNewAddr } from '../../kernel/devinet';
import type { Kernel } from '../../kernel/kernel';
import { capableNetAdmin } from '../../netdev/cred';
import { EADDRNOTAVAIL, EEXIST, EPERM, strerror } from '../../netdev/errno';
import type { NetDevice } from '../../netdev/net-device';
import { formatIpv4, isLoopbackIp, parseIpv4, parseIpv4Prefix } from '../../wire/ipv4-addr';
import type { CommandContext } from './context';
import { incomplete, linkLines } from './ip-link';

/**
 * The address lines of `ip addr` for one device. An address whose subnet an
 * earlier address already covers is `secondary`, as Linux marks it.
 */
function addrLines(k: Kernel, dev: NetDevice): string[] {
  const lines: string[] = [];
  const addrs = k.inDev(dev).addrs;
  addrs.forEach((a, i) => {
    const secondary = addrs
      .slice(0, i)
      .some((p) => p.prefixLen === a.prefixLen && ((p.local ^ a.local) & a.mask) === 0);
    const brd = a.brd ? ` brd ${formatIpv4(a.brd)}` : '';
    // iproute2 asks scope host for a loopback address (`default_scope`), global otherwise.
    const scope = isLoopbackIp(a.local) ? 'host' : 'global';
    lines.push(
      `    inet ${formatIpv4(a.local)}/${a.prefixLen}${brd} ` +
        `scope ${scope} ${secondary ? 'secondary ' : ''}${dev.name}`,
      '       valid_lft forever preferred_lft forever',
    );
  });
  return lines;
}

/** `ip addr [show] [dev] [NAME]` */
export function ipAddrShow(ctx: CommandContext, args: string[]): number {
  const k = ctx.kernel;
  let name: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] === 'dev' ? args[++i] : args[i];
    if (a === undefined) return incomplete(ctx);
    name = a;
  }
  const devs = name === null ? k.devices : k.devices.filter((d) => d.name === name);
  if (name !== null && devs.length === 0) {
    ctx.job.print(`Device "${name}" does not exist.`);
    return 1;
  }
  for (const dev of devs) ctx.job.print(...linkLines(dev, ctx.cred, false), ...addrLines(k, dev));
  return 0;
}

/** `ip addr add|del ADDR[/PREFIX] dev NAME` (RTM_NEWADDR / RTM_DELADDR). */
export function ipAddrChange(ctx: CommandContext, add: boolean, args: string[]): number {
  const out = ctx.job;
  let prefixText: string | null = null;
  let name: string | null = null;
  let brdText: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'broadcast' || a === 'brd') {
      const v = args[++i];
      if (v === undefined) return incomplete(ctx);
      brdText = v;
    } else if (a === 'dev') {
      const v = args[++i];
      if (v === undefined) return incomplete(ctx);
      name = v;
    } else if (a === 'local' || prefixText === null) {
      const v = a === 'local' ? args[++i] : a;
      if (v === undefined) return incomplete(ctx);
      prefixText = v;
    } else {
      out.print(`Error: either "local" is duplicate, or "${a}" is a garbage.`);
      return 1;
    }
  }
  if (prefixText === null) {
    out.print(
      add ? 'Not enough information: "local" argument is required.' : 'Address is required.',
    );
    return 1;
  }
  const p = parseIpv4Prefix(prefixText);
  if (!p) {
    out.print(`Error: any valid prefix is expected rather than "${prefixText}".`);
    return 1;
  }
  if (name === null) {
    out.print('Not enough information: "dev" argument is required.');
    return 1;
  }
  // `brd +` / `brd -`: the subnet's broadcast with all host bits set, or cleared.
  let brd = 0;
  if (brdText !== null) {
    const hostBits = p.prefix >= 31 ? 0 : ~(0xffffffff << (32 - p.prefix)) >>> 0;
    const net = (p.addr & ~hostBits) >>> 0;
    const parsed =
      brdText === '+' ? (net | hostBits) >>> 0 : brdText === '-' ? net : parseIpv4(brdText);
    if (parsed === null) {
      out.print(`Error: inet address is expected rather than "${brdText}".`);
      return 1;
    }
    brd = p.prefix >= 31 && (brdText === '+' || brdText === '-') ? 0 : parsed;
  }
  const k = ctx.kernel;
  const dev = k.devByName(name);
  if (!dev) {
    out.print(`Cannot find device "${name}"`);
    return 1;
  }
  // rtnetlink checks CAP_NET_ADMIN before anything else; devinet checks it again.
  const hasPrefix = prefixText.includes('/');
  const ret = !capableNetAdmin(ctx.cred)
    ? -EPERM
    : add
      ? inetRtmNewAddr(k, dev, p.addr, p.prefix, ctx.cred, brd)
      : inetRtmDelAddr(k, dev, p.addr, hasPrefix ? p.prefix : null, ctx.cred);
  if (ret < 0) {
    // The kernel's extended ack (NL_SET_ERR_MSG) where it gives one, else the errno's words.
    if (add && ret === -EEXIST) out.print('Error: ipv4: Address already assigned.');
    else if (!add && ret === -EADDRNOTAVAIL) out.print('Error: ipv4: Address not found.');
    else out.print(`RTNETLINK answers: ${strerror(ret)}`);
    return 2;
  }
  return 0;
}
