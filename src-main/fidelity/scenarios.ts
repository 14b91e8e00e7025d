import type { Scenario, Step } from './scenario';

/** Both hosts addressed and up: h0 10.0.0.1, h1 10.0.0.2 on 10.0.0.0/24. */
const UP: Step[] = [
  { host: 'h0', op: 'sh', cmd: 'ip addr add 10.0.0.1/24 brd + dev eth0; ip link set eth0 up' },
  { host: 'h1', op: 'sh', cmd: 'ip addr add 10.0.0.2/24 brd + dev eth0; ip link set eth0 up' },
];

/** A receiver on h1 (port 5000) and a sender on h0. */
const PAIR: Step[] = [
  ...UP,
  { host: 'h1', op: 'udp', name: 'r' },
  { host: 'h1', op: 'bind', name: 'r', port: 5000 },
  { host: 'h0', op: 'udp', name: 's' },
];

const fill = (size: number, count: number): Step => ({
  host: 'h0',
  op: 'send',
  name: 's',
  to: '10.0.0.2',
  port: 5000,
  size,
  count,
});

/** How many datagrams of `size` bytes a socket with SO_RCVBUF `rcvbuf` (0: default) holds. */
function holds(size: number, rcvbuf: number, count: number): Scenario {
  const steps: Step[] = [...PAIR];
  if (rcvbuf !== 0) steps.push({ host: 'h1', op: 'rcvbuf', name: 'r', value: rcvbuf });
  else steps.push({ host: 'h1', op: 'getrcvbuf', name: 'r' });
  steps.push(fill(size, count), { host: 'h1', op: 'read', name: 'r' });
  return {
    id: `rcvbuf-holds-${size}-bytes-${rcvbuf || 'default'}`,
    item: rcvbuf === 1 ? 8 : 3,
    title: `datagrams of ${size} bytes that fit SO_RCVBUF ${rcvbuf || 'default'}`,
    steps,
  };
}

/** Reading `k` from a full default buffer, then 100 more arrive: how many got in. */
function batchRelease(k: number): Scenario {
  return {
    id: `rmem-release-after-${k}`,
    item: 2,
    title: `reading ${k} datagrams from a full buffer gives memory back in batches`,
    steps: [
      ...PAIR,
      fill(18, 300),
      { host: 'h1', op: 'read', name: 'r', count: k },
      fill(18, 100),
      { host: 'h1', op: 'read', name: 'r' },
      { host: 'h1', op: 'sh', cmd: 'cat /proc/net/snmp' },
    ],
  };
}

/**
 * Issue 22's router: h0 (10.0.1.2) — r (10.0.1.1 | 10.0.2.1) — h1 (10.0.2.2). Routes, ip_forward
 * off then on, ping through it (TTL 63), TTL 1 (time exceeded from 10.0.1.1), a net without a
 * route (net unreachable), and the counters on all three.
 */
const ROUTED: Scenario = {
  id: 'router-forwarding',
  item: 22,
  title: 'a router between two LANs: ip route, ip_forward, TTL, ICMP errors, counters',
  topology: 'router',
  steps: [
    { host: 'h0', op: 'sh', cmd: 'ip addr add 10.0.1.2/24 brd + dev eth0; ip link set eth0 up' },
    {
      host: 'r',
      op: 'sh',
      cmd: 'ip addr add 10.0.1.1/24 brd + dev eth0; ip addr add 10.0.2.1/24 brd + dev eth1; ip link set eth0 up; ip link set eth1 up',
    },
    { host: 'h1', op: 'sh', cmd: 'ip addr add 10.0.2.2/24 brd + dev eth0; ip link set eth0 up' },
    { host: 'h0', op: 'sh', cmd: 'ping -c 1 10.0.2.2' },
    {
      host: 'h0',
      op: 'sh',
      cmd: 'ip route add 10.0.2.0/24 via 10.0.1.1; ip route add 10.0.3.0/24 via 10.0.1.1 metric 7; ip route',
    },
    { host: 'h1', op: 'sh', cmd: 'ip route add default via 10.0.2.1; ip route' },
    { host: 'h0', op: 'sh', cmd: 'ip route get 10.0.2.2; ip route get 10.0.1.1' },
    {
      host: 'r',
      op: 'sh',
      cmd: 'sysctl net.ipv4.ip_forward net.ipv4.conf.all.forwarding net.ipv4.conf.eth1.forwarding; ip route',
    },
    { host: 'h0', op: 'sh', cmd: 'ping -c 2 -i 0.2 -W 1 10.0.2.2' },
    { host: 'r', op: 'sh', cmd: 'cat /proc/net/snmp' },
    {
      host: 'r',
      op: 'sh',
      cmd: 'sysctl -w net.ipv4.ip_forward=1; sysctl net.ipv4.conf.all.forwarding net.ipv4.conf.default.forwarding net.ipv4.conf.eth0.forwarding',
    },
    { host: 'h0', op: 'sh', cmd: 'ping -c 2 -i 0.2 10.0.2.2' },
    { host: 'h0', op: 'sh', cmd: 'ping -c 2 -i 0.2 -t 1 10.0.2.2' },
    { host: 'h0', op: 'sh', cmd: 'ping -c 2 -i 0.2 10.0.3.5' },
    { host: 'r', op: 'sh', cmd: 'cat /proc/net/snmp' },
    { host: 'h0', op: 'sh', cmd: 'cat /proc/net/snmp' },
    { host: 'h1', op: 'sh', cmd: 'cat /proc/net/snmp' },
    // Back out the card it came in on, towards a sender on that link: a host redirect. (The
    // gateway it names is h0 itself, which h0's kernel refuses to learn: its route stays.)
    { host: 'r', op: 'sh', cmd: 'ip route add 10.0.9.0/24 via 10.0.1.2' },
    {
      host: 'h0',
      op: 'sh',
      cmd: 'ip route add 10.0.9.0/24 via 10.0.1.1; ping -c 2 -i 0.3 -W 1 10.0.9.1',
    },
    { host: 'r', op: 'sh', cmd: 'cat /proc/net/snmp' },
    { host: 'h0', op: 'sh', cmd: 'cat /proc/net/snmp; ip route get 10.0.9.1' },
    { host: 'r', op: 'sh', cmd: 'ip route del 10.0.2.0/24; ip route get 10.0.2.2; ip route' },
  ],
};

/**
 * Issue 22's router when delivery fails or a datagram is too big: ARP for the next hop
 * unanswered (3 probes, 1 s apart) → ICMP host unreachable to the sender, from the router or,
 * on the sender's own link, from the sender itself; a link of MTU 1000 behind the router: DF
 * clear → the router fragments and h1 reassembles (and fragments its reply, h0 reassembles),
 * DF set → frag needed with the MTU; /proc/net/netstat's IpExt on all three.
 */
const ROUTER_ERRORS: Scenario = {
  id: 'router-unreachable-fragments',
  item: 22,
  title: 'a router: host unreachable on ARP failure, fragments and frag needed, netstat',
  topology: 'router',
  steps: [
    { host: 'h0', op: 'sh', cmd: 'ip addr add 10.0.1.2/24 brd + dev eth0; ip link set eth0 up' },
    {
      host: 'r',
      op: 'sh',
      cmd: 'ip addr add 10.0.1.1/24 brd + dev eth0; ip addr add 10.0.2.1/24 brd + dev eth1; ip link set eth0 up; ip link set eth1 up; sysctl -qw net.ipv4.ip_forward=1',
    },
    {
      host: 'h1',
      op: 'sh',
      cmd: 'ip addr add 10.0.2.2/24 brd + dev eth0; ip link set eth0 up; ip route add default via 10.0.2.1',
    },
    { host: 'h0', op: 'sh', cmd: 'ip route add 10.0.2.0/24 via 10.0.1.1' },
    { host: 'h0', op: 'sh', cmd: 'ping -c 2 -i 0.2 -W 1 10.0.2.2' },
    // Nobody at 10.0.2.9: r's ARP fails after 3 s, each waiting request answered.
    { host: 'h0', op: 'sh', cmd: 'ping -c 3 -i 0.5 -W 6 10.0.2.9' },
    { host: 'r', op: 'sh', cmd: 'ip neigh show 10.0.2.9' },
    // Nobody at 10.0.1.9, on h0's own link: h0's own ARP fails.
    { host: 'h0', op: 'sh', cmd: 'ping -c 2 -i 0.5 -W 6 10.0.1.9' },
    { host: 'r', op: 'sh', cmd: 'cat /proc/net/snmp' },
    { host: 'h0', op: 'sh', cmd: 'cat /proc/net/snmp' },
    // The link behind r gets MTU 1000 at both ends.
    { host: 'r', op: 'sh', cmd: 'ip link set eth1 mtu 1000' },
    { host: 'h1', op: 'sh', cmd: 'ip link set eth0 mtu 1000' },
    { host: 'h0', op: 'sh', cmd: 'ping -c 1 -s 1200 -M dont -W 2 10.0.2.2' },
    // h1's own requests over its MTU: fragmented by default (IP_PMTUDISC_WANT), refused with -M do.
    { host: 'h1', op: 'sh', cmd: 'ping -c 1 -s 1200 -W 2 10.0.1.2' },
    { host: 'h1', op: 'sh', cmd: 'ping -c 1 -s 1200 -M do 10.0.1.2' },
    { host: 'h0', op: 'sh', cmd: 'ping -c 1 -s 1200 -M do -W 2 10.0.2.2' },
    { host: 'h0', op: 'sh', cmd: 'ping -c 1 -s 1200 -M xx 10.0.2.2' },
    { host: 'r', op: 'sh', cmd: 'cat /proc/net/snmp' },
    { host: 'h1', op: 'sh', cmd: 'cat /proc/net/snmp' },
    { host: 'h0', op: 'sh', cmd: 'cat /proc/net/snmp' },
    { host: 'r', op: 'sh', cmd: 'cat /proc/net/netstat' },
    { host: 'h1', op: 'sh', cmd: 'cat /proc/net/netstat' },
    { host: 'h0', op: 'sh', cmd: 'cat /proc/net/netstat' },
  ],
};

/**
 * Issue 22's router sends a redirect that h0 acts on (Linux 6.18's `__ip_do_redirect` for a
 * host: accept_redirects 1, shared_media 1): r routes 10.0.9.0/24 via 10.0.1.5 back out the
 * card it came in on (a station that never answers; r knows its MAC), so it redirects h0 there.
 * While h0 has no MAC for 10.0.1.5 the redirect only starts ARP; once h0 has one (set by
 * hand), the first redirect changes h0's route for that destination: `cache <redirected>`, and
 * the next pings go to 10.0.1.5 directly (r sees no more). With accept_redirects 0, refused.
 */
const ROUTER_REDIRECT: Scenario = {
  id: 'router-redirect-accepted',
  item: 22,
  title: "a host acting on a router's ICMP redirect: accept_redirects, cache <redirected>",
  topology: 'router',
  steps: [
    { host: 'h0', op: 'sh', cmd: 'ip addr add 10.0.1.2/24 brd + dev eth0; ip link set eth0 up' },
    {
      host: 'r',
      op: 'sh',
      cmd: 'ip addr add 10.0.1.1/24 brd + dev eth0; ip addr add 10.0.2.1/24 brd + dev eth1; ip link set eth0 up; ip link set eth1 up; sysctl -qw net.ipv4.ip_forward=1',
    },
    {
      host: 'r',
      op: 'sh',
      cmd: 'ip route add 10.0.9.0/24 via 10.0.1.5; ip neigh add 10.0.1.5 lladdr 02:00:00:00:00:55 dev eth0; ip neigh show dev eth0',
    },
    { host: 'h0', op: 'sh', cmd: 'ip route add 10.0.9.0/24 via 10.0.1.1' },
    {
      host: 'h0',
      op: 'sh',
      cmd: 'sysctl net.ipv4.conf.all.accept_redirects net.ipv4.conf.eth0.accept_redirects net.ipv4.conf.all.secure_redirects net.ipv4.conf.all.shared_media',
    },
    { host: 'h0', op: 'sh', cmd: 'ping -c 3 -i 0.3 -W 1 10.0.9.1' },
    { host: 'h0', op: 'sh', cmd: 'ip route get 10.0.9.1; ip neigh show 10.0.1.5' },
    { host: 'h0', op: 'sh', cmd: 'ip neigh replace 10.0.1.5 lladdr 02:00:00:00:00:55 dev eth0' },
    { host: 'h0', op: 'sh', cmd: 'ping -c 3 -i 0.3 -W 1 10.0.9.1' },
    {
      host: 'h0',
      op: 'sh',
      cmd: 'ip route get 10.0.9.1; ip route show cache; ip route get 10.0.9.2',
    },
    // One at a time: Linux lists the table in its (randomly seeded) hash order.
    { host: 'h0', op: 'sh', cmd: 'ip neigh show 10.0.1.5; ip neigh show 10.0.1.1' },
    // Refused: not taken with accept_redirects off on all and on eth0.
    {
      host: 'h0',
      op: 'sh',
      cmd: 'sysctl -qw net.ipv4.conf.all.accept_redirects=0 net.ipv4.conf.eth0.accept_redirects=0',
    },
    { host: 'h0', op: 'sh', cmd: 'ping -c 2 -i 0.3 -W 1 10.0.9.7' },
    { host: 'h0', op: 'sh', cmd: 'ip route get 10.0.9.7; ip route show cache' },
    { host: 'h0', op: 'sh', cmd: 'cat /proc/net/snmp' },
    { host: 'r', op: 'sh', cmd: 'cat /proc/net/snmp' },
  ],
};

/**
 * Issue 22: a host's own UDP datagram over the MTU. A socket is IP_PMTUDISC_WANT by default:
 * `ip_append_data` builds it in fragments without DF (payloads of 1480, a multiple of 8 but the
 * last; one IP ID per datagram), Ip FragCreates per fragment and FragOKs per datagram; with
 * IP_PMTUDISC_DO it is refused (EMSGSIZE, counted nowhere); with `dont` fragmented the same.
 * The receiver reassembles each into one datagram.
 */
const UDP_FRAGMENTS: Scenario = {
  id: 'udp-own-fragments',
  item: 22,
  title: "a host's own UDP datagram over the MTU: fragmented, or EMSGSIZE with PMTUDISC_DO",
  steps: [
    ...UP,
    { host: 'h1', op: 'udp', name: 'r' },
    { host: 'h1', op: 'bind', name: 'r', port: 5000 },
    { host: 'h0', op: 'udp', name: 's' },
    { host: 'h0', op: 'capture', dev: 'eth0' },
    { host: 'h0', op: 'send', name: 's', to: '10.0.0.2', port: 5000, size: 3000 },
    { host: 'h0', op: 'captured' },
    { host: 'h1', op: 'read', name: 'r' },
    { host: 'h0', op: 'send', name: 's', to: '10.0.0.2', port: 5000, size: 1473, count: 2 },
    { host: 'h0', op: 'send', name: 's', to: '10.0.0.2', port: 5000, size: 1472 },
    { host: 'h0', op: 'captured' },
    { host: 'h1', op: 'read', name: 'r' },
    { host: 'h0', op: 'pmtudisc', name: 's', value: 'do' },
    { host: 'h0', op: 'send', name: 's', to: '10.0.0.2', port: 5000, size: 3000 },
    { host: 'h0', op: 'send', name: 's', to: '10.0.0.2', port: 5000, size: 1472 },
    { host: 'h0', op: 'pmtudisc', name: 's', value: 'dont' },
    { host: 'h0', op: 'send', name: 's', to: '10.0.0.2', port: 5000, size: 4000 },
    { host: 'h0', op: 'captured' },
    { host: 'h1', op: 'read', name: 'r' },
    { host: 'h0', op: 'sh', cmd: 'ip link set eth0 mtu 1000' },
    { host: 'h1', op: 'sh', cmd: 'ip link set eth0 mtu 1000' },
    { host: 'h0', op: 'pmtudisc', name: 's', value: 'want' },
    { host: 'h0', op: 'send', name: 's', to: '10.0.0.2', port: 5000, size: 65507 },
    { host: 'h0', op: 'captured' },
    { host: 'h1', op: 'read', name: 'r' },
    { host: 'h0', op: 'sh', cmd: 'cat /proc/net/snmp' },
    { host: 'h1', op: 'sh', cmd: 'cat /proc/net/snmp' },
  ],
};

/**
 * Issue 22: a path MTU learnt from ICMP frag needed (`ipv4_sk_update_pmtu` from ping's error
 * handler: a nexthop exception for the destination, `ip_rt_mtu_expires` 600 s). `ip route get`
 * and `ip route show cache` show `mtu 1000` and its expiry; the next send uses it: refused with
 * DF (ping -M do, a UDP socket under IP_PMTUDISC_DO), fragmented by the host itself without.
 */
const PATH_MTU: Scenario = {
  id: 'router-path-mtu',
  item: 22,
  title: 'a path MTU learnt from frag needed: ip route get, the next DF send, own fragments',
  topology: 'router',
  steps: [
    { host: 'h0', op: 'sh', cmd: 'ip addr add 10.0.1.2/24 brd + dev eth0; ip link set eth0 up' },
    {
      host: 'r',
      op: 'sh',
      cmd: 'ip addr add 10.0.1.1/24 brd + dev eth0; ip addr add 10.0.2.1/24 brd + dev eth1; ip link set eth0 up; ip link set eth1 up; sysctl -qw net.ipv4.ip_forward=1; ip link set eth1 mtu 1000',
    },
    {
      host: 'h1',
      op: 'sh',
      cmd: 'ip addr add 10.0.2.2/24 brd + dev eth0; ip link set eth0 up; ip link set eth0 mtu 1000; ip route add default via 10.0.2.1',
    },
    { host: 'h0', op: 'sh', cmd: 'ip route add 10.0.2.0/24 via 10.0.1.1' },
    { host: 'h0', op: 'sh', cmd: 'ping -c 1 -s 1200 -M do -W 2 10.0.2.2' },
    {
      host: 'h0',
      op: 'sh',
      cmd: 'ip route get 10.0.2.2; ip route show cache; ip route get 10.0.2.3',
    },
    { host: 'h0', op: 'sh', cmd: 'ping -c 1 -s 1200 -M do 10.0.2.2' },
    { host: 'h0', op: 'sh', cmd: 'ping -c 1 -s 972 -M do -W 2 10.0.2.2' },
    { host: 'h0', op: 'capture', dev: 'eth0' },
    { host: 'h0', op: 'sh', cmd: 'ping -c 1 -s 1200 -W 2 10.0.2.2' },
    { host: 'h0', op: 'captured' },
    { host: 'h1', op: 'udp', name: 'r' },
    { host: 'h1', op: 'bind', name: 'r', port: 5000 },
    { host: 'h0', op: 'udp', name: 's' },
    { host: 'h0', op: 'send', name: 's', to: '10.0.2.2', port: 5000, size: 1500 },
    { host: 'h0', op: 'captured' },
    { host: 'h0', op: 'pmtudisc', name: 's', value: 'do' },
    { host: 'h0', op: 'send', name: 's', to: '10.0.2.2', port: 5000, size: 1500 },
    { host: 'h1', op: 'read', name: 'r' },
    { host: 'r', op: 'sh', cmd: 'cat /proc/net/snmp' },
    { host: 'h0', op: 'sh', cmd: 'cat /proc/net/snmp' },
    {
      host: 'h0',
      op: 'sh',
      cmd: 'ip route flush cache; ip route show cache; ip route get 10.0.2.2',
    },
  ],
};

export const SCENARIOS: Scenario[] = [
  {
    id: 'promisc-flags',
    item: 1,
    title: 'PROMISC as the user asked for it: ifconfig, ip -d link, and no warning',
    steps: [
      ...UP,
      { host: 'h1', op: 'sh', cmd: 'ip link set eth0 promisc on' },
      { host: 'h1', op: 'sh', cmd: 'ip -d link show eth0' },
      { host: 'h1', op: 'sh', cmd: 'ifconfig eth0 promisc' },
      { host: 'h1', op: 'sh', cmd: 'ip -d link show eth0' },
      { host: 'h1', op: 'sh', cmd: 'ifconfig eth0 -promisc' },
      { host: 'h1', op: 'sh', cmd: 'ifconfig eth0' },
      { host: 'h1', op: 'sh', cmd: 'ip -d link show eth0' },
      { host: 'h1', op: 'sh', cmd: 'ifconfig eth0 allmulti' },
      { host: 'h1', op: 'sh', cmd: 'ip link show eth0' },
    ],
  },
  batchRelease(10),
  batchRelease(63),
  batchRelease(64),
  holds(1, 0, 300),
  holds(64, 0, 300),
  holds(200, 0, 300),
  holds(1000, 0, 300),
  holds(64, 1, 10),
  holds(1400, 1, 10),
  holds(64, 4000, 30),
  holds(64, 100000, 300),
  {
    id: 'rcvbuf-getsockopt',
    item: 8,
    title: 'SO_RCVBUF as getsockopt reports it: doubled, at least 2304, a negative one is rmem_max',
    steps: [
      { host: 'h1', op: 'udp', name: 'r' },
      { host: 'h1', op: 'getrcvbuf', name: 'r' },
      { host: 'h1', op: 'rcvbuf', name: 'r', value: 0 },
      { host: 'h1', op: 'rcvbuf', name: 'r', value: 1153 },
      { host: 'h1', op: 'rcvbuf', name: 'r', value: 4000 },
      { host: 'h1', op: 'rcvbuf', name: 'r', value: -5 },
      { host: 'h1', op: 'rcvbuf', name: 'r', value: 1 << 30 },
    ],
  },
  {
    id: 'down-drops-groups-and-routes',
    item: 4,
    title: 'a device going down leaves its multicast MACs, 224.0.0.1 and its routes',
    steps: [
      ...UP,
      { host: 'h1', op: 'udp', name: 'r' },
      { host: 'h1', op: 'join', name: 'r', group: '239.1.1.1', dev: 'eth0' },
      { host: 'h1', op: 'sh', cmd: 'ip maddr show dev eth0; cat /proc/net/dev_mcast; ip route' },
      { host: 'h1', op: 'sh', cmd: 'ip link set eth0 down' },
      { host: 'h1', op: 'sh', cmd: 'ip maddr show dev eth0; cat /proc/net/dev_mcast; ip route' },
      { host: 'h1', op: 'sh', cmd: 'ip link set eth0 up' },
      { host: 'h1', op: 'sh', cmd: 'ip maddr show dev eth0; cat /proc/net/dev_mcast; ip route' },
    ],
  },
  {
    id: 'no-multicast-route',
    item: 5,
    title: 'no 224.0.0.0/4 route: a join without an interface and a send without one fail',
    steps: [
      ...UP,
      { host: 'h1', op: 'sh', cmd: 'ip route' },
      { host: 'h1', op: 'udp', name: 's' },
      { host: 'h1', op: 'join', name: 's', group: '239.1.1.1' },
      { host: 'h1', op: 'send', name: 's', to: '239.1.1.1', port: 5000, size: 10 },
      { host: 'h1', op: 'mcif', name: 's', dev: 'eth0' },
      { host: 'h1', op: 'send', name: 's', to: '239.1.1.1', port: 5000, size: 10 },
      { host: 'h1', op: 'join', name: 's', group: '239.1.1.1', dev: 'eth0' },
    ],
  },
  {
    id: 'igmpv3-on-the-wire',
    item: 6,
    title: 'IGMPv3 by default: reports to 224.0.0.22, /proc/net/igmp says V3',
    steps: [
      ...UP,
      { host: 'h1', op: 'capture', dev: 'eth0' },
      { host: 'h1', op: 'udp', name: 'r' },
      { host: 'h1', op: 'join', name: 'r', group: '239.1.1.1', dev: 'eth0' },
      { host: 'h1', op: 'wait', ms: 2500 },
      { host: 'h1', op: 'captured' },
      { host: 'h1', op: 'sh', cmd: 'cat /proc/net/igmp' },
      { host: 'h1', op: 'close', name: 'r' },
      { host: 'h1', op: 'wait', ms: 2500 },
      { host: 'h1', op: 'captured' },
      { host: 'h1', op: 'sh', cmd: 'cat /proc/net/igmp' },
    ],
  },
  {
    id: 'multicast-loopback',
    item: 7,
    title: 'IP_MULTICAST_LOOP is 1: a host hears its own multicast',
    steps: [
      ...UP,
      { host: 'h1', op: 'udp', name: 'r' },
      { host: 'h1', op: 'bind', name: 'r', port: 5000 },
      { host: 'h1', op: 'join', name: 'r', group: '239.1.1.1', dev: 'eth0' },
      { host: 'h1', op: 'udp', name: 's' },
      { host: 'h1', op: 'getloop', name: 's' },
      { host: 'h1', op: 'mcif', name: 's', dev: 'eth0' },
      { host: 'h1', op: 'send', name: 's', to: '239.1.1.1', port: 5000, size: 10, count: 3 },
      { host: 'h1', op: 'read', name: 'r' },
    ],
  },
  {
    id: 'ip-stats-and-details',
    item: 9,
    title: 'ip -s, -s -s and -d link as iproute2 prints them; unknown options',
    steps: [
      { host: 'h1', op: 'sh', cmd: 'ip -s link show eth0' },
      { host: 'h1', op: 'sh', cmd: 'ip -s -s link show eth0' },
      { host: 'h1', op: 'sh', cmd: 'ip -d link show eth0' },
      { host: 'h1', op: 'sh', cmd: 'ip -statistics -details link show dev eth0' },
      { host: 'h1', op: 'sh', cmd: 'ip -x link' },
      { host: 'h1', op: 'sh', cmd: 'ip -s link show nosuch' },
    ],
  },
  {
    id: 'same-mac-again',
    item: 10,
    title: 'setting the MAC a device already has does not call the driver',
    model: 'hash64',
    steps: [
      ...UP,
      { host: 'h1', op: 'sh', cmd: 'ip link set eth0 address 02:00:00:00:02:00' },
      { host: 'h1', op: 'sh', cmd: 'ifconfig eth0 hw ether 02:00:00:00:02:00' },
      { host: 'h1', op: 'sh', cmd: 'ip link show eth0' },
    ],
  },
  {
    id: 'addresses-and-errors',
    item: 11,
    title: 'ip addr add sets no broadcast unless asked; error wording and exit codes',
    steps: [
      { host: 'h1', op: 'sh', cmd: 'ip addr add 10.0.0.2/24 dev eth0' },
      { host: 'h1', op: 'sh', cmd: 'ip addr show eth0' },
      { host: 'h1', op: 'sh', cmd: 'ifconfig eth0' },
      { host: 'h1', op: 'sh', cmd: 'ip addr add 10.0.0.2/24 dev eth0' },
      { host: 'h1', op: 'sh', cmd: 'ip addr add 10.0.0.3/24 brd + dev eth0' },
      { host: 'h1', op: 'sh', cmd: 'ip addr show eth0' },
      { host: 'h1', op: 'sh', cmd: 'ip route' },
      { host: 'h1', op: 'sh', cmd: 'ip link set nosuch up' },
      { host: 'h1', op: 'sh', cmd: 'ifconfig nosuch' },
      { host: 'h1', op: 'sh', cmd: 'ip addr del 10.9.9.9/24 dev eth0' },
      { host: 'h1', op: 'sh', cmd: 'ip link set eth0 mtu 40' },
      { host: 'h1', op: 'sh', cmd: 'ip maddr show dev eth0' },
    ],
  },
  {
    id: 'proc-files',
    item: 11,
    title: '/proc/net files as Linux 6.18 lays them out',
    steps: [
      { host: 'h1', op: 'sh', cmd: 'cat /proc/net/dev' },
      { host: 'h1', op: 'sh', cmd: 'cat /proc/net/snmp' },
      { host: 'h1', op: 'sh', cmd: 'cat /proc/net/igmp' },
      { host: 'h1', op: 'sh', cmd: 'cat /proc/net/arp' },
      ...UP,
      { host: 'h1', op: 'sh', cmd: 'cat /proc/net/igmp' },
      { host: 'h1', op: 'sh', cmd: 'cat /proc/net/dev_mcast' },
    ],
  },
  {
    id: 'gratuitous-arp-only-with-arp-notify',
    item: 2,
    title: 'no gratuitous ARP on up or on address add unless arp_notify asks for one',
    steps: [
      ...UP,
      { host: 'h1', op: 'sh', cmd: 'ip -s link show eth0' },
      // What h1 sends, as h0 receives it.
      { host: 'h0', op: 'capture', dev: 'eth0', dir: 'in' },
      { host: 'h1', op: 'sh', cmd: 'ip addr add 10.0.0.9/24 dev eth0' },
      { host: 'h1', op: 'sh', cmd: 'ip link set eth0 down; ip link set eth0 up' },
      { host: 'h1', op: 'wait', ms: 500 },
      { host: 'h0', op: 'captured' },
      { host: 'h1', op: 'sh', cmd: 'sysctl -w net.ipv4.conf.all.arp_notify=1' },
      { host: 'h1', op: 'sh', cmd: 'ip addr add 10.0.0.10/24 dev eth0' },
      { host: 'h1', op: 'wait', ms: 500 },
      { host: 'h0', op: 'captured' },
      { host: 'h1', op: 'sh', cmd: 'ip link set eth0 down; ip link set eth0 up' },
      { host: 'h1', op: 'wait', ms: 500 },
      { host: 'h0', op: 'captured' },
      // arp_accept 0: h0 learns nothing from an announcement it had no entry for.
      { host: 'h0', op: 'sh', cmd: 'cat /proc/net/arp' },
      { host: 'h1', op: 'sh', cmd: 'ip -s link show eth0' },
      { host: 'h1', op: 'sh', cmd: 'sysctl -w net.ipv4.conf.all.arp_notify=-1' },
    ],
  },
  {
    id: 'fifteen-groups-mc-list',
    item: 11,
    title: "fifteen groups: the multicast list a 21x4x's driver must fit in 14 entries",
    steps: [
      ...UP,
      { host: 'h1', op: 'udp', name: 'r' },
      ...Array.from({ length: 14 }, (_, i): Step => ({
        host: 'h1',
        op: 'join',
        name: 'r',
        group: `239.1.1.${i + 1}`,
        dev: 'eth0',
      })),
      { host: 'h1', op: 'sh', cmd: 'ip maddr show dev eth0; cat /proc/net/dev_mcast' },
      { host: 'h1', op: 'sh', cmd: 'ip -d link show eth0' },
    ],
  },
  {
    id: 'loopback',
    item: 11,
    title: 'lo: listed first, up with 127.0.0.1/8; traffic to 127.0.0.1 and to an own address',
    steps: [
      ...UP,
      // Linux's linkwatch reports the carrier up a moment later.
      { host: 'h1', op: 'wait', ms: 1000 },
      { host: 'h1', op: 'sh', cmd: 'ip link; ip addr; ifconfig; ip -d link show lo' },
      { host: 'h1', op: 'sh', cmd: 'ip route; ip maddr; cat /proc/net/igmp /proc/net/dev_mcast' },
      { host: 'h1', op: 'udp', name: 'r' },
      { host: 'h1', op: 'bind', name: 'r', port: 5000 },
      { host: 'h1', op: 'udp', name: 's' },
      { host: 'h1', op: 'send', name: 's', to: '127.0.0.1', port: 5000, size: 10, count: 3 },
      { host: 'h1', op: 'send', name: 's', to: '10.0.0.2', port: 5000, size: 100, count: 2 },
      { host: 'h1', op: 'send', name: 's', to: '127.1.2.3', port: 5000, size: 1, count: 1 },
      { host: 'h1', op: 'read', name: 'r' },
      { host: 'h1', op: 'send', name: 's', to: '127.0.0.1', port: 5001, size: 1, count: 1 },
      { host: 'h1', op: 'sh', cmd: 'ip -s link; ifconfig lo; cat /proc/net/dev' },
      { host: 'h1', op: 'sh', cmd: 'cat /proc/net/snmp' },
      { host: 'h1', op: 'sh', cmd: 'ip link set lo down; ip link show lo; ip addr show lo' },
      { host: 'h1', op: 'send', name: 's', to: '127.0.0.1', port: 5000, size: 1, count: 1 },
      { host: 'h1', op: 'sh', cmd: 'ip link set lo up; ip addr show lo' },
    ],
  },
  {
    id: 'igmp-sysctls',
    item: 12,
    title: "IGMP's tunables as sysctls",
    steps: [
      {
        host: 'h1',
        op: 'sh',
        cmd: 'sysctl net.ipv4.igmp_max_memberships net.ipv4.igmp_qrv net.ipv4.conf.all.force_igmp_version net.ipv4.conf.all.igmpv2_unsolicited_report_interval net.ipv4.conf.all.igmpv3_unsolicited_report_interval',
      },
    ],
  },
  ROUTED,
  ROUTER_ERRORS,
  ROUTER_REDIRECT,
  UDP_FRAGMENTS,
  PATH_MTU,
];
