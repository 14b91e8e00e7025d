import { getU16 } from '../../../wire/bytes';
import { formatIpv6 } from '../../../wire/ipv6-addr';
import { formatMac } from '../../../wire/mac';
import { CHECKSUM_UNVERIFIED, field } from '../field-types';
import { L_DATA, L_ICMP6, L_IP6 } from '../kinds';
import type { FrameLayers } from '../layers';
import type { Protocol, Summary } from '../protocol';
import { each, type Collect } from '../readers';
import { ReaderSink, TreeSink } from '../sink';
import { carrierOf, pseudoChecksumStatus } from '../transport';
import type { Field, Tree } from '../tree';
import { hex } from '../names';
import {
  ICMP6_HLEN,
  ICMP6_OFF,
  ICMPV6_ECHO_REPLY,
  ICMPV6_ECHO_REQUEST,
  ND_OFF,
  ND_OPT_OFF,
  ND_OPTIONS_AT,
  NDISC_NEIGHBOUR_ADVERTISEMENT,
  NDISC_NEIGHBOUR_SOLICITATION,
} from './icmpv6-offsets';
import { ICMPV6_TYPE_NAMES, icmpv6CodeName, icmpv6FieldDefs, walkIcmpv6 } from './icmpv6-walk';
import { IPV6_HLEN, IPV6_OFF } from './ipv6-offsets';
import { parseIpv6 } from './ipv6';

/**
 * ICMPv6 (RFC 4443): errors quoting the offending packet (dissected under them, as Wireshark
 * does), echo, Neighbor Discovery (RS, RA, NS, NA, Redirect, with their options) and MLD v1
 * and v2. One walk (`icmpv6-walk.ts`) builds the tree and feeds every filter reader.
 */

export const ICMPV6_ERR_SHORT = 'shorter than an ICMPv6 header (4 bytes)';

// ---- where the layers lie

export function parseIcmpv6(L: FrameLayers, p: number, stop: number, quoted: number): void {
  const i = L.push(L_ICMP6, p, stop, quoted);
  if (stop - p < 4) {
    if (quoted === 0) L.cut(i, ICMPV6_ERR_SHORT);
    return;
  }
  if (quoted === 1) return;
  const type = L.bytes[p];
  // Wireshark reads a message to its end (options, records): past a snap length it stops short.
  const net = carrierOf(L, i);
  const whole =
    net >= 0
      ? L.start[net] + IPV6_HLEN + getU16(L.bytes, L.start[net] + IPV6_OFF.payloadLen)
      : stop;
  const echo = type === ICMPV6_ECHO_REQUEST || type === ICMPV6_ECHO_REPLY;
  L.short(echo ? p + ICMP6_HLEN : whole);
  const body = p + ICMP6_HLEN;
  if (body >= stop) return;
  if (type < 128) parseIpv6(L, body, stop, 1);
  else if (type === ICMPV6_ECHO_REQUEST || type === ICMPV6_ECHO_REPLY)
    L.push(L_DATA, body, stop, 0);
}

/** The checksum covers the whole message and the pseudo-header: verified when all is here. */
export function icmpv6ChecksumStatus(L: FrameLayers, i: number): number {
  const at = L.start[i];
  if (L.quoted[i] === 1 || L.snapped || L.stop[i] - at < 4) return CHECKSUM_UNVERIFIED;
  return pseudoChecksumStatus(L, carrierOf(L, i), 58, at, L.stop[i] - at);
}

// ---- the tree and the readers, over one walk

function tree(t: Tree, i: number): Field {
  const node = t.proto(
    'icmpv6',
    'Internet Control Message Protocol v6',
    t.L.start[i],
    t.stop,
    t.stop,
  );
  walkIcmpv6(t.L, i, new TreeSink(t, node));
  return node;
}

function reader(name: string): Collect {
  const sink = new ReaderSink(name);
  return each(L_ICMP6, (L, i, _at, _stop, V) => {
    sink.V = V;
    walkIcmpv6(L, i, sink);
  });
}

const fields = [
  field('icmpv6', 'protocol', 'Internet Control Message Protocol v6'),
  ...icmpv6FieldDefs,
];

const readers: Record<string, Collect> = {
  icmpv6: each(L_ICMP6, (_L, _i, at, stop, V) => V.push(0, at, stop - at, stop)),
};
for (const d of icmpv6FieldDefs) readers[d.name] = reader(d.name);

// ---- the Info column

/** The link-layer address of the first option of `type` (1 source, 2 target), or ''. */
function linkAddress(b: Uint8Array, at: number, stop: number, type: number): string {
  const first = ND_OPTIONS_AT[b[at]];
  for (let p = at + first; p + 2 <= stop;) {
    const len = b[p + ND_OPT_OFF.length] * 8;
    if (len === 0 || p + len > stop) return '';
    if (b[p] === type && len >= 8) return formatMac(b, p + ND_OPT_OFF.linkAddr);
    p += len;
  }
  return '';
}

function info(L: FrameLayers, i: number, out: Summary): number {
  const b = L.bytes;
  const at = L.start[i];
  const stop = L.stop[i];
  out.protocol = 'ICMPv6';
  if (at + 2 > stop) return 0;
  const type = b[at];
  const code = b[at + 1];
  let s = ICMPV6_TYPE_NAMES[type] ?? `Unknown (${type})`;
  const codeName = icmpv6CodeName(type, code);
  if (codeName !== '') s += ` (${codeName})`;
  const hasTarget = at + ND_OFF.target + 16 <= stop;
  const target = () => formatIpv6(b, at + ND_OFF.target);
  if ((type === ICMPV6_ECHO_REQUEST || type === ICMPV6_ECHO_REPLY) && at + 8 > stop) {
    // The snap length cut the identifier or sequence: the type alone, as Wireshark words it.
  } else if (type === ICMPV6_ECHO_REQUEST || type === ICMPV6_ECHO_REPLY) {
    s += ` id=${hex(getU16(b, at + ICMP6_OFF.identifier), 4)}, seq=${getU16(b, at + ICMP6_OFF.sequence)}`;
    const net = carrierOf(L, i);
    if (net >= 0 && L.kind[net] === L_IP6)
      s += `, hop limit=${b[L.start[net] + IPV6_OFF.hopLimit]}`;
  } else if (type === NDISC_NEIGHBOUR_SOLICITATION && hasTarget) {
    s += ` for ${target()}`;
  } else if (type === NDISC_NEIGHBOUR_ADVERTISEMENT && hasTarget) {
    s += ` ${target()}`;
    const f = b[at + ND_OFF.naFlags];
    const set = [f & 0x80 ? 'rtr' : '', f & 0x40 ? 'sol' : '', f & 0x20 ? 'ovr' : ''];
    const flags = set.filter((x) => x !== '');
    s += ` (${flags.length > 0 ? flags.join(', ') : 'none'})`;
  }
  // Each link-layer address option adds its words, as Wireshark's option dissector does.
  if (ND_OPTIONS_AT[type] !== undefined) {
    const from = linkAddress(b, at, stop, 1);
    if (from !== '') s += ` from ${from}`;
    const mac = linkAddress(b, at, stop, 2);
    if (mac !== '') s += ` is at ${mac}`;
  }
  out.info = s;
  return 0;
}

export const ICMPV6: Protocol = { name: 'icmpv6', kind: L_ICMP6, fields, readers, tree, info };
