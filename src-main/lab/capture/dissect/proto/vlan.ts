import { getU16 } from '../../../wire/bytes';
import { field, valueName } from '../field-types';
import { isTag, L_SVLAN, L_VLAN } from '../kinds';
import { bitPrefix, hex } from '../names';
import type { Protocol } from '../protocol';
import { each, protocol, type Collect } from '../readers';
import type { Field, Tree } from '../tree';
import { leaf } from '../tree';
import { ETHERTYPE_NAMES, etherTypeText, ethernetInfo } from './eth';

/**
 * 802.1Q tags and 802.1ad service tags (Q-in-Q's outer tag, 0x88a8): the same 4 bytes, a TCI
 * (priority, DEI, VLAN id) and the type or length that follows. `parseEthernet` finds them.
 */

/** Byte offsets of a tag's fields (Linux's struct vlan_hdr, after the Ethernet addresses). */
export const VLAN_OFF = { tci: 0, proto: 2 } as const;
export const VLAN_HLEN = 4;

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

const vlanFields = [
  field('vlan', 'protocol', '802.1Q Virtual LAN'),
  field('vlan.priority', 'uint', 'Priority', VLAN_PRIORITY_NAMES),
  field('vlan.dei', 'bool', 'Drop eligible indicator'),
  field('vlan.id', 'uint', 'VLAN identifier'),
  field('vlan.etype', 'uint', 'Type', ETHERTYPE_NAMES),
  field('vlan.len', 'uint', 'Length (IEEE 802.3)'),
];

const adFields = [
  field('ieee8021ad', 'protocol', 'IEEE 802.1ad (the service tag of Q-in-Q)'),
  field('ieee8021ad.priority', 'uint', 'Priority'),
  field('ieee8021ad.dei', 'uint', 'DEI'),
  field('ieee8021ad.id', 'uint', 'ID'),
];

// ---- the tree

function tree(t: Tree, i: number): Field {
  const b = t.bytes;
  const L = t.L;
  const at = L.start[i];
  // An 802.1ad tag has the same layout; Wireshark names it ieee8021ad and words it shorter.
  const ad = L.kind[i] === L_SVLAN;
  const name = ad ? 'ieee8021ad' : 'vlan';
  const title = ad ? 'IEEE 802.1ad' : '802.1Q Virtual LAN';
  if (!t.fits(at, VLAN_HLEN)) return t.proto(name, title, at, at + VLAN_HLEN, L.end);
  const tci = getU16(b, at + VLAN_OFF.tci);
  const pri = tci >> 13;
  const dei = (tci >> 12) & 1;
  const id = tci & 0xfff;
  const label = ad ? `${title}, ID: ${id}` : `${title}, PRI: ${pri}, DEI: ${dei}, ID: ${id}`;
  const node = t.proto(name, label, at, at + VLAN_HLEN, L.end);
  const p = at + VLAN_OFF.tci;
  const type = getU16(b, at + VLAN_OFF.proto);
  if (ad) {
    const bits = (mask: number) => bitPrefix(tci, mask, 16);
    t.add(node, 'ieee8021ad.priority', p, 2, `${bits(0xe000)}Priority: ${pri}`, String(pri), pri);
    t.add(node, 'ieee8021ad.dei', p, 2, `${bits(0x1000)}DEI: ${dei}`, String(dei), dei);
    t.add(node, 'ieee8021ad.id', p, 2, `${bits(0x0fff)}ID: ${id}`, String(id), id);
    const q = at + VLAN_OFF.proto;
    node.children.push(leaf('', `Type: ${etherTypeText(type)}`, hex(type, 4), q, q + 2));
    return node;
  }
  const priName = valueName(VLAN_PRIORITY_NAMES, pri);
  const priText = `${bitPrefix(tci, 0xe000, 16)}Priority: ${priName} (${pri})`;
  t.add(node, 'vlan.priority', p, 2, priText, String(pri), pri);
  const deiText = `${bitPrefix(tci, 0x1000, 16)}DEI: ${dei ? 'Eligible' : 'Ineligible'}`;
  t.add(node, 'vlan.dei', p, 2, deiText, String(dei), dei);
  t.add(node, 'vlan.id', p, 2, `${bitPrefix(tci, 0x0fff, 16)}ID: ${id}`, String(id), id);
  const q = at + VLAN_OFF.proto;
  const last = i + 1 >= L.n || !isTag(L.kind[i + 1]);
  if (last && L.is8023) t.add(node, 'vlan.len', q, 2, `Length: ${type}`, String(type), type);
  else t.add(node, 'vlan.etype', q, 2, `Type: ${etherTypeText(type)}`, hex(type, 4), type);
  return node;
}

// ---- the filter's readers

const tciReader = (value: (tci: number) => number, kind = L_VLAN): Collect =>
  each(kind, (L, _i, at, stop, V) => {
    if (at + VLAN_HLEN <= stop) V.push(value(getU16(L.bytes, at + VLAN_OFF.tci)), at, 2);
  });

const typeReader = (wantLen: boolean): Collect =>
  each(L_VLAN, (L, i, at, stop, V) => {
    if (at + VLAN_HLEN > stop) return;
    const last = i + 1 >= L.n || !isTag(L.kind[i + 1]);
    const q = at + VLAN_OFF.proto;
    if ((last && L.is8023) === wantLen) V.push(getU16(L.bytes, q), q, 2);
  });

const tag = (kind: number): Collect =>
  protocol(
    kind,
    () => VLAN_HLEN,
    (L) => L.end,
  );

const pri = (t: number) => t >> 13;
const dei = (t: number) => (t >> 12) & 1;
const vid = (t: number) => t & 0xfff;

export const VLAN: Protocol = {
  name: 'vlan',
  kind: L_VLAN,
  fields: vlanFields,
  readers: {
    vlan: tag(L_VLAN),
    'vlan.priority': tciReader(pri),
    'vlan.dei': tciReader(dei),
    'vlan.id': tciReader(vid),
    'vlan.etype': typeReader(false),
    'vlan.len': typeReader(true),
  },
  tree,
  // Tags around a type the lab does not dissect: named by that type, as Wireshark does.
  info: (L, _i, out) => ethernetInfo(L, out),
};

export const IEEE8021AD: Protocol = {
  name: 'ieee8021ad',
  kind: L_SVLAN,
  fields: adFields,
  readers: {
    ieee8021ad: tag(L_SVLAN),
    'ieee8021ad.priority': tciReader(pri, L_SVLAN),
    'ieee8021ad.dei': tciReader(dei, L_SVLAN),
    'ieee8021ad.id': tciReader(vid, L_SVLAN),
  },
  tree,
  info: (L, _i, out) => ethernetInfo(L, out),
};
