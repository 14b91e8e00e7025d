import { getU16, getU32 } from '../../../wire/bytes';
import { field } from '../field-types';
import { L_DSTOPTS, L_FRAGHDR, L_HOPOPTS, L_ROUTING } from '../kinds';
import { bitPrefix, hex, hexBytes } from '../names';
import type { Protocol } from '../protocol';
import { bits, each, u8, type Collect } from '../readers';
import type { Field, Tree } from '../tree';
import { leaf } from '../tree';
import { IP_PROTO_NAMES } from './ipv4';
import { IPV6_EXT_OFF, IPV6_FRAG_HLEN, IPV6_FRAG_OFF, IPV6_RT_OFF } from './ipv6-offsets';

/**
 * IPv6 extension headers (RFC 8200 §4), each a protocol of its own as in Wireshark:
 * `ipv6.hopopts` and `ipv6.dstopts` (options: `ipv6.opt.type`, `ipv6.opt.length`, Router Alert,
 * padding), `ipv6.routing` and `ipv6.fraghdr`. `parseIpv6` finds them.
 */

const OPTION_NAMES: Readonly<Record<number, string>> = {
  0x00: 'Pad1',
  0x01: 'PadN',
  0x05: 'Router Alert',
  0xc2: 'Jumbo Payload',
  0xc9: 'Home Address',
};

const ROUTER_ALERT_NAMES: Readonly<Record<number, string>> = {
  0: 'MLD',
  1: 'RSVP',
  2: 'Active Networks',
};

const optionFields = [
  field('ipv6.opt', 'none', 'IPv6 Option'),
  field('ipv6.opt.type', 'uint', 'Type', OPTION_NAMES),
  field('ipv6.opt.length', 'uint', 'Length'),
  field('ipv6.opt.pad1', 'none', 'Pad1'),
  field('ipv6.opt.padn', 'bytes', 'PadN'),
  field('ipv6.opt.router_alert', 'uint', 'Router Alert', ROUTER_ALERT_NAMES),
];

const extFields = (name: string, title: string) => [
  field(name, 'protocol', title),
  field(`${name}.nxt`, 'uint', 'Next Header', IP_PROTO_NAMES),
  field(`${name}.len`, 'uint', 'Length (8-octet units, not counting the first 8)'),
  field(`${name}.len_oct`, 'uint', 'Length in bytes'),
];

/** Next header and length, as every extension header but the fragment header starts. */
function head(t: Tree, node: Field, name: string, at: number): void {
  const b = t.bytes;
  const nx = b[at + IPV6_EXT_OFF.nexthdr];
  const nText = `Next Header: ${IP_PROTO_NAMES[nx] ?? 'Unknown'} (${nx})`;
  t.add(node, `${name}.nxt`, at + IPV6_EXT_OFF.nexthdr, 1, nText, String(nx), nx);
  if (!t.fits(at + IPV6_EXT_OFF.hdrlen, 1)) return;
  const len = b[at + IPV6_EXT_OFF.hdrlen];
  const p = at + IPV6_EXT_OFF.hdrlen;
  t.add(node, `${name}.len`, p, 1, `Length: ${len}`, String(len), len);
  const oct = (len + 1) * 8;
  node.children.push(leaf(`${name}.len_oct`, `[Length: ${oct} bytes]`, String(oct), p, p + 1, oct));
}

/** Each option of a hop-by-hop or destination options header. */
function options(t: Tree, node: Field, at: number, end: number): void {
  const b = t.bytes;
  for (let p = at + 2; p < end;) {
    const type = b[p];
    const name = OPTION_NAMES[type] ?? 'Unknown';
    const len = type === 0 || p + 1 >= end ? 0 : b[p + 1];
    const size = type === 0 ? 1 : 2 + len;
    const opt = leaf('ipv6.opt', name, '', p, Math.min(p + size, end));
    node.children.push(opt);
    const typeText = `Type: ${name} (${hex(type, 2)})`;
    t.add(opt, 'ipv6.opt.type', p, 1, typeText, hex(type, 2), type);
    if (type === 0) {
      opt.children.push(leaf('ipv6.opt.pad1', 'Pad1', '', p, p + 1));
      p++;
      continue;
    }
    if (p + 2 > end) return;
    t.add(opt, 'ipv6.opt.length', p + 1, 1, `Length: ${len}`, String(len), len);
    if (p + size > end) return;
    if (type === 1) {
      const v = len > 0 ? hexBytes(b, p + 2, p + size) : '<none>';
      t.add(opt, 'ipv6.opt.padn', p + 2, len, `PadN: ${v}`, len > 0 ? v : '');
    } else if (type === 5 && len === 2) {
      const ra = getU16(b, p + 2);
      const text = `Router Alert: ${ROUTER_ALERT_NAMES[ra] ?? 'Unknown'} (${ra})`;
      t.add(opt, 'ipv6.opt.router_alert', p + 2, 2, text, String(ra), ra);
    }
    p += size;
  }
}

function optionsTree(name: string, title: string) {
  return (t: Tree, i: number): Field => {
    const at = t.L.start[i];
    const node = t.proto(name, title, at, t.stop, t.stop);
    head(t, node, name, at);
    if (t.fits(at, 2)) options(t, node, at, t.stop);
    return node;
  };
}

function routingTree(t: Tree, i: number): Field {
  const b = t.bytes;
  const at = t.L.start[i];
  const node = t.proto('ipv6.routing', 'Routing Header for IPv6', at, t.stop, t.stop);
  head(t, node, 'ipv6.routing', at);
  const type = b[at + IPV6_RT_OFF.type];
  t.add(node, 'ipv6.routing.type', at + IPV6_RT_OFF.type, 1, `Type: ${type}`, String(type), type);
  const left = b[at + IPV6_RT_OFF.segmentsLeft];
  const lText = `Segments Left: ${left}`;
  t.add(node, 'ipv6.routing.segleft', at + IPV6_RT_OFF.segmentsLeft, 1, lText, String(left), left);
  return node;
}

function fragmentTree(t: Tree, i: number): Field {
  const b = t.bytes;
  const at = t.L.start[i];
  const node = t.proto('ipv6.fraghdr', 'Fragment Header for IPv6', at, t.stop, t.stop);
  const nx = b[at + IPV6_EXT_OFF.nexthdr];
  const nText = `Next header: ${IP_PROTO_NAMES[nx] ?? 'Unknown'} (${nx})`;
  t.add(node, 'ipv6.fraghdr.nxt', at, 1, nText, String(nx), nx);
  const r = b[at + IPV6_FRAG_OFF.reserved];
  const rText = `Reserved octet: ${hex(r, 2)}`;
  t.add(node, 'ipv6.fraghdr.reserved_octet', at + IPV6_FRAG_OFF.reserved, 1, rText, hex(r, 2), r);
  if (!t.fits(at + IPV6_FRAG_OFF.fragOff, 2)) return node;
  const p = at + IPV6_FRAG_OFF.fragOff;
  const word = getU16(b, p);
  const off = word >> 3;
  t.add(
    node,
    'ipv6.fraghdr.offset',
    p,
    2,
    `${bitPrefix(word, 0xfff8, 16)}Offset: ${off}`,
    String(off),
    off,
  );
  const res = (word >> 1) & 3;
  const resText = `${bitPrefix(word, 0x0006, 16)}Reserved bits: ${res}`;
  t.add(node, 'ipv6.fraghdr.reserved_bits', p, 2, resText, String(res), res);
  const m = word & 1;
  const mText = `${bitPrefix(word, 0x0001, 16)}More Fragments: ${m ? 'Yes' : 'No'}`;
  t.add(node, 'ipv6.fraghdr.more', p, 2, mText, String(m), m);
  const q = at + IPV6_FRAG_OFF.identification;
  if (t.fits(q, 4)) {
    const id = getU32(b, q);
    t.add(node, 'ipv6.fraghdr.ident', q, 4, `Identification: ${hex(id, 8)}`, hex(id, 8), id);
  }
  return node;
}

// ---- the filter's readers

/** The fields of each option of the options headers of `kind`, as the tree walks them. */
function optionReader(
  kind: number,
  what: 'opt' | 'type' | 'length' | 'pad1' | 'padn' | 'ra',
): Collect {
  return each(kind, (L, _i, at, stop, V) => {
    const b = L.bytes;
    if (at + 2 > stop) return;
    for (let p = at + 2; p < stop;) {
      const type = b[p];
      const len = type === 0 || p + 1 >= stop ? 0 : b[p + 1];
      const size = type === 0 ? 1 : 2 + len;
      if (what === 'opt') V.push(0, p, Math.min(p + size, stop) - p);
      if (what === 'type') V.push(type, p, 1);
      if (type === 0) {
        if (what === 'pad1') V.push(0, p, 1);
        p++;
        continue;
      }
      if (p + 2 > stop) return;
      if (what === 'length') V.push(len, p + 1, 1);
      if (p + size > stop) return;
      if (what === 'padn' && type === 1) V.push(0, p + 2, len);
      if (what === 'ra' && type === 5 && len === 2) V.push(getU16(b, p + 2), p + 2, 2);
      p += size;
    }
  });
}

const whole = (kind: number): Collect =>
  each(kind, (_L, _i, at, stop, V) => V.push(0, at, stop - at));

function extReaders(kind: number, name: string): Record<string, Collect> {
  return {
    [name]: whole(kind),
    [`${name}.nxt`]: u8(kind, IPV6_EXT_OFF.nexthdr),
    [`${name}.len`]: u8(kind, IPV6_EXT_OFF.hdrlen),
    [`${name}.len_oct`]: bits(kind, IPV6_EXT_OFF.hdrlen, 1, 1, (b, p) => (b[p] + 1) * 8),
  };
}

/** The options' readers over both options headers. */
function bothHeaders(what: Parameters<typeof optionReader>[1]): Collect {
  const a = optionReader(L_HOPOPTS, what);
  const b = optionReader(L_DSTOPTS, what);
  return (f, V) => {
    a(f, V);
    b(f, V);
  };
}

/** The columns of a frame whose top layer is an extension header (the snap length cut it). */
function extInfo(text: string): NonNullable<Protocol['info']> {
  return (_L, _i, out) => {
    out.protocol = 'IPv6';
    out.info = text;
    return 0;
  };
}

export const IPV6_HOPOPTS: Protocol = {
  name: 'ipv6.hopopts',
  kind: L_HOPOPTS,
  fields: [...extFields('ipv6.hopopts', 'IPv6 Hop-by-Hop Option'), ...optionFields],
  readers: {
    ...extReaders(L_HOPOPTS, 'ipv6.hopopts'),
    'ipv6.opt': bothHeaders('opt'),
    'ipv6.opt.type': bothHeaders('type'),
    'ipv6.opt.length': bothHeaders('length'),
    'ipv6.opt.pad1': bothHeaders('pad1'),
    'ipv6.opt.padn': bothHeaders('padn'),
    'ipv6.opt.router_alert': bothHeaders('ra'),
  },
  tree: optionsTree('ipv6.hopopts', 'IPv6 Hop-by-Hop Option'),
  info: extInfo('IPv6 hop-by-hop options'),
};

export const IPV6_DSTOPTS: Protocol = {
  name: 'ipv6.dstopts',
  kind: L_DSTOPTS,
  fields: extFields('ipv6.dstopts', 'Destination Options for IPv6'),
  readers: extReaders(L_DSTOPTS, 'ipv6.dstopts'),
  tree: optionsTree('ipv6.dstopts', 'Destination Options for IPv6'),
  info: extInfo('IPv6 destination options'),
};

export const IPV6_ROUTING: Protocol = {
  name: 'ipv6.routing',
  kind: L_ROUTING,
  fields: [
    ...extFields('ipv6.routing', 'Routing Header for IPv6'),
    field('ipv6.routing.type', 'uint', 'Type'),
    field('ipv6.routing.segleft', 'uint', 'Segments Left'),
  ],
  readers: {
    ...extReaders(L_ROUTING, 'ipv6.routing'),
    'ipv6.routing.type': u8(L_ROUTING, IPV6_RT_OFF.type),
    'ipv6.routing.segleft': u8(L_ROUTING, IPV6_RT_OFF.segmentsLeft),
  },
  tree: routingTree,
  info: extInfo('IPv6 routing'),
};

const fragBits = (fn: (w: number) => number): Collect =>
  bits(L_FRAGHDR, IPV6_FRAG_OFF.fragOff, 2, 2, (b, p) => fn(getU16(b, p)));

export const IPV6_FRAGHDR: Protocol = {
  name: 'ipv6.fraghdr',
  kind: L_FRAGHDR,
  fields: [
    field('ipv6.fraghdr', 'protocol', 'Fragment Header for IPv6'),
    field('ipv6.fraghdr.nxt', 'uint', 'Next header', IP_PROTO_NAMES),
    field('ipv6.fraghdr.reserved_octet', 'uint', 'Reserved octet'),
    field('ipv6.fraghdr.offset', 'uint', 'Offset (8-octet units)'),
    field('ipv6.fraghdr.reserved_bits', 'uint', 'Reserved bits'),
    field('ipv6.fraghdr.more', 'bool', 'More Fragments'),
    field('ipv6.fraghdr.ident', 'uint', 'Identification'),
  ],
  readers: {
    'ipv6.fraghdr': whole(L_FRAGHDR),
    'ipv6.fraghdr.nxt': u8(L_FRAGHDR, IPV6_EXT_OFF.nexthdr),
    'ipv6.fraghdr.reserved_octet': u8(L_FRAGHDR, IPV6_FRAG_OFF.reserved),
    'ipv6.fraghdr.offset': fragBits((w) => w >> 3),
    'ipv6.fraghdr.reserved_bits': fragBits((w) => (w >> 1) & 3),
    'ipv6.fraghdr.more': fragBits((w) => w & 1),
    'ipv6.fraghdr.ident': each(L_FRAGHDR, (L, _i, at, stop, V) => {
      const q = at + IPV6_FRAG_OFF.identification;
      if (q + 4 <= stop) V.push(getU32(L.bytes, q), q, 4);
    }),
  },
  tree: fragmentTree,
  // `IPv6 fragment (off=0 more=y ident=0x00000099 nxt=58)`, as Wireshark words one it keeps.
  info: (L, i, out) => {
    const b = L.bytes;
    const at = L.start[i];
    out.protocol = 'IPv6';
    out.info = 'IPv6 fragment';
    if (at + IPV6_FRAG_HLEN > L.stop[i]) return 0;
    const word = getU16(b, at + IPV6_FRAG_OFF.fragOff);
    const id = hex(getU32(b, at + IPV6_FRAG_OFF.identification), 8);
    const more = word & 1 ? 'y' : 'n';
    out.info += ` (off=${word & 0xfff8} more=${more} ident=${id} nxt=${b[at + IPV6_EXT_OFF.nexthdr]})`;
    return 0;
  },
};
