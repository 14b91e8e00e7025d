import { devinetSetAddr, devinetSetNetmask } from '../../kernel/devinet';
import { EBUSY, ENODEV, strerror } from '../../netdev/errno';
import { IFF_ALLMULTI, IFF_PROMISC, IFF_RUNNING, IFF_UP } from '../../netdev/flags';
import {
  SIOCGIFFLAGS,
  SIOCGIFMAP,
  SIOCSIFHWADDR,
  SIOCSIFMAP,
  SIOCSIFMTU,
  SIOCSIFTXQLEN,
} from '../../netdev/ioctl';
import type { IfReq } from '../../netdev/ops';
import { maskToPrefix, parseIpv4 } from '../../wire/ipv4-addr';
import { parseMac } from '../../wire/mac';
import type { Command, CommandContext } from './context';
import { changeFlags, ioctlByName, parseCNumber } from './devices';
import { ifconfigLines } from './ifconfig-show';

const USAGE = [
  'Usage:',
  '  ifconfig [-a] [-v] [-s] <interface> [[<AF>] <address>]',
  '  [netmask <address>]',
  '  [hw <HW> <address>]  [mtu <NN>]',
  '  [[-]allmulti]  [[-]promisc]',
  '  [io_addr <NN>]  [irq <NN>]',
  '  [txqueuelen <NN>]',
  '  [up|down] ...',
  '',
  '  <HW>=Hardware Type.',
  '  List of possible hardware types:',
  '    ether (Ethernet)',
  '  <AF>=Address family. Default: inet',
  '  List of possible address families:',
  '    inet (DARPA Internet)',
];
/** net-tools' E_USAGE */
const EXIT_USAGE = 3;

/** The `atoi` net-tools applies to mtu and irq: leading digits, else 0. */
function atoi(text: string): number {
  const m = /^\s*([-+]?\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

/**
 * `ifconfig [-a] [IFACE [options…]]` as net-tools does it: with no options it
 * shows interfaces (only those up, unless -a); otherwise it applies each
 * option in order through the interface ioctls, reporting each failure the
 * way net-tools does and carrying on with the next one.
 */
export const ifconfig: Command = (ctx, args) => {
  const out = ctx.job;
  let all = false;
  let i = 0;
  for (; i < args.length && args[i].startsWith('-'); i++) {
    const opt = args[i];
    if (opt === '-a') all = true;
    else if (opt === '-v' || opt === '-s') continue;
    else if (['-?', '-h', '-help', '--help'].includes(opt)) {
      out.print(...USAGE);
      return EXIT_USAGE;
    } else {
      out.print(
        `ifconfig: option \`${opt}' not recognised.`,
        "ifconfig: `--help' gives usage information.",
      );
      return 1;
    }
  }
  const k = ctx.kernel;
  if (i === args.length) {
    // net-tools keeps its interface list sorted by name (`add_interface` with `nstrcmp`).
    for (const dev of [...k.devices].sort((a, b) => nstrcmp(a.name, b.name))) {
      const ifr: IfReq = {};
      ioctlByName(k, dev.name, SIOCGIFFLAGS, ifr, ctx.cred);
      if (all || (ifr.flags ?? 0) & IFF_UP) out.print(...ifconfigLines(k, dev, ctx.cred));
    }
    return 0;
  }
  const name = args[i++];
  if (i === args.length) {
    const dev = k.devByName(name);
    if (!dev) {
      out.print(`${name}: error fetching interface information: Device not found`);
      return 1;
    }
    out.print(...ifconfigLines(k, dev, ctx.cred));
    return 0;
  }
  return configure(ctx, name, args.slice(i));
};

function configure(ctx: CommandContext, name: string, opts: string[]): number {
  const out = ctx.job;
  const k = ctx.kernel;
  const cred = ctx.cred;
  let goterr = 0;
  let neednetmask: number | null = null;
  const flag = (set: number, clear: number) => {
    const r = changeFlags(k, name, set, clear, cred);
    if (r === null) return;
    goterr = 1;
    if (r.step === 'get')
      out.print(`${name}: ERROR while getting interface flags: ${strerror(r.err)}`);
    else out.print(`SIOCSIFFLAGS: ${strerror(r.err)}`);
  };
  const stillSet = (bit: number, what: string) => {
    const ifr: IfReq = {};
    if (ioctlByName(k, name, SIOCGIFFLAGS, ifr, cred) === 0 && (ifr.flags ?? 0) & bit) {
      out.print(`Warning: Interface ${name} still in ${what}`);
    }
  };
  const ioctl = (label: string, cmd: number, ifr: IfReq) => {
    const ret = ioctlByName(k, name, cmd, ifr, cred);
    if (ret < 0) {
      out.print(`${label}: ${strerror(ret)}`);
      goterr = 1;
    }
    return ret;
  };
  // `irq N` and `io_addr N`: read the ifmap, change one field, write it back.
  const setMap = (what: 'irq' | 'io_addr', value: string) => {
    const ifr: IfReq = {};
    const got = ioctlByName(k, name, SIOCGIFMAP, ifr, cred);
    if (got < 0) {
      out.print(`${what}: SIOCGIFMAP: ${strerror(got)}`);
      goterr = 1;
      return;
    }
    const map = ifr.map!;
    if (what === 'irq') map.irq = atoi(value);
    else map.baseAddr = parseCNumber(value) ?? 0;
    ioctl(`${what}: SIOCSIFMAP`, SIOCSIFMAP, { map });
  };

  for (let i = 0; i < opts.length; i++) {
    const opt = opts[i];
    const needArg = () => {
      if (i + 1 >= opts.length) return null;
      return opts[++i];
    };
    switch (opt) {
      case 'up':
        flag(IFF_UP | IFF_RUNNING, 0);
        continue;
      case 'down':
        flag(0, IFF_UP);
        continue;
      case 'promisc':
        flag(IFF_PROMISC, 0);
        continue;
      case '-promisc':
        flag(0, IFF_PROMISC);
        stillSet(IFF_PROMISC, 'promisc mode... maybe other application is running?');
        continue;
      case 'allmulti':
        flag(IFF_ALLMULTI, 0);
        continue;
      case '-allmulti':
        flag(0, IFF_ALLMULTI);
        stillSet(IFF_ALLMULTI, 'ALLMULTI mode.');
        continue;
      case 'mtu': {
        const v = needArg();
        if (v === null) return usage(ctx);
        ioctl('SIOCSIFMTU', SIOCSIFMTU, { mtu: atoi(v) });
        continue;
      }
      case 'txqueuelen': {
        const v = needArg();
        if (v === null) return usage(ctx);
        // strtoul wraps a negative count to a huge one, which the kernel's int sees as negative.
        ioctl('SIOCSIFTXQLEN', SIOCSIFTXQLEN, { qlen: v.trim().startsWith('-') ? -1 : atoi(v) });
        continue;
      }
      case 'irq':
      case 'io_addr': {
        const v = needArg();
        if (v === null) return usage(ctx);
        setMap(opt, v);
        continue;
      }
      case 'hw': {
        const type = needArg();
        if (type !== 'ether') return usage(ctx);
        const text = needArg();
        if (text === null) return usage(ctx);
        const mac = parseMac(text);
        if (!mac) {
          out.print(`${text}: invalid ether address.`);
          goterr = 1;
          continue;
        }
        const ret = ioctlByName(k, name, SIOCSIFHWADDR, { hwaddr: mac }, cred);
        if (ret === -EBUSY) {
          out.print(`SIOCSIFHWADDR: ${strerror(ret)} - you may need to down the interface`);
          goterr = 1;
        } else if (ret < 0) {
          out.print(`SIOCSIFHWADDR: ${strerror(ret)}`);
          goterr = 1;
        }
        continue;
      }
      case 'netmask': {
        const v = needArg();
        if (v === null) return usage(ctx);
        const mask = parseIpv4(v);
        if (mask === null) {
          out.print(`${v}: Unknown host`);
          goterr = 1;
          continue;
        }
        const prefix = maskToPrefix(mask);
        netmask(prefix < 0 ? NaN : prefix);
        continue;
      }
      case 'inet':
        continue; // the address family name before an address
    }
    // Anything else is an address, maybe with /prefix.
    const slash = opt.indexOf('/');
    const addrText = slash < 0 ? opt : opt.slice(0, slash);
    if (slash >= 0) {
      const p = opt.slice(slash + 1);
      if (!/^\d{1,2}$/.test(p) || Number(p) > 32) return usage(ctx);
      neednetmask = Number(p);
    }
    const addr = parseIpv4(addrText);
    if (addr === null) {
      out.print(`${addrText}: Unknown host`, "ifconfig: `--help' gives usage information.");
      return 1;
    }
    const ret = k.devByName(name) ? devinetSetAddr(k, k.devByName(name)!, addr, cred) : -ENODEV;
    if (ret < 0) {
      out.print(`SIOCSIFADDR: ${strerror(ret)}`);
      goterr = 1;
    }
    // net-tools brings the interface up after setting an address.
    flag(IFF_UP | IFF_RUNNING, 0);
  }
  if (neednetmask !== null) netmask(neednetmask);
  return goterr;

  function netmask(prefix: number) {
    const dev = k.devByName(name);
    const ret = dev ? devinetSetNetmask(k, dev, prefix, cred) : -ENODEV;
    if (ret < 0) {
      out.print(`SIOCSIFNETMASK: ${strerror(ret)}`);
      goterr = 1;
    }
  }
}

function usage(ctx: CommandContext): number {
  ctx.job.print(...USAGE);
  return EXIT_USAGE;
}

/**
 * net-tools' `nstrcmp`: names compared as text, but a run of digits at the same place as a
 * number, so eth2 sorts before eth10.
 */
export function nstrcmp(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}
