/**
 * The protocol counters of /proc/net/snmp, by Linux's field names and in its
 * order, so the lab's `cat /proc/net/snmp` reads like a real one.
 */

const IP_FIELDS = [
  'Forwarding',
  'DefaultTTL',
  'InReceives',
  'InHdrErrors',
  'InAddrErrors',
  'ForwDatagrams',
  'InUnknownProtos',
  'InDiscards',
  'InDelivers',
  'OutRequests',
  'OutDiscards',
  'OutNoRoutes',
  'ReasmTimeout',
  'ReasmReqds',
  'ReasmOKs',
  'ReasmFails',
  'FragOKs',
  'FragFails',
  'FragCreates',
  'OutTransmits',
] as const;

const ICMP_FIELDS = [
  'InMsgs',
  'InErrors',
  'InCsumErrors',
  'InDestUnreachs',
  'InTimeExcds',
  'InParmProbs',
  'InSrcQuenchs',
  'InRedirects',
  'InEchos',
  'InEchoReps',
  'InTimestamps',
  'InTimestampReps',
  'InAddrMasks',
  'InAddrMaskReps',
  'OutMsgs',
  'OutErrors',
  'OutRateLimitGlobal',
  'OutRateLimitHost',
  'OutDestUnreachs',
  'OutTimeExcds',
  'OutParmProbs',
  'OutSrcQuenchs',
  'OutRedirects',
  'OutEchos',
  'OutEchoReps',
  'OutTimestamps',
  'OutTimestampReps',
  'OutAddrMasks',
  'OutAddrMaskReps',
] as const;

const UDP_FIELDS = [
  'InDatagrams',
  'NoPorts',
  'InErrors',
  'OutDatagrams',
  'RcvbufErrors',
  'SndbufErrors',
  'InCsumErrors',
  'IgnoredMulti',
  'MemErrors',
] as const;

export type IpField = (typeof IP_FIELDS)[number];
export type IcmpField = (typeof ICMP_FIELDS)[number];
export type UdpField = (typeof UDP_FIELDS)[number];

/**
 * A zeroed counter per field, all inside the object: an object built key by key keeps all but
 * its first four in a separate property array, one more cache line to touch per datagram and
 * host (a segment of hundreds of hosts visits hundreds of these per frame); one that
 * `JSON.parse` builds holds every property it was parsed with.
 */
export function counters<F extends string>(fields: readonly F[]): Record<F, number> {
  return JSON.parse(JSON.stringify(Object.fromEntries(fields.map((f) => [f, 0])))) as Record<
    F,
    number
  >;
}

export class SnmpMib {
  readonly ip = counters(IP_FIELDS);
  readonly icmp = counters(ICMP_FIELDS);
  readonly udp = counters(UDP_FIELDS);

  constructor() {
    this.ip.Forwarding = 2; // not a router
  }

  /** The text of /proc/net/snmp: a header line and a value line per protocol. */
  render(defaultTtl: number): string {
    this.ip.DefaultTTL = defaultTtl;
    const block = (name: string, fields: readonly string[], values: Record<string, number>) =>
      `${name}: ${fields.join(' ')}\n${name}: ${fields.map((f) => values[f]).join(' ')}\n`;
    return (
      block('Ip', IP_FIELDS, this.ip) +
      block('Icmp', ICMP_FIELDS, this.icmp) +
      block('Udp', UDP_FIELDS, this.udp)
    );
  }
}
