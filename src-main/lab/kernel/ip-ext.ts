import { counters } from './snmp';

/**
 * The IpExt counters of /proc/net/netstat (`IPSTATS_MIB_*` beyond RFC 1213's), Linux's names in
 * its order. InNoRoutes lives on as `Kernel.inNoRoutes` (its older home) and is read from there.
 */
const IP_EXT_FIELDS = [
  'InNoRoutes',
  'InTruncatedPkts',
  'InMcastPkts',
  'OutMcastPkts',
  'InBcastPkts',
  'OutBcastPkts',
  'InOctets',
  'OutOctets',
  'InMcastOctets',
  'OutMcastOctets',
  'InBcastOctets',
  'OutBcastOctets',
  'InCsumErrors',
  'InNoECTPkts',
  'InECT1Pkts',
  'InECT0Pkts',
  'InCEPkts',
  'ReasmOverlaps',
] as const;

export type IpExtField = (typeof IP_EXT_FIELDS)[number];

export class IpExtMib {
  readonly c = counters(IP_EXT_FIELDS);

  /** `ip_rcv_core`: every datagram IP looks at, by its length as received (padding and all). */
  received(len: number, tos: number): void {
    this.c.InOctets += len;
    const ecn = tos & 3;
    if (ecn === 0) this.c.InNoECTPkts++;
    else if (ecn === 1) this.c.InECT1Pkts++;
    else if (ecn === 2) this.c.InECT0Pkts++;
    else this.c.InCEPkts++;
  }

  /** The IpExt header and value lines. */
  render(inNoRoutes: number): string {
    this.c.InNoRoutes = inNoRoutes;
    return (
      `IpExt: ${IP_EXT_FIELDS.join(' ')}\n` +
      `IpExt: ${IP_EXT_FIELDS.map((f) => this.c[f]).join(' ')}\n`
    );
  }
}
