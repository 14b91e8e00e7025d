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
  /** h2 (or `host`) joins 239.1.1.1 on eth0 (and stays joined until `leave`). */
  | { op: 'join'; host?: 2 | 3 }
  /** h2 (or `host`) leaves 239.1.1.1 (IP_DROP_MEMBERSHIP: its kernel sends a leave). */
  | { op: 'leave'; host?: 2 | 3 }
  /** Notes each switch port's tx_packets, for `count`. */
  | { op: 'mark' }
  /** Prints how many frames each switch port sent since `mark`. */
  | { op: 'count' }
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

/** One bridge scenario: its steps and the fixture they are recorded in (`fixtures/ID.json`). */
export interface BridgeScenario {
  id: string;
  title: string;
  steps: BridgeStep[];
}

/**
 * `bridge fdb add/replace/del` (master and self, each state), `bridge mdb add/del`, a port's
 * `bridge_slave` details and multicast options, and how a leave ends a membership: with the
 * bridge the querier, a group-specific query out of the member's port and the mdb entry gone
 * 2 s (last member count × interval) later, that port's next general query then; on a
 * fast-leave port at once.
 */
export const BRIDGE_FDB_LEAVE_STEPS: BridgeStep[] = [
  ...BRIDGE_SETUP.map((cmd): BridgeStep => ({ op: 'sw', cmd })),
  { op: 'wait', ms: 500 },
  { op: 'sw', cmd: 'bridge fdb add 02:00:00:00:00:99 dev eth0 master static' },
  { op: 'sw', cmd: 'bridge fdb add 02:00:00:00:00:98 dev eth1 master' },
  { op: 'sw', cmd: 'bridge fdb add 02:00:00:00:00:97 dev eth2 self' },
  { op: 'sw', cmd: 'bridge fdb add 02:00:00:00:00:99 dev eth0 master static' },
  { op: 'sw', cmd: 'bridge fdb replace 02:00:00:00:00:99 dev eth1 master static' },
  { op: 'sw', cmd: 'bridge fdb add 02:00:00:00:00:96 dev br0 self' },
  { op: 'sw', cmd: 'bridge fdb add 02:00:00:00:00:95 dev br0 master' },
  { op: 'sw', cmd: 'bridge fdb add 02:00:00:00:00:94 dev eth2 master dynamic' },
  { op: 'sw', cmd: 'bridge fdb add 02:00:00:00:00:93 dev eth2 master bogus' },
  { op: 'sw', cmd: 'bridge fdb add 02:00:00:00:00:93' },
  { op: 'sw', cmd: 'bridge fdb add zz dev eth2' },
  { op: 'sw', cmd: 'bridge fdb show' },
  { op: 'sw', cmd: 'bridge fdb show dev br0' },
  { op: 'sw', cmd: 'bridge fdb show dev eth1' },
  { op: 'sw', cmd: 'bridge fdb del 02:00:00:00:00:98 dev eth1 master' },
  { op: 'sw', cmd: 'bridge fdb del 02:00:00:00:00:98 dev eth1 master' },
  { op: 'sw', cmd: 'bridge fdb del 02:00:00:00:00:97 dev eth2 self' },
  { op: 'sw', cmd: 'bridge fdb del 02:00:00:00:00:97 dev eth2' },
  { op: 'sw', cmd: 'bridge fdb show br br0' },
  { op: 'sw', cmd: 'ip -d link show eth1' },
  { op: 'sw', cmd: 'ip link set eth2 type bridge_slave mcast_fast_leave on' },
  { op: 'sw', cmd: 'bridge link set dev eth0 mcast_router 2' },
  { op: 'sw', cmd: 'bridge link set dev eth0 fastleave maybe' },
  { op: 'sw', cmd: 'ip -d link show eth2' },
  { op: 'sw', cmd: 'ip -d link show eth0' },
  { op: 'sw', cmd: 'bridge mdb add dev br0 port eth0 grp 239.1.1.5 permanent' },
  { op: 'sw', cmd: 'bridge mdb add dev br0 port eth0 grp 239.1.1.6' },
  { op: 'sw', cmd: 'bridge mdb add dev br0 port eth0 grp 239.1.1.6' },
  { op: 'sw', cmd: 'bridge mdb add dev br0 port eth0 grp 224.0.0.5' },
  { op: 'sw', cmd: 'bridge mdb add dev br0 port br0 grp 239.1.1.7' },
  { op: 'sw', cmd: 'bridge mdb add dev eth0 port eth0 grp 239.1.1.8' },
  { op: 'sw', cmd: 'bridge -d mdb show' },
  { op: 'sw', cmd: 'bridge mdb del dev br0 port eth0 grp 239.1.1.5' },
  { op: 'sw', cmd: 'bridge mdb del dev br0 port eth0 grp 239.1.1.5' },
  { op: 'sw', cmd: 'bridge mdb del dev br0 port br0 grp 239.1.1.7' },
  { op: 'sw', cmd: 'bridge mdb show' },
  // The bridge as querier. Past 10 s its startup queries are answered (br0's own report for
  // 224.0.0.106 among them, sent at a random time) and the mdb is trusted.
  { op: 'sw', cmd: 'ip link set br0 type bridge mcast_querier 1' },
  { op: 'wait', ms: 500 },
  { op: 'join', host: 2 },
  { op: 'wait', ms: 10500 },
  { op: 'sw', cmd: 'bridge mdb show' },
  // h2 leaves: a group-specific query out eth1 now, eth1's general query 2 s later; the leave
  // itself is flooded (224.0.0.2) out eth0 and eth2.
  { op: 'mark' },
  { op: 'leave', host: 2 },
  { op: 'wait', ms: 1400 },
  { op: 'sw', cmd: 'bridge mdb show' },
  { op: 'count' },
  { op: 'wait', ms: 1200 },
  { op: 'sw', cmd: 'bridge mdb show' },
  { op: 'count' },
  // h3 joins and leaves on a fast-leave port: gone at once, no query.
  { op: 'join', host: 3 },
  { op: 'wait', ms: 3000 },
  { op: 'sw', cmd: 'bridge mdb show' },
  { op: 'mark' },
  { op: 'leave', host: 3 },
  { op: 'sw', cmd: 'bridge mdb show' },
  { op: 'count' },
];

export const describeStep = (s: BridgeStep): string =>
  s.op === 'sw'
    ? s.cmd
    : s.op === 'ping'
      ? `h${s.from} ping h${s.to}`
      : s.op === 'flood'
        ? `h1 sends ${s.count} to 239.1.1.1`
        : s.op === 'join' || s.op === 'leave'
          ? `h${s.host ?? 2} ${s.op}s 239.1.1.1`
          : s.op;

/**
 * What differs on purpose: a veth names its peer (`eth0@eth0`), the lab speaks no IPv6 (Linux
 * keeps 33:33:… and ff02:: entries even with IPv6 disabled), and `addrgenmode` is IPv6's. The
 * gc timer's value depends on when the command runs.
 */
export function normalizeBridge(lines: string[]): string[] {
  return lines
    .filter((l) => !l.includes('33:33:') && !l.includes('ff02::') && l !== '    veth ')
    .map((l) =>
      l
        .replace(/^(\d+: [^:@]+)@[^:]+:/, '$1:')
        // A port's queue/offload limits and maxmtu are its driver's (veth's, the card's).
        .replace(/ maxmtu \d+ $/, ' maxmtu <driver> ')
        .replace(/(locked off)( addrgenmode eui64)? numtxqueues .*$/, '$1 <driver limits>')
        // Linux arms the forward delay timer on the way to forwarding even without STP.
        .replace(/ forward_delay_timer +\d+\.\d\d/, ' forward_delay_timer <t>')
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
