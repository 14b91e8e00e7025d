import type { Command, CommandContext } from './context';
import { ipAddrChange, ipAddrShow } from './ip-addr';
import { ipLinkSet, ipLinkShow } from './ip-link';
import { ipMaddrChange, ipMaddrShow } from './ip-maddr';
import { ipNeighShow, ipRouteShow } from './ip-neigh';

const USAGE = [
  'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }',
  'where  OBJECT := { address | link | maddress | neighbor | route }',
];

/** iproute2's `matches`: a non-empty prefix of the full word. */
function matches(word: string, full: string): boolean {
  return word.length > 0 && full.startsWith(word);
}

type Sub = (ctx: CommandContext, args: string[], details: boolean) => number;

/**
 * Each object (with the name its help mentions) and its commands, in the
 * order iproute2 tries abbreviations, so `ip a`, `ip l s eth0 up` and
 * `ip maddr sh` mean what they mean there. Without a command, an object shows.
 */
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
  ['route', { show: (c) => ipRouteShow(c), list: (c) => ipRouteShow(c) }, 'route'],
  ['neighbor', { show: ipNeighShow, list: ipNeighShow }, 'neigh'],
  ['neighbour', { show: ipNeighShow, list: ipNeighShow }, 'neigh'],
  ['link', { set: ipLinkSet, show: ipLinkShow, list: ipLinkShow }, 'link'],
];

/** `ip [-d] OBJECT [COMMAND] [ARGS…]` for the objects the lab has (`-d`: details, on links). */
export const ip: Command = (ctx, all) => {
  const out = ctx.job;
  let details = false;
  let args = all;
  // `-d`, `-det`, `-details` (and `--details`): iproute2 matches options by prefix too.
  while (args.length > 0 && /^--?d(e(t(a(i(ls?)?)?)?)?)?$/.test(args[0])) {
    details = true;
    args = args.slice(1);
  }
  if (args.length > 0 && args[0].startsWith('-')) {
    out.print(`Option "${args[0]}" is unknown, try "ip -help".`);
    return 255;
  }
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
  if (rest.length === 0) return subs.show(ctx, [], details);
  // Commands are listed in the order iproute2 tests them, so `d` is delete and `s` on a link is set.
  const cmd = Object.keys(subs).find((c) => matches(rest[0], c));
  if (cmd === undefined) {
    out.print(`Command "${rest[0]}" is unknown, try "ip ${helpName} help".`);
    return 1;
  }
  return subs[cmd](ctx, rest.slice(1), details);
};
