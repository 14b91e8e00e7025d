/**
 * Every field the dissector can produce, by its Wireshark-style filter name,
 * with its type. The dissector (tree), the summary and the display filter all
 * read this one registry, so a filter can only name a field that exists and
 * knows how to compare it.
 */

/**
 * - `protocol`: a layer (`eth`, `ip`, `udp`…): tested for presence, sliced, searched.
 * - `uint`: an unsigned integer of up to 32 bits (ports, lengths, types, bit fields).
 * - `bool`: a one-bit flag, 0 or 1.
 * - `ipv4`: an IPv4 address, compared as a number (and against CIDR prefixes).
 * - `ether`: a MAC address, compared as its 48-bit number (see wire/mac.ts `macKey`).
 * - `bytes`: raw bytes (options, padding, data), compared byte by byte.
 * - `double`: a number that need not be an integer (a generator's latency in ns).
 * - `abstime`: an instant (frame.time_epoch): written in filters as epoch seconds
 *   (`1700000000.01`), compared exactly to the ns (held as ns since the capture's origin).
 * - `reltime`: a span (frame.time_relative, frame.time_delta): written as seconds, held as ns.
 * - `string`: text (the capture point, the frame's fate).
 * - `none`: a label with no value (a v3 group record, the malformed marker): presence only.
 */
export type FieldType =
  | 'protocol'
  | 'uint'
  | 'bool'
  | 'ipv4'
  | 'ether'
  | 'bytes'
  | 'double'
  | 'abstime'
  | 'reltime'
  | 'string'
  | 'none';

export interface FieldDef {
  readonly name: string;
  readonly type: FieldType;
  /** What the field is, for a field list or a completion popup. */
  readonly title: string;
  /** Names of values (`ip.proto == "UDP"`); the filter matches them case-insensitively. */
  readonly valueNames?: Readonly<Record<number, string>>;
  /**
   * Why a comparison with this field is refused, naming the field to use instead: the lab shows
   * it as Wireshark does but cannot compare it as Wireshark does.
   */
  readonly refuse?: string;
}

export const ETHERTYPE_NAMES: Readonly<Record<number, string>> = {
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x8100: '802.1Q Virtual LAN',
  0x86dd: 'IPv6',
  0x88a8: '802.1ad Provider Bridge (Q-in-Q)',
  0x88cc: '802.1 Link Layer Discovery Protocol (LLDP)',
  0x8035: 'RARP',
  0x88b5: 'Local Experimental Ethertype 1',
  0x88b6: 'Local Experimental Ethertype 2',
};

export const IP_PROTO_NAMES: Readonly<Record<number, string>> = {
  0: 'IPv6 Hop-by-Hop Option',
  1: 'ICMP',
  2: 'IGMP',
  4: 'IPIP',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6',
  47: 'GRE',
  50: 'ESP',
  51: 'AH',
  58: 'IPv6 ICMP',
  89: 'OSPF IGP',
  103: 'PIM',
  112: 'VRRP',
  132: 'SCTP',
};

export const ARP_OPCODE_NAMES: Readonly<Record<number, string>> = {
  1: 'request',
  2: 'reply',
  3: 'reverse request',
  4: 'reverse reply',
  8: 'inverse request',
  9: 'inverse reply',
};

export const ARP_HW_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'Ethernet',
  6: 'IEEE 802 Networks',
};

export const ICMP_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Echo (ping) reply',
  3: 'Destination unreachable',
  4: 'Source quench (flow control)',
  5: 'Redirect',
  8: 'Echo (ping) request',
  9: 'Router advertisement',
  10: 'Router solicitation',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
  15: 'Information request',
  16: 'Information reply',
  17: 'Address mask request',
  18: 'Address mask reply',
  42: 'Extended Echo request',
  43: 'Extended Echo reply',
};

export const ICMP_UNREACH_CODE_NAMES: Readonly<Record<number, string>> = {
  0: 'Network unreachable',
  1: 'Host unreachable',
  2: 'Protocol unreachable',
  3: 'Port unreachable',
  4: 'Fragmentation needed',
  5: 'Source route failed',
  6: 'Destination network unknown',
  7: 'Destination host unknown',
  8: 'Source host isolated',
  9: 'Network administratively prohibited',
  10: 'Host administratively prohibited',
  11: 'Network unreachable for TOS',
  12: 'Host unreachable for TOS',
  13: 'Communication administratively filtered',
  14: 'Host precedence violation',
  15: 'Precedence cutoff in effect',
};

export const ICMP_TIME_EXCEEDED_CODE_NAMES: Readonly<Record<number, string>> = {
  0: 'Time to live exceeded in transit',
  1: 'Fragment reassembly time exceeded',
};

export const ICMP_PARAMETER_PROBLEM_CODE_NAMES: Readonly<Record<number, string>> = {
  0: 'Pointer indicates the error',
  1: 'Missing a required option',
  2: 'Bad length',
};

export const ICMP_EXTENDED_ECHO_CODE_NAMES: Readonly<Record<number, string>> = {
  0: 'No error',
  1: 'Malformed Query',
  2: 'No Such Interface',
  3: 'No Such Table Entry',
  4: 'Multiple Interfaces Satisfy Query',
};

export const ICMP_REDIRECT_CODE_NAMES: Readonly<Record<number, string>> = {
  0: 'Redirect for network',
  1: 'Redirect for host',
  2: 'Redirect for TOS and network',
  3: 'Redirect for TOS and host',
};

export const IGMP_TYPE_NAMES: Readonly<Record<number, string>> = {
  0x11: 'Membership Query',
  0x12: 'Membership Report',
  0x16: 'Membership Report',
  0x17: 'Leave Group',
  0x22: 'Membership Report',
};

export const IGMP_RECORD_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'Mode Is Include',
  2: 'Mode Is Exclude',
  3: 'Change To Include Mode',
  4: 'Change To Exclude Mode',
  5: 'Allow New Sources',
  6: 'Block Old Sources',
};

/** Wireshark's checksum status values (PROTO_CHECKSUM_E_*). */
export const CHECKSUM_BAD = 0;
export const CHECKSUM_GOOD = 1;
export const CHECKSUM_UNVERIFIED = 2;
export const CHECKSUM_NOT_PRESENT = 3;
export const CHECKSUM_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'Bad',
  1: 'Good',
  2: 'Unverified',
  3: 'Not present',
};

export const VLAN_PRIORITY_NAMES: Readonly<Record<number, string>> = {
  0: 'Best Effort (default)',
  1: 'Background',
  2: 'Excellent Effort',
  3: 'Critical Applications',
  4: 'Video, < 100ms latency and jitter',
  5: 'Voice, < 10ms latency and jitter',
  6: 'Internetwork Control',
  7: 'Network Control',
};

const defs: FieldDef[] = [];
function f(
  name: string,
  type: FieldType,
  title: string,
  valueNames?: Readonly<Record<number, string>>,
): void {
  defs.push(valueNames ? { name, type, title, valueNames } : { name, type, title });
}

// The frame: from the capture, not from the bytes.
f('frame', 'protocol', 'Frame');
f('frame.number', 'uint', 'Frame number');
defs.push({
  name: 'frame.time',
  type: 'none',
  title: 'Arrival time (a date)',
  refuse:
    'frame.time is compared with a date in Wireshark; compare seconds with frame.time_epoch (since 1970), frame.time_relative (since the first frame) or frame.time_delta (since the previous one)',
});
f('frame.time_epoch', 'abstime', 'Arrival time in seconds since 1970 (the lab: its start)');
f('frame.time_delta', 'reltime', 'Time since the previous captured frame');
f('frame.time_relative', 'reltime', 'Time since the first frame');
f('frame.len', 'uint', 'Frame length on the wire');
f('frame.cap_len', 'uint', 'Captured length');
f('point', 'string', 'Capture point');
f('direction', 'string', 'Direction at a device capture point (in, out, or empty)');
f('fate', 'string', 'What became of the frame');

f('eth', 'protocol', 'Ethernet');
f('eth.dst', 'ether', 'Destination');
f('eth.src', 'ether', 'Source');
f('eth.addr', 'ether', 'Source or Destination Address');
f('eth.dst.lg', 'bool', 'Destination LG bit');
f('eth.dst.ig', 'bool', 'Destination IG bit');
f('eth.src.lg', 'bool', 'Source LG bit');
f('eth.src.ig', 'bool', 'Source IG bit');
f('eth.lg', 'bool', 'LG bit');
f('eth.ig', 'bool', 'IG bit');
f('eth.type', 'uint', 'Type', ETHERTYPE_NAMES);
f('eth.len', 'uint', 'Length (IEEE 802.3)');
f('eth.invalid_lentype', 'uint', 'Invalid length/type (1501 to 1535)');
f('eth.padding', 'bytes', 'Padding');
f('eth.trailer', 'bytes', 'Trailer');
f('eth.fcs', 'uint', 'Frame check sequence');
f('eth.fcs.status', 'uint', 'FCS status', CHECKSUM_STATUS_NAMES);

f('vlan', 'protocol', '802.1Q Virtual LAN');
f('vlan.priority', 'uint', 'Priority', VLAN_PRIORITY_NAMES);
f('vlan.dei', 'bool', 'Drop eligible indicator');
f('vlan.id', 'uint', 'VLAN identifier');
f('vlan.etype', 'uint', 'Type', ETHERTYPE_NAMES);
f('vlan.len', 'uint', 'Length (IEEE 802.3)');
f('ieee8021ad', 'protocol', 'IEEE 802.1ad (the service tag of Q-in-Q)');
f('ieee8021ad.priority', 'uint', 'Priority');
f('ieee8021ad.dei', 'uint', 'DEI');
f('ieee8021ad.id', 'uint', 'ID');

f('arp', 'protocol', 'Address Resolution Protocol');
f('arp.hw.type', 'uint', 'Hardware type', ARP_HW_TYPE_NAMES);
f('arp.proto.type', 'uint', 'Protocol type', ETHERTYPE_NAMES);
f('arp.hw.size', 'uint', 'Hardware size');
f('arp.proto.size', 'uint', 'Protocol size');
f('arp.opcode', 'uint', 'Opcode', ARP_OPCODE_NAMES);
f('arp.src.hw_mac', 'ether', 'Sender MAC address');
f('arp.src.proto_ipv4', 'ipv4', 'Sender IP address');
f('arp.src.hw', 'bytes', 'Sender hardware address (not 6-byte Ethernet)');
f('arp.src.proto', 'bytes', 'Sender protocol address (not IPv4)');
f('arp.dst.hw_mac', 'ether', 'Target MAC address');
f('arp.dst.proto_ipv4', 'ipv4', 'Target IP address');
f('arp.dst.hw', 'bytes', 'Target hardware address (not 6-byte Ethernet)');
f('arp.dst.proto', 'bytes', 'Target protocol address (not IPv4)');

f('ip', 'protocol', 'Internet Protocol Version 4');
f('ip.version', 'uint', 'Version');
f('ip.hdr_len', 'uint', 'Header Length (bytes)');
f('ip.dsfield', 'uint', 'Differentiated Services Field');
f('ip.dsfield.dscp', 'uint', 'Differentiated Services Codepoint');
f('ip.dsfield.ecn', 'uint', 'Explicit Congestion Notification');
f('ip.len', 'uint', 'Total Length');
f('ip.id', 'uint', 'Identification');
f('ip.flags', 'uint', 'Flags');
f('ip.flags.rb', 'bool', 'Reserved bit');
f('ip.flags.df', 'bool', "Don't fragment");
f('ip.flags.mf', 'bool', 'More fragments');
f('ip.frag_offset', 'uint', 'Fragment Offset (8-byte units)');
f('ip.ttl', 'uint', 'Time to Live');
f('ip.proto', 'uint', 'Protocol', IP_PROTO_NAMES);
f('ip.checksum', 'uint', 'Header Checksum');
f('ip.checksum.status', 'uint', 'Header checksum status', CHECKSUM_STATUS_NAMES);
f('ip.src', 'ipv4', 'Source Address');
f('ip.dst', 'ipv4', 'Destination Address');
f('ip.addr', 'ipv4', 'Source or Destination Address');
f('ip.cur_rt', 'ipv4', 'Current Route (the header destination of a source-routed datagram)');
f('ip.opt.type', 'uint', 'Option type (each option)');
f('ip.opt.len', 'uint', 'Option length (each option that has one)');

f('icmp', 'protocol', 'Internet Control Message Protocol');
f('icmp.type', 'uint', 'Type', ICMP_TYPE_NAMES);
f('icmp.code', 'uint', 'Code');
f('icmp.checksum', 'uint', 'Checksum');
f('icmp.checksum.status', 'uint', 'Checksum Status', CHECKSUM_STATUS_NAMES);
f('icmp.ident', 'uint', 'Identifier (BE)');
f('icmp.ident_le', 'uint', 'Identifier (LE)');
f('icmp.seq', 'uint', 'Sequence Number (BE)');
f('icmp.seq_le', 'uint', 'Sequence Number (LE)');
f('icmp.unused', 'bytes', 'Unused');
f('icmp.mtu', 'uint', 'MTU of next hop');
f('icmp.redir_gw', 'ipv4', 'Gateway Address');
f('icmp.pointer', 'uint', 'Pointer');

f('igmp', 'protocol', 'Internet Group Management Protocol');
f('igmp.version', 'uint', 'IGMP Version');
f('igmp.type', 'uint', 'Type', IGMP_TYPE_NAMES);
f('igmp.max_resp', 'uint', 'Max Resp Time (raw code, tenths of a second)');
f('igmp.reserved', 'bytes', 'Reserved');
f('igmp.checksum', 'uint', 'Checksum');
f('igmp.checksum.status', 'uint', 'Checksum Status', CHECKSUM_STATUS_NAMES);
f('igmp.maddr', 'ipv4', 'Multicast Address');
f('igmp.s', 'bool', 'Suppress router side processing');
f('igmp.qrv', 'uint', "Querier's Robustness Variable");
f('igmp.qqic', 'uint', "Querier's Query Interval Code");
f('igmp.num_src', 'uint', 'Number of sources');
f('igmp.saddr', 'ipv4', 'Source Address');
f('igmp.num_grp_recs', 'uint', 'Number of group records');
f('igmp.record', 'none', 'Group record');
f('igmp.record_type', 'uint', 'Record Type', IGMP_RECORD_TYPE_NAMES);
f('igmp.aux_data_len', 'uint', 'Aux Data Len (32-bit words)');
f('igmp.aux_data', 'bytes', 'Aux Data');

f('udp', 'protocol', 'User Datagram Protocol');
f('udp.srcport', 'uint', 'Source Port');
f('udp.dstport', 'uint', 'Destination Port');
f('udp.port', 'uint', 'Source or Destination Port');
f('udp.length', 'uint', 'Length');
f('udp.checksum', 'uint', 'Checksum');
f('udp.checksum.status', 'uint', 'Checksum Status', CHECKSUM_STATUS_NAMES);
f('udp.payload', 'bytes', 'UDP payload');

f('netlab', 'protocol', 'netlab traffic generator payload');
f('netlab.magic', 'bytes', "Magic ('NLAB')");
f('netlab.gen', 'uint', 'Generator id');
f('netlab.seq', 'uint', 'Sequence number');
f('netlab.sent', 'double', 'Send time (simulated ns)');
f('netlab.latency', 'double', 'Capture time less send time (ns)');

f('data', 'protocol', 'Data');
f('data.data', 'bytes', 'Data');
f('data.len', 'uint', 'Length');

f('_ws.malformed', 'none', 'Malformed Packet');
f('_ws.short', 'none', 'Packet size limited during capture (the snap length cut a header)');

export const FIELDS: ReadonlyMap<string, FieldDef> = new Map(defs.map((d) => [d.name, d]));

/**
 * Names a Wireshark user types that the lab does not have, with what to use instead: the filter
 * refuses them with these words rather than a bare "unknown field".
 */
export const FIELD_HINTS: Readonly<Record<string, string>> = {
  'ip.opt':
    "Wireshark has no field 'ip.opt': use ip.opt.type or ip.opt.len (each option), or ip.hdr_len > 20",
  ipv6: 'IPv6 is not dissected here (its bytes are data): use eth.type == 0x86dd',
  icmpv6: 'ICMPv6 is not dissected here (IPv6 is not): use eth.type == 0x86dd',
  tcp: 'TCP is not dissected here (its bytes are data): use ip.proto == 6',
  'frame.time_delta_displayed':
    'frame.time_delta_displayed depends on what is displayed: use frame.time_delta (since the previous captured frame)',
  'frame.time_relative_displayed': 'use frame.time_relative (since the first frame)',
  llc: 'LLC is not dissected here: use eth.len (IEEE 802.3 frames)',
  rarp: 'Wireshark dissects RARP as ARP: use arp (arp.opcode == 3 or 4)',
};

export function fieldDef(name: string): FieldDef | undefined {
  return FIELDS.get(name);
}

/** `names[value]`, or `Unknown` as Wireshark says. */
export function valueName(names: Readonly<Record<number, string>>, value: number): string {
  return names[value] ?? 'Unknown';
}
