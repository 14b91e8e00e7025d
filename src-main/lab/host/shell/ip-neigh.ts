import {
  NUD_DELAY,
  NUD_NAMES,
  NUD_NOARP,
  NUD_PERMANENT,
  NUD_PROBE,
  NUD_REACHABLE,
  NUD_STALE,
  NUD_VALID,
} from '../../kernel/neigh';
import { capableNetAdmin } from '../../netdev/cred';
import { strerror } from '../../netdev/errno';
import { formatIpv4, parseIpv4, parseIpv4Prefix, prefixToMask } from '../../wire/ipv4-addr';
import { formatMac, parseMac } from '../../wire/mac';
import type { CommandContext } from './context';
import { incomplete } from './ip-link';

/** States in which the kernel reports a link-layer address (NUD_VALID). */
const HAS_LLADDR = NUD_VALID;

const NUD_BY_NAME: Record<string, number> = {
  permanent: NUD_PERMANENT,
  reachable: NUD_REACHABLE,
  stale: NUD_STALE,
  noarp: NUD_NOARP,
  delay: NUD_DELAY,
  probe: NUD_PROBE,
};

/**
 * `ip neigh add|replace|change|del ADDR [lladdr MAC] dev DEV [nud STATE]` (iproute2 6.1
 * `ipneigh_modify`): an entry of the user's, PERMANENT unless `nud` says otherwise.
 */
export function ipNeighModify(ctx: CommandContext, cmd: string, args: string[]): number {
  let dst: string | null = null;
  let lladdr: string | null = null;
  let devName: string | null = null;
  let state = NUD_PERMANENT;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'lladdr' || a === 'dev' || a === 'nud') {
      const v = args[++i];
      if (v === undefined) return incomplete(ctx);
      if (a === 'lladdr') lladdr = v;
      else if (a === 'dev') devName = v;
      else {
        const s = NUD_BY_NAME[v];
        if (s === undefined) {
          ctx.job.print(`Error: argument "${v}" is wrong: nud state is bad`);
          return 255;
        }
        state = s;
      }
    } else {
      const v = a === 'to' ? args[++i] : a;
      if (v === undefined) return incomplete(ctx);
      if (dst !== null) {
        ctx.job.print(`Error: either "to" is duplicate, or "${v}" is a garbage.`);
        return 255;
      }
      dst = v;
    }
  }
  if (dst === null || devName === null) {
    ctx.job.print('Device and destination are required arguments.');
    return 255;
  }
  const ip = parseIpv4(dst);
  if (ip === null) {
    ctx.job.print(`Error: an inet address is expected rather than "${dst}".`);
    return 1;
  }
  const dev = ctx.kernel.devByName(devName);
  if (!dev) {
    ctx.job.print(`Cannot find device "${devName}"`);
    return 1;
  }
  if (!capableNetAdmin(ctx.cred)) {
    ctx.job.print('RTNETLINK answers: Operation not permitted');
    return 2;
  }
  const k = ctx.kernel;
  let err: number;
  if (cmd === 'del') err = k.neigh.adminDelete(ip, dev);
  else {
    const mac = lladdr === null ? null : parseMac(lladdr);
    if (lladdr !== null && mac === null) {
      ctx.job.print(`"${lladdr}" is invalid lladdr.`);
      return 255;
    }
    // Without lladdr the kernel keeps the entry's address (zero for a new one).
    const addr = mac ?? k.neigh.lookup(ip, dev)?.lladdr ?? new Uint8Array(6);
    err = k.neigh.adminUpdate(ip, dev, addr, state, cmd === 'add');
  }
  if (err === 0) return 0;
  ctx.job.print(`RTNETLINK answers: ${strerror(err)}`);
  return 2;
}

/** `ip neigh [show] [[to] PREFIX] [dev NAME]`: `10.0.0.2 dev eth0 lladdr 02:… REACHABLE`. */
export function ipNeighShow(ctx: CommandContext, args: string[]): number {
  const k = ctx.kernel;
  let name: string | null = null;
  let to: { addr: number; mask: number } | null = null;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === 'dev') {
      name = args[++i] ?? null;
      if (name === null) return incomplete(ctx);
      continue;
    }
    const text = args[i] === 'to' ? args[++i] : args[i];
    if (text === undefined) return incomplete(ctx);
    if (to !== null) {
      ctx.job.print(`Error: either "to" is duplicate, or "${text}" is a garbage.`);
      return 1;
    }
    const p = parseIpv4Prefix(text);
    if (!p) {
      ctx.job.print(`Error: any valid prefix is expected rather than "${text}".`);
      return 1;
    }
    to = { addr: p.addr, mask: prefixToMask(p.prefix) };
  }
  if (name !== null && !k.devByName(name)) {
    ctx.job.print(`Cannot find device "${name}"`);
    return 1;
  }
  for (const n of k.neigh.entries) {
    if (name !== null && n.dev.name !== name) continue;
    if (to !== null && ((n.ip ^ to.addr) & to.mask) !== 0) continue;
    const ll = n.state & HAS_LLADDR ? ` lladdr ${formatMac(n.lladdr)}` : '';
    // With `dev`, iproute2 does not repeat the device on each line.
    const on = name !== null ? '' : ` dev ${n.dev.name}`;
    // iproute2 6.1 prints each state flag as "%s ": the line ends in a space.
    ctx.job.print(`${formatIpv4(n.ip)}${on}${ll} ${NUD_NAMES[n.state] ?? 'NONE'} `);
  }
  return 0;
}
