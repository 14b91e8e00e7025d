import type { Kernel } from '../kernel';

/**
 * IcmpMsg counts by ICMP type. The lab keeps only the named Icmp counters,
 * each of which is one type's count, so the per-type view derives from them.
 */
const IN_TYPES: [number, string][] = [
  [0, 'InEchoReps'],
  [3, 'InDestUnreachs'],
  [4, 'InSrcQuenchs'],
  [5, 'InRedirects'],
  [8, 'InEchos'],
  [11, 'InTimeExcds'],
  [12, 'InParmProbs'],
  [13, 'InTimestamps'],
  [14, 'InTimestampReps'],
  [17, 'InAddrMasks'],
  [18, 'InAddrMaskReps'],
];

/** `icmpmsg_put`: only non-zero types, In types before Out types, each ascending. */
function icmpMsgLines(k: Kernel): string {
  const icmp = k.mib.icmp as unknown as Record<string, number>;
  const names: string[] = [];
  const values: number[] = [];
  for (const dir of ['In', 'Out']) {
    for (const [type, field] of IN_TYPES) {
      const v = icmp[dir === 'In' ? field : `Out${field.slice(2)}`] ?? 0;
      if (v === 0) continue;
      names.push(`${dir}Type${type}`);
      values.push(v);
    }
  }
  if (names.length === 0) return '';
  return `IcmpMsg: ${names.join(' ')}\nIcmpMsg: ${values.join(' ')}\n`;
}

/**
 * The Tcp block as a host that never opened a TCP connection prints it: RFC
 * 2012's constants (RtoAlgorithm 1, RtoMin 200 ms, RtoMax 120 s, MaxConn -1) and zeros.
 */
const TCP =
  'Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets ' +
  'CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\n' +
  'Tcp: 1 200 120000 -1 0 0 0 0 0 0 0 0 0 0 0\n';

/** UDP-Lite's block: the same counters as Udp's, all zero (the lab has no UDP-Lite sockets). */
const UDPLITE =
  'UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors ' +
  'InCsumErrors IgnoredMulti MemErrors\n' +
  'UdpLite: 0 0 0 0 0 0 0 0 0\n';

/**
 * /proc/net/snmp: Ip, Icmp, IcmpMsg, Tcp, Udp, UdpLite blocks in Linux's order.
 * The lab has no TCP and no UDP-Lite: their blocks are a quiet host's.
 */
export function renderSnmp(k: Kernel): string {
  const lines = k.mib.render(k.sysctl.get('net.ipv4.ip_default_ttl')).split('\n');
  // Ip header and values, Icmp header and values: IcmpMsg and Tcp go after those four.
  return (
    lines.slice(0, 4).join('\n') +
    '\n' +
    icmpMsgLines(k) +
    TCP +
    lines.slice(4).join('\n') +
    UDPLITE
  );
}
