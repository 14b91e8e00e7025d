import { formatIpv4 } from '../lab/wire/ipv4-addr';

const NAMES: Record<number, string> = {
  0x11: 'query',
  0x12: 'v1 report',
  0x16: 'v2 report',
  0x17: 'leave',
};

const ipAt = (b: Uint8Array, i: number) =>
  ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;

const macAt = (b: Uint8Array, i: number) =>
  Array.from(b.subarray(i, i + 6), (x) => x.toString(16).padStart(2, '0')).join(':');

/**
 * One line for an Ethernet frame carrying ARP, IGMP or an IPv4 fragment (null for any other),
 * as real-agent.py's `frame_summary` writes it.
 */
export function frameSummary(f: Uint8Array): string | null {
  return arpSummary(f) ?? igmpSummary(f) ?? fragmentSummary(f);
}

/**
 * An IPv4 fragment (MF set or an offset): its destination, protocol, IP ID (normalize.ts
 * numbers the IDs of one step in order), offset, total length and flags.
 */
function fragmentSummary(f: Uint8Array): string | null {
  if (f.length < 34 || f[12] !== 0x08 || f[13] !== 0) return null;
  const frag = (f[20] << 8) | f[21];
  if ((frag & 0x3fff) === 0) return null;
  const id = (f[18] << 8) | f[19];
  const len = (f[16] << 8) | f[17];
  const flags = `${frag & 0x4000 ? ' DF' : ''}${frag & 0x2000 ? ' MF' : ''}`;
  return `IPv4 fragment to ${formatIpv4(ipAt(f, 30))}: proto ${f[23]} id ${id} offset ${(frag & 0x1fff) * 8} length ${len}${flags}`;
}

/** ARP: the operation, who asks or answers, and the Ethernet destination. */
function arpSummary(f: Uint8Array): string | null {
  if (f.length < 42 || f[12] !== 0x08 || f[13] !== 0x06) return null;
  const op = (f[20] << 8) | f[21];
  const sip = formatIpv4(ipAt(f, 28));
  const tip = formatIpv4(ipAt(f, 38));
  const to = macAt(f, 0);
  if (op === 1) return `ARP request to ${to}: who-has ${tip} tell ${sip}`;
  return `ARP op ${op} to ${to}: ${sip} is-at ${macAt(f, 22)}`;
}

/** IGMP: the message, its destination and its groups (IGMPv3: each record's type and group). */
function igmpSummary(f: Uint8Array): string | null {
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
