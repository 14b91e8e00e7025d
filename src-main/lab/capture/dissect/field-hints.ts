import type { FieldDef } from './field-types';

/**
 * Names a Wireshark user types that are not Wireshark's (or that Wireshark has but the lab
 * cannot give as Wireshark does), each refused with the Wireshark name to use: the filter says
 * these words instead of a bare "unknown field".
 */

const use = (name: string) => `not a Wireshark field: use ${name}`;

export const FIELD_HINTS: Readonly<Record<string, string>> = {
  'ip.opt':
    "Wireshark has no field 'ip.opt': use ip.opt.type or ip.opt.len (each option), or ip.hdr_len > 20",
  'frame.time_delta_displayed':
    'frame.time_delta_displayed depends on what is displayed: use frame.time_delta (since the previous captured frame)',
  'frame.time_relative_displayed': 'use frame.time_relative (since the first frame)',
  llc: 'LLC is not dissected here: use eth.len (IEEE 802.3 frames)',
  rarp: 'Wireshark dissects RARP as ARP: use arp (arp.opcode == 3 or 4)',
  // Wireshark's TCP numbers that need the whole stream; the lab words each segment alone.
  'tcp.seq':
    'tcp.seq is relative to the stream in Wireshark, and the lab words each segment alone: use tcp.seq_raw',
  'tcp.ack':
    'tcp.ack is relative to the stream in Wireshark, and the lab words each segment alone: use tcp.ack_raw',
  'tcp.nxtseq':
    'tcp.nxtseq needs the stream (the lab words each segment alone): use tcp.seq_raw and tcp.len',
  'tcp.window_size':
    "tcp.window_size is scaled by the handshake's window scale, which the lab (wording each segment alone) does not know: use tcp.window_size_value",
  'tcp.stream': 'the lab does not number TCP streams: use tcp.port and ip.addr (or ipv6.addr)',
  'tcp.analysis':
    'the lab does no TCP sequence analysis: use tcp.flags (tcp.flags.reset, tcp.flags.syn…)',
  // Names that are other tools' or guesses, and Wireshark's for them.
  ipv4: use('ip'),
  icmp6: use('icmpv6'),
  'eth.source': use('eth.src'),
  'eth.destination': use('eth.dst'),
  'eth.ethertype': use('eth.type'),
  'eth.proto': use('eth.type'),
  'vlan.vid': use('vlan.id'),
  'vlan.pcp': use('vlan.priority'),
  'arp.op': use('arp.opcode'),
  'arp.src.ip': use('arp.src.proto_ipv4'),
  'arp.dst.ip': use('arp.dst.proto_ipv4'),
  'arp.src.mac': use('arp.src.hw_mac'),
  'arp.dst.mac': use('arp.dst.hw_mac'),
  'ip.source': use('ip.src'),
  'ip.destination': use('ip.dst'),
  'ip.protocol': use('ip.proto'),
  'ip.tos': use('ip.dsfield'),
  'ip.dscp': use('ip.dsfield.dscp'),
  'ip.hlen': use('ip.hdr_len'),
  'ip.ihl': use('ip.hdr_len'),
  'ip.length': use('ip.len'),
  'ip.df': use('ip.flags.df'),
  'ip.mf': use('ip.flags.mf'),
  'ip.frag': use('ip.frag_offset'),
  'ipv6.source': use('ipv6.src'),
  'ipv6.destination': use('ipv6.dst'),
  'ipv6.nh': use('ipv6.nxt'),
  'ipv6.next': use('ipv6.nxt'),
  'ipv6.next_header': use('ipv6.nxt'),
  'ipv6.hop_limit': use('ipv6.hlim'),
  'ipv6.hoplimit': use('ipv6.hlim'),
  'ipv6.tc': use('ipv6.tclass'),
  'ipv6.flowlabel': use('ipv6.flow'),
  'ipv6.payload_len': use('ipv6.plen'),
  'ipv6.len': use('ipv6.plen'),
  'icmp.id': use('icmp.ident'),
  'icmp.sequence': use('icmp.seq'),
  'icmpv6.id': use('icmpv6.echo.identifier'),
  'icmpv6.seq': use('icmpv6.echo.sequence_number'),
  'udp.sport': use('udp.srcport'),
  'udp.dport': use('udp.dstport'),
  'udp.len': use('udp.length'),
  'tcp.sport': use('tcp.srcport'),
  'tcp.dport': use('tcp.dstport'),
  'tcp.hdrlen': use('tcp.hdr_len'),
  'tcp.win': use('tcp.window_size_value'),
  'tcp.window': use('tcp.window_size_value'),
  'tcp.syn': use('tcp.flags.syn'),
  'tcp.fin': use('tcp.flags.fin'),
  'tcp.rst': use('tcp.flags.reset'),
  'tcp.flags.rst': use('tcp.flags.reset'),
  'tcp.flags.psh': use('tcp.flags.push'),
  'tcp.mss': use('tcp.options.mss_val'),
  // Protocols the lab does not dissect: their port.
  dns: 'DNS is not dissected here: use udp.port == 53 or tcp.port == 53',
  dhcp: 'DHCP is not dissected here: use udp.port in {67, 68}',
  http: 'HTTP is not dissected here: use tcp.port == 80',
  tls: 'TLS is not dissected here: use tcp.port == 443',
  ssh: 'SSH is not dissected here: use tcp.port == 22',
  ntp: 'NTP is not dissected here: use udp.port == 123',
};

/**
 * The refusal for a name, or undefined: the table's, or for `ipv4.X` the `ip.X` Wireshark has.
 */
export function fieldHint(
  name: string,
  lookup: (n: string) => FieldDef | undefined,
): string | undefined {
  const lower = name.toLowerCase();
  const hint = FIELD_HINTS[lower];
  if (hint !== undefined) return hint;
  if (lower.startsWith('ipv4.') && lookup(`ip.${lower.slice(5)}`))
    return use(`ip.${lower.slice(5)}`);
  return undefined;
}
