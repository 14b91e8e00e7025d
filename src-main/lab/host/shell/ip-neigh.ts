import { NUD_NAMES, NUD_DELAY, NUD_PROBE, NUD_REACHABLE, NUD_STALE } from '../../kernel/neigh';
import { formatIpv4, parseIpv4Prefix, prefixToMask } from '../../wire/ipv4-addr';
import { formatMac } from '../../wire/mac';
import type { CommandContext } from './context';
import { incomplete } from './ip-link';

/** States in which the kernel reports a link-layer address (NUD_VALID). */
const HAS_LLADDR = NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE;

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
    // iproute2 6.1 prints each state flag as "%s ": the line ends in a space.
    ctx.job.print(`${formatIpv4(n.ip)} dev ${n.dev.name}${ll} ${NUD_NAMES[n.state] ?? 'NONE'} `);
  }
  return 0;
}
