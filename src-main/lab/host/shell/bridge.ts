import type { NetBridge } from '../../kernel/bridge/net-bridge';
import { devGetFlags } from '../../netdev/dev';
import { devUcList } from '../../netdev/dev-uc';
import { IFF_RUNNING } from '../../netdev/flags';
import type { NetDevice } from '../../netdev/net-device';
import { formatIpv4 } from '../../wire/ipv4-addr';
import { formatMac, writeMacKey } from '../../wire/mac';
import type { Command, CommandContext } from './context';
import { fdbModify, linkModify, mdbModify } from './bridge-modify';
import { portCost } from './ip-link-bridge';
import { linkFlagsText } from './ip-link';

/** IFF_LOWER_UP, as rtnetlink reports carrier. */
const IFF_LOWER_UP = 0x10000;
const macBuf = new Uint8Array(6);
const macText = (key: number) => {
  writeMacKey(macBuf, 0, key);
  return formatMac(macBuf);
};

const USAGE = [
  'Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }',
  'where  OBJECT := { link | fdb | mdb | vlan | monitor }',
  '       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |',
  '                    -o[neline] | -t[imestamp] | -n[etns] name |',
  '                    -c[ompressvlan] -color -p[retty] -j[son] }',
];

/**
 * `bridge [-d] link|fdb|mdb [show] [dev DEV | br BR]` (iproute2 6.1): a bridge's ports, its
 * forwarding database (with every device's own multicast addresses, `self permanent`, as the
 * kernel's default fdb dump gives them) and its multicast database.
 */
export const bridge: Command = (ctx, all) => {
  let details = false;
  let i = 0;
  for (; i < all.length && all[i].startsWith('-'); i++) {
    const o = all[i].replace(/^--/, '-');
    if (o.length > 1 && '-details'.startsWith(o)) details = true;
    else {
      ctx.job.print(`Option "${all[i]}" is unknown, try "bridge help".`);
      return 255;
    }
  }
  const [object, cmd, ...rest] = all.slice(i);
  if (object === undefined) {
    ctx.job.print(...USAGE);
    return 255;
  }
  const isFdb = object.length > 0 && 'fdb'.startsWith(object);
  const isMdb = object.length > 0 && 'mdb'.startsWith(object);
  if (isFdb && ['add', 'append', 'replace', 'del', 'delete'].includes(cmd ?? ''))
    return fdbModify(ctx, cmd === 'delete' ? 'del' : cmd!, rest);
  if (isMdb && ['add', 'del', 'delete'].includes(cmd ?? ''))
    return mdbModify(ctx, cmd === 'add' ? 'add' : 'del', rest);
  if (object.length > 0 && 'link'.startsWith(object) && cmd === 'set') return linkModify(ctx, rest);
  if (cmd !== undefined && !['show', 'list', 'lst', 's'].includes(cmd)) {
    ctx.job.print(`Command "${cmd}" is unknown, try "bridge ${object} help".`);
    return 255;
  }
  const filter = parseFilter(ctx, rest);
  if (typeof filter === 'number') return filter;
  if ('link'.startsWith(object)) return linkShow(ctx, filter.dev);
  if ('fdb'.startsWith(object)) return fdbShow(ctx, filter);
  if ('mdb'.startsWith(object)) return mdbShow(ctx, filter.dev, details);
  ctx.job.print(`Object "${object}" is unknown, try "bridge help".`);
  return 255;
};

function parseFilter(
  ctx: CommandContext,
  args: string[],
): { dev: NetDevice | null; br: NetDevice | null } | number {
  let dev: NetDevice | null = null;
  let br: NetDevice | null = null;
  for (let i = 0; i < args.length; i++) {
    const key = args[i];
    const v = args[++i];
    if ((key !== 'dev' && key !== 'br' && key !== 'brport') || v === undefined) {
      ctx.job.print(`bridge: unknown argument "${key}"`);
      return 255;
    }
    const d = ctx.kernel.devByName(v);
    if (!d) {
      ctx.job.print(`Cannot find device "${v}"`);
      return 1;
    }
    if (key === 'br') br = d;
    else dev = d;
  }
  return { dev, br };
}

/** `bridge link show`: each port, `3: eth1: <…> mtu 1500 master br0 state forwarding priority 32 cost 19 `. */
function linkShow(ctx: CommandContext, dev: NetDevice | null): number {
  const k = ctx.kernel;
  for (const d of k.devices) {
    if (dev && d !== dev) continue;
    const p = k.bridgePortOf(d);
    if (!p) continue;
    let flags = devGetFlags(d);
    if (flags & IFF_RUNNING) flags |= IFF_LOWER_UP;
    ctx.job.print(
      `${d.ifindex}: ${d.name}: ${linkFlagsText(flags)} mtu ${d.mtu} master ${p.br.name} ` +
        `state ${p.br.portState(p)} priority 32 cost ${portCost(k, p)} `,
    );
  }
  return 0;
}

/**
 * `bridge fdb show`: device by device (ifindex order). A port: its entries in its bridge's fdb
 * (newest first, as the kernel's hlist gives them), then its own unicast and multicast lists
 * (`self`). br0: its own lists first, then the bridge's entries with no port
 * (`br_fdb_dump` runs `ndo_dflt_fdb_dump` before them). With `dev`, `dev NAME` is not repeated.
 */
function fdbShow(ctx: CommandContext, f: { dev: NetDevice | null; br: NetDevice | null }): number {
  const k = ctx.kernel;
  for (const d of k.devices) {
    if (f.dev && d !== f.dev) continue;
    const port = k.bridgePortOf(d);
    const own = k.bridgeOf(d);
    const br: NetBridge | undefined = own ?? port?.br;
    if (f.br && br?.dev !== f.br) continue;
    const devPart = f.dev ? '' : `dev ${d.name} `;
    const entries = (dst: unknown) => {
      if (!br) return;
      for (const e of br.fdb.all().reverse()) {
        if (e.dst !== dst) continue;
        const state = e.local ? 'permanent' : e.isStatic ? 'static' : '';
        ctx.job.print(`${macText(e.key)} ${devPart}master ${br.name} ${state}`);
      }
    };
    if (port) entries(port);
    for (const u of devUcList(d)) ctx.job.print(`${macText(u)} ${devPart}self permanent`);
    for (const m of d.mc) ctx.job.print(`${formatMac(m.addr)} ${devPart}self permanent`);
    if (own) entries(null);
  }
  return 0;
}

/** `bridge mdb show`: `dev br0 port eth1 grp 239.1.1.1 temp`, groups newest first. */
function mdbShow(ctx: CommandContext, dev: NetDevice | null, details: boolean): number {
  const k = ctx.kernel;
  for (const br of k.bridges) {
    if (dev && br.dev !== dev) continue;
    const now = k.now;
    for (const e of br.mcast.mdb.all().reverse()) {
      const grp = formatIpv4(e.group);
      if (e.hostJoined && e.hostExpires > now)
        ctx.job.print(`dev ${br.name} port ${br.name} grp ${grp} temp`);
      for (const pg of e.ports) {
        if (pg.expires <= now) continue;
        ctx.job.print(
          `dev ${br.name} port ${pg.port.name} grp ${grp} ${pg.permanent ? 'permanent' : 'temp'}` +
            (details ? ` proto ${pg.proto} ` : ''),
        );
      }
    }
    const routers = br.ports.filter((p) => br.mcast.isRouterPort(p));
    if (details && routers.length > 0)
      ctx.job.print(`router ports on ${br.name}: ${routers.map((p) => `${p.name} `).join('')}`);
  }
  return 0;
}
