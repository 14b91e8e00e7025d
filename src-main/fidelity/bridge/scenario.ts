/**
 * The bridge beside the real kernel's: a switch `sw` whose three ports (`eth0`..`eth2`) are
 * cabled to hosts `h1`..`h3` (10.0.0.1..3/24). In the lab the cables are 10 Gbit/s full-duplex
 * segments; on Linux, veth pairs between network namespaces (veth says 10000Mb/s, so a port's
 * cost is 2 on both). br0 is built with the same commands on both sides. MACs are fixed: the
 * hosts 02:00:00:00:00:0N, the switch's ports 02:00:00:00:00:1N.
 */
export type BridgeStep =
  /** A command line on the switch, as root. */
  | { op: 'sw'; cmd: string }
  /** `ping -c 1` from one host to another's address. */
  | { op: 'ping'; from: 1 | 2 | 3; to: 1 | 2 | 3 }
  /** h2 joins 239.1.1.1 on eth0 (and stays joined). */
  | { op: 'join' }
  /** h1 sends `count` UDP datagrams to 239.1.1.1:5000; prints how many frames each switch port sent meanwhile. */
  | { op: 'flood'; count: number }
  | { op: 'wait'; ms: number };

export const BRIDGE_SETUP = [
  'ip link add br0 type bridge',
  'ip link set eth0 master br0',
  'ip link set eth1 master br0',
  'ip link set eth2 master br0',
  'ip link set br0 up',
];

export const BRIDGE_STEPS: BridgeStep[] = [
  ...BRIDGE_SETUP.map((cmd): BridgeStep => ({ op: 'sw', cmd })),
  { op: 'wait', ms: 500 },
  { op: 'join' },
  // h2's unsolicited reports (two, a second apart) are over before anything is counted.
  { op: 'wait', ms: 3000 },
  { op: 'ping', from: 1, to: 2 },
  { op: 'ping', from: 3, to: 1 },
  { op: 'wait', ms: 300 },
  { op: 'sw', cmd: 'bridge link show' },
  { op: 'sw', cmd: 'bridge fdb show' },
  { op: 'sw', cmd: 'bridge mdb show' },
  { op: 'sw', cmd: 'bridge -d mdb show' },
  { op: 'sw', cmd: 'ip -d link show br0' },
  { op: 'sw', cmd: 'ip link show eth1' },
  // Snooping on, no querier: the mdb is not trusted and the group is flooded.
  { op: 'flood', count: 20 },
  // The bridge's own querier: after its 10 s delay, only eth1 (h2's port) gets the group.
  { op: 'sw', cmd: 'ip link set br0 type bridge mcast_querier 1' },
  { op: 'wait', ms: 12000 },
  { op: 'flood', count: 20 },
  { op: 'sw', cmd: 'bridge mdb show' },
  // Snooping off: flooded again.
  { op: 'sw', cmd: 'ip link set br0 type bridge mcast_snooping 0' },
  { op: 'flood', count: 20 },
  { op: 'sw', cmd: 'bridge mdb show' },
];

export const describeStep = (s: BridgeStep): string =>
  s.op === 'sw'
    ? s.cmd
    : s.op === 'ping'
      ? `h${s.from} ping h${s.to}`
      : s.op === 'flood'
        ? `h1 sends ${s.count} to 239.1.1.1`
        : s.op;

/**
 * What differs on purpose: a veth names its peer (`eth0@eth0`), the lab speaks no IPv6 (Linux
 * keeps 33:33:… and ff02:: entries even with IPv6 disabled), and `addrgenmode` is IPv6's. The
 * gc timer's value depends on when the command runs.
 */
export function normalizeBridge(lines: string[]): string[] {
  return lines
    .filter((l) => !l.includes('33:33:') && !l.includes('ff02::'))
    .map((l) =>
      l
        .replace(/^(\d+: [^:@]+)@[^:]+:/, '$1:')
        .replace(/ gc_timer +\d+\.\d\d/, ' gc_timer <t>')
        .replace(' addrgenmode eui64', '')
        .replace(/ qdisc noqueue master/, ' qdisc <default> master')
        .replace(/ qdisc pfifo_fast master/, ' qdisc <default> master')
        .replace(/ link-netns \S+/, ''),
    );
}

/** `eth0 +0 eth1 +20 eth2 +20`: frames each switch port sent during a flood step. */
export function floodLine(before: number[], after: number[]): string {
  return after.map((a, i) => `eth${i} +${a - before[i]}`).join(' ');
}
