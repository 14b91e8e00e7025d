import type { Command, CommandContext } from './context';
import { ipAddrChange, ipAddrShow } from './ip-addr';
import { ipLinkSet, ipLinkShow } from './ip-link';
import { ipLinkAdd, ipLinkDel } from './ip-link-bridge';
import type { IpOptions } from './ip-link-stats';
import { ipMaddrChange, ipMaddrShow } from './ip-maddr';
import { ipNeighModify, ipNeighShow } from './ip-neigh';
import { ipRouteFlush, ipRouteGet, ipRouteModify, ipRouteShow } from './ip-route';

const USAGE = [
  'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }',
  'where  OBJECT := { address | link | maddress | neighbor | route }',
];

/** iproute2's `matches`: a non-empty prefix of the full word. */
function matches(word: string, full: string): boolean {
  return word.length > 0 && full.startsWith(word);
}

type Sub = (ctx: CommandContext, args: string[], opts: IpOptions) => number;

/**
 * Each object (with the name its help mentions) and its commands, in the
 * order iproute2 tries abbreviations, so `ip a`, `ip l s eth0 up` and
 * `ip maddr sh` mean what they mean there. Without a command, an object shows.
 */
/** `ip neigh`'s commands (`change` is `replace` without create; the lab treats it as replace). */
const NEIGH_COMMANDS: Record<string, Sub> = {
  show: ipNeighShow,
  list: ipNeighShow,
  add: (c, a) => ipNeighModify(c, 'add', a),
  replace: (c, a) => ipNeighModify(c, 'replace', a),
  change: (c, a) => ipNeighModify(c, 'replace', a),
  delete: (c, a) => ipNeighModify(c, 'del', a),
};

const OBJECTS: [string, Record<string, Sub>, string][] = [
  [
    'address',
    {
      add: (c, a) => ipAddrChange(c, true, a),
      delete: (c, a) => ipAddrChange(c, false, a),
      show: ipAddrShow,
      list: ipAddrShow,
    },
    'address',
  ],
  [
    'maddress',
    {
      add: (c, a) => ipMaddrChange(c, true, a),
      delete: (c, a) => ipMaddrChange(c, false, a),
      show: ipMaddrShow,
      list: ipMaddrShow,
    },
    'maddr',
  ],
  [
    'route',
    {
      add: (c, a) => ipRouteModify(c, true, a),
      delete: (c, a) => ipRouteModify(c, false, a),
      list: ipRouteShow,
      show: ipRouteShow,
      get: ipRouteGet,
      flush: ipRouteFlush,
    },
    'route',
  ],
  ['neighbor', NEIGH_COMMANDS, 'neigh'],
  ['neighbour', NEIGH_COMMANDS, 'neigh'],
  [
    'link',
    { add: ipLinkAdd, delete: ipLinkDel, set: ipLinkSet, show: ipLinkShow, list: ipLinkShow },
    'link',
  ],
];

/**
 * The global options before the object, as iproute2 matches them: `-s`,
 * `-stats`, `-statistics` (each one more level), `-d`, `-details`; `--x` is `-x`.
 * Returns how many arguments were options, or -1 after printing iproute2's error.
 */
function parseOptions(ctx: CommandContext, args: string[], opts: IpOptions): number {
  let i = 0;
  for (; i < args.length && args[i].startsWith('-'); i++) {
    let opt = args[i];
    if (opt.startsWith('--')) opt = opt.slice(1);
    if (opt.length > 1 && ('-statistics'.startsWith(opt) || '-stats'.startsWith(opt))) opts.stats++;
    else if (opt.length > 1 && '-details'.startsWith(opt)) opts.details = true;
    else {
      ctx.job.print(`Option "${args[i]}" is unknown, try "ip -help".`);
      return -1;
    }
  }
  return i;
}

/** `ip [OPTIONS] OBJECT [COMMAND] [ARGS…]` for the objects the lab has. */
export const ip: Command = (ctx, all) => {
  const out = ctx.job;
  const opts: IpOptions = { stats: 0, details: false };
  const skip = parseOptions(ctx, all, opts);
  if (skip < 0) return 255;
  const args = all.slice(skip);
  if (args.length === 0 || matches(args[0], 'help')) {
    out.print(...USAGE);
    return args.length === 0 ? 255 : 0;
  }
  const entry = OBJECTS.find(([name]) => matches(args[0], name));
  if (!entry) {
    out.print(`Object "${args[0]}" is unknown, try "ip help".`);
    return 1;
  }
  const [, subs, helpName] = entry;
  const rest = args.slice(1);
  if (rest.length === 0) return subs.show(ctx, [], opts);
  // Commands are listed in the order iproute2 tests them, so `d` is delete and `s` on a link is set.
  const cmd = Object.keys(subs).find((c) => matches(rest[0], c));
  if (cmd === undefined) {
    out.print(`Command "${rest[0]}" is unknown, try "ip ${helpName} help".`);
    return 1;
  }
  return subs[cmd](ctx, rest.slice(1), opts);
};
