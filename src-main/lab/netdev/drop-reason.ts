/**
 * The one table of what became of a frame that reached a host, as Linux's
 * `enum skb_drop_reason` (include/net/dropreason-core.h) names each place a
 * buffer is freed with `kfree_skb_reason`: its index is the fate the kernel
 * records (fate.ts), its `name` the words the fate log, the capture's Fate
 * column and the window show, its `key` the report's JSON key, `counter` the
 * counter that place also counts in (what `ifconfig`, `/proc/net/snmp` or
 * `nicctl` shows for it), `sentence` what the follow panel says and `short`
 * the topology chip's words. Three fates are the card's, before any sk_buff
 * exists (no drop reason: the hardware's own counters); two are not drops
 * (`consume_skb`).
 */
export type FateLayer = 'card' | 'driver' | 'link' | 'ip' | 'transport';

export interface FateDef {
  name: string;
  key: string;
  /** SKB_DROP_REASON_*, `consumed` for a buffer used up, `card` for the hardware's own. */
  reason: string;
  counter: string;
  kind: 'ok' | 'drop';
  /**
   * Where the frame stops: on the card (no sk_buff yet), in the driver or its queues
   * (netif_receive_skb), at the link layer (eth_type_trans), in IP, or at the transport and its
   * sockets. The sk_buff view draws the frame's way up to it; a drop past the driver is the
   * kernel's, not counted in the device's own statistics.
   */
  layer: FateLayer;
  sentence: string;
  short: string;
}

export const FATES: readonly FateDef[] = [
  {
    name: 'hardware filter',
    key: 'hwFilter',
    reason: 'card',
    counter: 'nicctl filter: rejected by the filter',
    kind: 'drop',
    layer: 'card',
    sentence: "the card's receive filter kept it out",
    short: 'filtered',
  },
  {
    name: 'rx error',
    key: 'rxError',
    reason: 'card',
    counter: 'rx_errors (rx_crc_errors, rx_length_errors)',
    kind: 'drop',
    layer: 'card',
    sentence: 'the card found it damaged (bad FCS or length)',
    short: 'rx error',
  },
  {
    name: 'ring full',
    key: 'ringFull',
    reason: 'card',
    counter: 'rx_missed_errors (/proc/net/dev drop)',
    kind: 'drop',
    layer: 'card',
    sentence: 'dropped at the RX ring: no free descriptor',
    short: 'ring full',
  },
  {
    name: 'backlog full',
    key: 'backlogFull',
    reason: 'SKB_DROP_REASON_CPU_BACKLOG',
    counter: 'softnet_stat dropped, rx_dropped',
    kind: 'drop',
    layer: 'driver',
    sentence: 'dropped at the backlog: netdev_max_backlog reached',
    short: 'backlog full',
  },
  {
    name: 'not for this host',
    key: 'otherHost',
    reason: 'SKB_DROP_REASON_OTHERHOST',
    counter: 'IpInAddrErrors (unicast to another address)',
    kind: 'drop',
    layer: 'ip',
    sentence: 'IP dropped it: not addressed to this host',
    short: 'not for host',
  },
  {
    name: 'group not joined',
    key: 'notJoined',
    reason: 'SKB_DROP_REASON_IP_INVALID_DEST',
    counter: 'none (the CPU time is wasted)',
    kind: 'drop',
    layer: 'ip',
    sentence: 'IP dropped it: the host has not joined the group',
    short: 'not joined',
  },
  {
    name: 'no socket',
    key: 'noSocket',
    reason: 'SKB_DROP_REASON_NO_SOCKET',
    counter: 'UdpNoPorts (unicast), UdpIgnoredMulti (multicast, broadcast)',
    kind: 'drop',
    layer: 'transport',
    sentence: 'UDP dropped it: no socket on its port',
    short: 'no socket',
  },
  {
    name: 'receive buffer full',
    key: 'rcvbufFull',
    reason: 'SKB_DROP_REASON_SOCKET_RCVBUFF',
    counter: 'UdpRcvbufErrors, UdpInErrors',
    kind: 'drop',
    layer: 'transport',
    sentence: 'UDP dropped it: the receive buffer was full',
    short: 'rcvbuf full',
  },
  {
    name: 'delivered',
    key: 'delivered',
    reason: 'consumed',
    counter: 'UdpInDatagrams (once read)',
    kind: 'ok',
    layer: 'transport',
    sentence: 'delivered to a socket',
    short: 'delivered',
  },
  {
    name: 'consumed by kernel',
    key: 'consumed',
    reason: 'consumed',
    counter: 'IcmpInMsgs, ARP and IGMP counters; a bridge port’s tx_packets',
    kind: 'ok',
    layer: 'transport',
    sentence: 'taken by the kernel (ARP, ICMP or IGMP), or forwarded by a bridge (consume_skb)',
    short: 'kernel took it',
  },
  {
    name: 'header error',
    key: 'malformed',
    reason: 'SKB_DROP_REASON_IP_INHDR',
    counter: 'IpInHdrErrors, UdpInErrors/InCsumErrors, IcmpInErrors, IpReasmFails',
    kind: 'drop',
    layer: 'ip',
    sentence:
      'a header failed its checks (checksum or length), or a router found its TTL run out (it answers with ICMP time exceeded)',
    short: 'header error',
  },
  {
    name: 'unknown protocol',
    key: 'noProtocol',
    reason: 'SKB_DROP_REASON_UNHANDLED_PROTO',
    counter: 'IpInUnknownProtos (IP), rx_nohandler (EtherType)',
    kind: 'drop',
    layer: 'link',
    sentence: 'no handler for its protocol',
    short: 'no protocol',
  },
  {
    name: 'device drop',
    key: 'devDrop',
    reason: 'SKB_DROP_REASON_DEV_READY',
    counter: 'rx_dropped',
    kind: 'drop',
    layer: 'driver',
    sentence: 'dropped by the device (closed while the frame waited, or no stack above it)',
    short: 'device drop',
  },
  {
    name: 'martian address',
    key: 'martian',
    reason: 'SKB_DROP_REASON_IP_INVALID_SOURCE',
    counter: 'rt_cache in_martian_src / in_martian_dst',
    kind: 'drop',
    layer: 'ip',
    sentence:
      "dropped as a martian: a source (multicast, broadcast, 0.0.0.0, loopback, this host's own) or destination no packet may carry",
    short: 'martian',
  },
  {
    name: 'forwarded',
    key: 'forwarded',
    reason: 'consumed',
    counter: 'IpForwDatagrams',
    kind: 'ok',
    layer: 'ip',
    sentence: 'routed on: IP forwarded it out another hop, its TTL one less',
    short: 'forwarded',
  },
  {
    name: 'no route',
    key: 'noRoute',
    reason: 'SKB_DROP_REASON_IP_INNOROUTES',
    counter: 'IpExtInNoRoutes (ICMP net unreachable sent back)',
    kind: 'drop',
    layer: 'ip',
    sentence: 'a router had no route to its destination (it answers with ICMP net unreachable)',
    short: 'no route',
  },
  {
    name: 'neighbour failed',
    key: 'neighFailed',
    reason: 'SKB_DROP_REASON_NEIGH_FAILED',
    counter: 'arp_cache unresolved_discards (ICMP host unreachable sent back)',
    kind: 'drop',
    layer: 'ip',
    sentence:
      'a router forwarded it, but ARP for the next hop got no answer: dropped (it answers with ICMP host unreachable)',
    short: 'neigh failed',
  },
];

/** The fate named `name`, or undefined for the wire's and the follow panel's own outcomes. */
export function fateDef(name: string): FateDef | undefined {
  return FATES.find((f) => f.name === name);
}
