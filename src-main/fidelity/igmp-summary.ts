import { formatIpv4 } from '../lab/wire/ipv4-addr';

const NAMES: Record<number, string> = {
  0x11: 'query',
  0x12: 'v1 report',
  0x16: 'v2 report',
  0x17: 'leave',
};

const ipAt = (b: Uint8Array, i: number) =>
  ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;

/**
 * One line for an Ethernet frame carrying IGMP (null for any other), as
 * real-agent.py's `igmp_summary` writes it: the message, its destination and
 * its groups (IGMPv3: each record's type and group).
 */
export function igmpSummary(f: Uint8Array): string | null {
  if (f.length < 34 || f[12] !== 0x08 || f[13] !== 0 || f[23] !== 2) return null;
  const ihl = (f[14] & 15) * 4;
  const dst = formatIpv4(ipAt(f, 30));
  const g = 14 + ihl;
  const type = f[g];
  if (type === 0x22) {
    const n = (f[g + 6] << 8) | f[g + 7];
    const recs: string[] = [];
    let off = g + 8;
    for (let i = 0; i < n && off + 8 <= f.length; i++) {
      const nsrc = (f[off + 2] << 8) | f[off + 3];
      recs.push(`${f[off]} ${formatIpv4(ipAt(f, off + 4))}`);
      off += 8 + 4 * nsrc + 4 * f[off + 1];
    }
    return `IGMPv3 report to ${dst}: ${recs.join(', ')}`;
  }
  return `IGMP ${NAMES[type] ?? `0x${type.toString(16)}`} to ${dst}: ${formatIpv4(ipAt(f, g + 4))}`;
}
