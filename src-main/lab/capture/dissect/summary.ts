import { PAYLOAD_OFF_ID, PAYLOAD_OFF_SEQ } from '../../traffic/payload';
import {
  ARPHRD_ETHER,
  ARPHRD_IEEE802,
  ARPOP_REPLY,
  ARPOP_REQUEST,
  arpOffsets,
} from '../../wire/arp';
import { ETH_P_IP } from '../../wire/ethernet';
import { getU16, getU32 } from '../../wire/bytes';
import {
  IGMP_HLEN,
  IGMP_HOST_LEAVE_MESSAGE,
  IGMP_HOST_MEMBERSHIP_QUERY,
  IGMPV1_HOST_MEMBERSHIP_REPORT,
  IGMPV2_HOST_MEMBERSHIP_REPORT,
  IGMPV3_HOST_MEMBERSHIP_REPORT,
  IGMPV3_QUERY_HLEN,
  IGMPV3_RECORD_HLEN,
} from '../../wire/igmp';
import { IPV4_ERR_IHL, IPV4_ERR_TOTAL_LENGTH, IPV4_ERR_VERSION } from '../../wire/ipv4';
import { formatIpv4 } from '../../wire/ipv4-addr';
import { formatMac } from '../../wire/mac';
import { UDP_ERR_LENGTH, UDP_ERR_TRUNCATED } from '../../wire/udp';
import { ETHERTYPE_NAMES, ICMP_TYPE_NAMES, IP_PROTO_NAMES } from './fields';
import {
  FrameLayers,
  icmpHasIdSeq,
  L_ARP,
  L_DATA,
  L_ETH,
  L_ICMP,
  L_IGMP,
  L_IP,
  L_NETLAB,
  L_UDP,
} from './layers';
import { hex, macName } from './names';
import { icmpCodeName, igmpVersion } from './text';

/** The packet-list columns that come from the bytes (No., Time and Length come from the capture). */
export interface Summary {
  source: string;
  destination: string;
  protocol: string;
  info: string;
}

const layers = new FrameLayers();

/**
 * The Source, Destination, Protocol and Info columns of the frame at
 * `bytes[at, at + len)`, worded as Wireshark words them, read straight from
 * the bytes (no tree is built: this runs for every row of a page). Pass the
 * wire length when the capture cut the frame short, so the missing end is not
 * taken for a malformation.
 */
export function summarize(
  bytes: Uint8Array,
  len = bytes.length,
  wireLength = len,
  at = 0,
  /** The frame is the lab's (see FrameLayers.fromLab). */
  fromLab = true,
): Summary {
  const L = layers.parse(bytes, len, at, wireLength, false, fromLab);
  const b = L.bytes;
  const out: Summary = { source: '', destination: '', protocol: 'Ethernet', info: '' };
  const ipIdx = L.firstOf(L_IP);
  const ipAt = ipIdx >= 0 ? L.start[ipIdx] : -1;
  // Wireshark fills the address columns as it reads the header, unless the
  // header is bogus from its first bytes.
  const ipBogus =
    ipIdx < 0 ||
    L.bad[ipIdx] === IPV4_ERR_VERSION ||
    L.bad[ipIdx] === IPV4_ERR_IHL ||
    L.bad[ipIdx] === IPV4_ERR_TOTAL_LENGTH;
  if (!ipBogus && ipAt + 16 <= L.stop[ipIdx]) out.source = formatIpv4(getU32(b, ipAt + 12));
  else if (L.len >= 12) out.source = macName(b, at + 6);
  // The destination only once the options are read (a source route changes it).
  const ipEnd = ipAt + Math.max(20, (b[ipAt] & 15) << 2);
  if (!ipBogus && ipEnd <= L.stop[ipIdx])
    out.destination = formatIpv4(getU32(b, L.ipDestination(ipIdx)));
  else if (L.len >= 6) out.destination = macName(b, at);
  // The topmost layer that is not a quoted header or plain data says what the frame is.
  let top = 0;
  for (let i = 0; i < L.n; i++) {
    if (L.quoted[i] === 0 && L.kind[i] !== L_DATA) top = i;
  }
  const kind = L.kind[top];
  // Malformations the Info text already states, as Wireshark words them.
  let explained = 0;
  const p = L.start[top];
  const stop = L.stop[top];
  switch (kind) {
    case L_ETH:
      ethernetInfo(L, out);
      break;
    case L_ARP:
      arpInfo(b, p, stop, out);
      break;
    case L_IP:
      out.protocol = 'IPv4';
      out.info = ipInfo(L, top);
      if (L.bad[top] === IPV4_ERR_IHL || L.bad[top] === IPV4_ERR_TOTAL_LENGTH) explained++;
      break;
    case L_ICMP:
      out.protocol = 'ICMP';
      out.info = icmpInfo(L, p, stop, ipAt);
      // Wireshark had written the type's padded name when the missing id and seq stopped it.
      if (L.limited && icmpHasIdSeq(b[p]) && p + 8 > stop) out.info = out.info.padEnd(20);
      break;
    case L_IGMP:
      igmpInfo(b, p, stop, out);
      break;
    case L_UDP:
      out.protocol = 'UDP';
      out.info = udpInfo(L, top);
      if (L.bad[top] === UDP_ERR_LENGTH || L.bad[top] === UDP_ERR_TRUNCATED) explained++;
      break;
    case L_NETLAB: {
      out.protocol = 'NETLAB';
      const u = L.firstOf(L_UDP);
      out.info = udpInfo(L, u);
      if (L.bad[u] === UDP_ERR_LENGTH || L.bad[u] === UDP_ERR_TRUNCATED) explained++;
      if (p + PAYLOAD_OFF_ID + 2 <= stop) out.info += ` gen=${getU16(b, p + PAYLOAD_OFF_ID)}`;
      if (p + PAYLOAD_OFF_SEQ + 4 <= stop) out.info += ` seq=${getU32(b, p + PAYLOAD_OFF_SEQ)}`;
      break;
    }
    default:
      // 802.1Q tags around a type the lab does not dissect: named by that type, as Wireshark does.
      ethernetInfo(L, out);
  }
  // A snapped frame whose headers ran out: Wireshark's words, never "Malformed" for it.
  if (L.limited) out.info += '[Packet size limited during capture]';
  else if (L.malformedCount > explained) out.info += '[Malformed Packet]';
  return out;
}

function ethernetInfo(L: FrameLayers, out: Summary): void {
  if (L.len < 14) return;
  const type = L.etherType;
  if (L.badType) {
    out.info = `Ethernet Unknown: Invalid length/type: ${hex(type, 4)} (${type})`;
    return;
  }
  if (L.is8023) {
    out.protocol = '802.3';
    out.info = `IEEE 802.3 Ethernet, Length: ${type}`;
    return;
  }
  out.protocol = hex(type, 4);
  out.info = ETHERTYPE_NAMES[type] ?? 'Ethernet II';
}

function arpInfo(b: Uint8Array, p: number, stop: number, out: Summary): void {
  out.protocol = 'ARP';
  if (p + 8 > stop) return;
  const op = getU16(b, p + 6);
  if (op === 3 || op === 4) out.protocol = 'RARP';
  else if (op === 8 || op === 9) out.protocol = 'Inverse ARP';
  const hln = b[p + 4];
  const pln = b[p + 5];
  const o = arpOffsets(hln, pln);
  if (p + o.len > stop) return;
  // Addresses as Wireshark words them: a MAC and an IPv4 address, else hex digits.
  const ether = hln === 6 && (getU16(b, p) === ARPHRD_ETHER || getU16(b, p) === ARPHRD_IEEE802);
  const ipv4 = pln === 4 && getU16(b, p + 2) === ETH_P_IP;
  const hw = (at: number) => (ether ? formatMac(b, at) : hexRun(b, at, hln));
  const pa = (at: number) => (ipv4 ? formatIpv4(getU32(b, at)) : hexRun(b, at, pln));
  const spa = pa(p + o.spa);
  const tpa = pa(p + o.tpa);
  const sha = hw(p + o.sha);
  const tha = hw(p + o.tha);
  const thaZero = allZero(b, p + o.tha, hln);
  switch (op) {
    case ARPOP_REQUEST:
      if (allZero(b, p + o.spa, pln) && thaZero) out.info = `Who has ${tpa}? (ARP Probe)`;
      else if (spa === tpa)
        out.info = thaZero ? `ARP Announcement for ${spa}` : `Gratuitous ARP for ${spa} (Request)`;
      else out.info = `Who has ${tpa}? Tell ${spa}`;
      return;
    case ARPOP_REPLY:
      out.info = spa === tpa ? `Gratuitous ARP for ${spa} (Reply)` : `${spa} is at ${sha}`;
      return;
    case 3:
    case 8:
      out.info = `Who is ${tha}? Tell ${sha}`;
      return;
    case 4:
      out.info = `${tha} is at ${tpa}`;
      return;
    case 9:
      out.info = `${sha} is at ${spa}`;
      return;
    default:
      out.info = `Unknown ARP opcode ${hex(op, 4)}`;
  }
}

function hexRun(b: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += b[at + i].toString(16).padStart(2, '0');
  return s;
}

function allZero(b: Uint8Array, at: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[at + i] !== 0) return false;
  return true;
}

function ipInfo(L: FrameLayers, i: number): string {
  const b = L.bytes;
  const p = L.start[i];
  if (L.bad[i] === IPV4_ERR_IHL) {
    return `Bogus IP header length (${(b[p] & 15) * 4}, must be at least 20)`;
  }
  if (L.bad[i] === IPV4_ERR_TOTAL_LENGTH) {
    return `Bogus IP length (${getU16(b, p + 2)}, less than header length ${(b[p] & 15) * 4})`;
  }
  if (p + Math.max(20, (b[p] & 15) << 2) > L.stop[i]) return '';
  const proto = b[p + 9];
  const name = IP_PROTO_NAMES[proto] ?? 'Unknown';
  const word = getU16(b, p + 6);
  if ((word & 0x3fff) !== 0) {
    const off = (word & 0x1fff) << 3;
    return `Fragmented IP protocol (proto=${name} ${proto}, off=${off}, ID=${hex(getU16(b, p + 4), 4).slice(2)})`;
  }
  return `${name} (${proto})`;
}

function icmpInfo(L: FrameLayers, p: number, stop: number, ipAt: number): string {
  const b = L.bytes;
  if (p + 2 > stop) return '';
  const type = b[p];
  const code = b[p + 1];
  let info = (ICMP_TYPE_NAMES[type] ?? 'Unknown ICMP (obsolete or malformed?)').padEnd(20);
  const codeName = icmpCodeName(type, code);
  if (codeName !== '') info += ` (${codeName})`;
  if (icmpHasIdSeq(type) && p + 8 <= stop) {
    const id = getU16(b, p + 4);
    const seq = getU16(b, p + 6);
    info += ` id=${hex(id, 4)}, seq=${seq}/${((seq & 0xff) << 8) | (seq >> 8)}`;
    if (ipAt >= 0) info += `, ttl=${b[ipAt + 8]}`;
  }
  return info.trimEnd();
}

function igmpInfo(b: Uint8Array, p: number, stop: number, out: Summary): void {
  const length = stop - p;
  if (length < 1) {
    out.protocol = 'IGMP';
    return;
  }
  const type = b[p];
  const version = igmpVersion(type, length, length > 1 ? b[p + 1] : 0);
  out.protocol = version > 0 ? `IGMPv${version}` : 'IGMP';
  const group = p + 8 <= stop ? formatIpv4(getU32(b, p + 4)) : '?';
  switch (type) {
    case IGMP_HOST_MEMBERSHIP_QUERY: {
      if (version === 1) {
        out.info = 'Membership Query';
        return;
      }
      if (p + 8 > stop || getU32(b, p + 4) === 0) {
        out.info = 'Membership Query, general';
        return;
      }
      out.info = `Membership Query, specific for group ${group}`;
      if (version === 3 && p + IGMPV3_QUERY_HLEN <= stop) {
        const n = getU16(b, p + 10);
        if (n > 0)
          out.info += `, source${n > 1 ? 's' : ''} {${sources(b, p + IGMPV3_QUERY_HLEN, n, stop)}}`;
      }
      return;
    }
    case IGMPV1_HOST_MEMBERSHIP_REPORT:
      out.info = 'Membership Report';
      return;
    case IGMPV2_HOST_MEMBERSHIP_REPORT:
      out.info = `Membership Report group ${group}`;
      return;
    case IGMP_HOST_LEAVE_MESSAGE:
      out.info = `Leave Group ${group}`;
      return;
    case IGMPV3_HOST_MEMBERSHIP_REPORT: {
      out.info = 'Membership Report';
      if (p + IGMP_HLEN > stop) return;
      const count = getU16(b, p + 6);
      let rec = p + IGMP_HLEN;
      for (let k = 0; k < count && rec + IGMPV3_RECORD_HLEN <= stop; k++) {
        out.info += v3RecordInfo(b, rec, stop);
        rec += IGMPV3_RECORD_HLEN + 4 * (getU16(b, rec + 2) + b[rec + 1]);
      }
      return;
    }
    default:
      out.info = `Unknown Type:${hex(type, 2)}`;
  }
}

function sources(b: Uint8Array, at: number, n: number, stop: number): string {
  const list: string[] = [];
  for (let i = 0; i < n && at + 4 * i + 4 <= stop; i++)
    list.push(formatIpv4(getU32(b, at + 4 * i)));
  return list.join(', ');
}

/** Wireshark's words for a v3 group record in the Info column. */
function v3RecordInfo(b: Uint8Array, rec: number, stop: number): string {
  const type = b[rec];
  const n = getU16(b, rec + 2);
  const group = formatIpv4(getU32(b, rec + 4));
  const list = sources(b, rec + IGMPV3_RECORD_HLEN, n, stop);
  const s = n > 1 ? 's' : '';
  if (n === 0) {
    switch (type) {
      case 1:
      case 3:
        return ` / Leave group ${group}`;
      case 2:
      case 4:
        return ` / Join group ${group} for any sources`;
      case 5:
        return ` / Group ${group}, ALLOW_NEW_SOURCES but no source specified (?)`;
      case 6:
        return ` / Group ${group}, BLOCK_OLD_SOURCES but no source specified (?)`;
      default:
        return ` / Group ${group}, unknown record type (?)`;
    }
  }
  switch (type) {
    case 1:
    case 3:
      return ` / Join group ${group} for source${s} {${list}}`;
    case 2:
    case 4:
      return ` / Join group ${group}, for source${s} not in {${list}}`;
    case 5:
      return ` / Group ${group}, new source${s} {${list}}`;
    case 6:
      return ` / Group ${group}, block source${s} {${list}}`;
    default:
      return ` / Group ${group}, unknown record type (?)`;
  }
}

function udpInfo(L: FrameLayers, i: number): string {
  const b = L.bytes;
  const p = L.start[i];
  const stop = L.stop[i];
  if (p + 4 > stop) return '';
  const info = `${getU16(b, p)} → ${getU16(b, p + 2)}`;
  if (p + 6 > stop) return info;
  const length = getU16(b, p + 4);
  if (L.bad[i] === UDP_ERR_LENGTH) return `${info} [BAD UDP LENGTH ${length} < 8]`;
  if (L.bad[i] === UDP_ERR_TRUNCATED)
    return `${info} [BAD UDP LENGTH ${length} > IP PAYLOAD LENGTH] Len=${length - 8}`;
  return `${info} Len=${length - 8}`;
}
