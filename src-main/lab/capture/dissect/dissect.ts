import {
  PAYLOAD_HLEN,
  PAYLOAD_OFF_ID,
  PAYLOAD_OFF_SEQ,
  PAYLOAD_OFF_TIME,
} from '../../traffic/payload';
import { getU16, getU32 } from '../../wire/bytes';
import { verifyInternetChecksum } from '../../wire/checksum';
import { crc32 } from '../../wire/crc32';
import {
  ICMP_DEST_UNREACH,
  ICMP_FRAG_NEEDED,
  ICMP_HLEN,
  ICMP_PARAMETERPROB,
} from '../../wire/icmp';
import {
  IGMP_HLEN,
  IGMP_HOST_LEAVE_MESSAGE,
  IGMP_HOST_MEMBERSHIP_QUERY,
  IGMPV1_HOST_MEMBERSHIP_REPORT,
  IGMPV2_HOST_MEMBERSHIP_REPORT,
  IGMPV3_HOST_MEMBERSHIP_REPORT,
  IGMPV3_QUERY_HLEN,
  IGMPV3_RECORD_HLEN,
  igmpv3DecodeTime,
} from '../../wire/igmp';
import { IPV4_HLEN } from '../../wire/ipv4';
import { ARPHRD_ETHER, ARPHRD_IEEE802, arpOffsets } from '../../wire/arp';
import { ETH_P_IP } from '../../wire/ethernet';
import { formatIpv4 } from '../../wire/ipv4-addr';
import { formatMac, macKey } from '../../wire/mac';
import { UDP_HLEN } from '../../wire/udp';
import {
  ARP_HW_TYPE_NAMES,
  ARP_OPCODE_NAMES,
  CHECKSUM_BAD,
  CHECKSUM_GOOD,
  CHECKSUM_NOT_PRESENT,
  CHECKSUM_STATUS_NAMES,
  CHECKSUM_UNVERIFIED,
  ETHERTYPE_NAMES,
  ICMP_TYPE_NAMES,
  IGMP_RECORD_TYPE_NAMES,
  IGMP_TYPE_NAMES,
  IP_PROTO_NAMES,
  VLAN_PRIORITY_NAMES,
  valueName,
} from './fields';
import {
  FrameLayers,
  icmpHasIdSeq,
  L_ARP,
  L_ETH,
  L_ICMP,
  L_IGMP,
  L_IP,
  L_NETLAB,
  L_UDP,
  L_VLAN,
  L_SVLAN,
  isTag,
} from './layers';
import { labTimeNs, type FrameMeta } from './meta';
import { formatDate, formatExact, formatSpanNs } from '../time';
import { bitPrefix, hex, hexBytes, macWithName, setOrNot } from './names';
import { icmpCodeName, igmpVersion, ipOptionNames, dscpName, ecnName } from './text';

/**
 * One item of the packet-details tree, as Wireshark shows it.
 *
 * - `name`: the display-filter name (`ip.dst`), or '' for a label that is not a field.
 * - `label`: the line Wireshark shows (`Destination Address: 239.1.1.1`).
 * - `value`: the value alone, for display (`239.1.1.1`).
 * - `range`: the bytes it covers, [start, end) from the frame's first byte,
 *   so a UI can highlight them (zero-width for generated items).
 * - `raw`: the typed value the display filter compares: a number for integers,
 *   flags, IPv4 addresses (host order) and MACs (the 48-bit `macKey`), a string
 *   for text; absent for protocols and bytes, whose value is the bytes in `range`.
 * - `hidden`: a field Wireshark keeps out of sight but filters on (`ip.addr`, `udp.port`).
 * - `malformed`: on a layer, why its header is malformed or truncated.
 * - `dataEnd`: on a layer, where the bytes it carries end (`udp contains "x"` searches them).
 */
export interface Field {
  name: string;
  label: string;
  value: string;
  range: [number, number];
  raw?: number | string;
  hidden?: boolean;
  malformed?: string;
  dataEnd?: number;
  children: Field[];
}

/** Reused by every `dissect` call: the tree is built from its offsets. */
const layers = new FrameLayers();

/**
 * Dissects the frame in `bytes[0, len)` into its layers' fields. With `meta`,
 * the tree starts with the `frame` layer (number, time, lengths, capture point,
 * direction, fate). Malformed and truncated headers are dissected as far as
 * their bytes go and marked; nothing here throws.
 */
export function dissect(bytes: Uint8Array, len = bytes.length, meta?: FrameMeta): Field[] {
  if (len > bytes.length) len = bytes.length;
  if (!(len >= 0)) len = 0;
  const L = layers.parse(bytes, len, 0, meta ? meta.wireLength : len, false, meta?.fromLab ?? true);
  const b = new Builder(bytes, L);
  const out: Field[] = [];
  if (meta) out.push(b.frame(meta, len));
  let icmpNode: Field | null = null;
  for (let i = 0; i < L.n; i++) {
    const node = b.layer(i, meta);
    if (L.bad[i] !== '') {
      node.malformed = L.bad[i];
      const at = L.start[i];
      node.children.push(
        leaf('_ws.malformed', `[Malformed Packet: ${L.bad[i]}]`, L.bad[i], at, at),
      );
    }
    if (icmpNode !== null) icmpNode.children.push(node);
    else out.push(node);
    if (L.kind[i] === L_ICMP && L.quoted[i] === 0) icmpNode = node;
  }
  if (L.limited) {
    // Where Wireshark's dissectors ran out of a snapped frame's bytes (its `_ws.short`).
    const last = out[out.length - 1];
    last.children.push(leaf('_ws.short', '[Packet size limited during capture]', '', len, len));
  }
  b.trailer(out);
  return out;
}

function leaf(
  name: string,
  label: string,
  value: string,
  start: number,
  end: number,
  raw?: number | string,
): Field {
  const f: Field = { name, label, value, range: [start, end], children: [] };
  if (raw !== undefined) f.raw = raw;
  return f;
}

class Builder {
  /** End of the bytes the current layer may use. */
  private stop = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly L: FrameLayers,
  ) {}

  /** Adds a field when its bytes lie within the layer; returns it, or null when they do not. */
  private add(
    parent: Field,
    name: string,
    at: number,
    size: number,
    label: string,
    value: string,
    raw?: number | string,
  ): Field | null {
    if (at + size > this.stop) return null;
    const f = leaf(name, label, value, at, at + size, raw);
    parent.children.push(f);
    return f;
  }

  /**
   * A 16-bit field as Wireshark shows ICMP's identifier and sequence number: read big-endian
   * (`name`) and little-endian (`name_le`), since senders write them either way.
   */
  private addU16BothWays(parent: Field, name: string, title: string, at: number): void {
    const be = getU16(this.bytes, at);
    const le = swap16(be);
    this.add(parent, name, at, 2, `${title} (BE): ${be} (${hex(be, 4)})`, String(be), be);
    this.add(parent, `${name}_le`, at, 2, `${title} (LE): ${le} (${hex(le, 4)})`, String(le), le);
  }

  private hidden(
    parent: Field,
    name: string,
    at: number,
    size: number,
    label: string,
    value: string,
    raw: number,
  ): void {
    const f = this.add(parent, name, at, size, label, value, raw);
    if (f) f.hidden = true;
  }

  private fits(at: number, size: number): boolean {
    return at + size <= this.stop;
  }

  private proto(
    name: string,
    label: string,
    start: number,
    headerEnd: number,
    dataEnd: number,
  ): Field {
    const f = leaf(name, label, '', start, Math.min(headerEnd, this.stop));
    f.dataEnd = dataEnd;
    return f;
  }

  frame(meta: FrameMeta, len: number): Field {
    const wire = meta.wireLength;
    const point = meta.point();
    const dir = meta.direction();
    const fate = meta.fate();
    const on = point !== '' ? ` on ${point}` : '';
    const node = leaf(
      'frame',
      `Frame ${meta.number}: ${wire} bytes on wire (${wire * 8} bits), ${len} bytes captured (${len * 8} bits)${on}`,
      '',
      0,
      len,
    );
    node.dataEnd = len;
    const c = node.children;
    c.push(
      leaf('frame.number', `Frame Number: ${meta.number}`, String(meta.number), 0, 0, meta.number),
    );
    // Times as tshark shows them, exactly (time.ts); each raw value is ns, as filters read it.
    const t = { sec: 0, nsec: 0 };
    meta.instant(t);
    const date = formatDate(t);
    c.push(leaf('frame.time', `Arrival Time: ${date}`, date, 0, 0));
    const epoch = formatExact(t);
    c.push(
      leaf('frame.time_epoch', `Epoch Arrival Time: ${epoch} seconds`, epoch, 0, 0, meta.timeNs),
    );
    const delta = meta.sincePrevious();
    c.push(
      leaf(
        'frame.time_delta',
        `Time delta from previous captured frame: ${formatSpanNs(delta)} seconds`,
        formatSpanNs(delta),
        0,
        0,
        delta,
      ),
    );
    const rel = meta.sinceFirst();
    c.push(
      leaf(
        'frame.time_relative',
        `Time since reference or first frame: ${formatSpanNs(rel)} seconds`,
        formatSpanNs(rel),
        0,
        0,
        rel,
      ),
    );
    c.push(
      leaf('frame.len', `Frame Length: ${wire} bytes (${wire * 8} bits)`, String(wire), 0, 0, wire),
    );
    c.push(
      leaf(
        'frame.cap_len',
        `Capture Length: ${len} bytes (${len * 8} bits)`,
        String(len),
        0,
        0,
        len,
      ),
    );
    if (point !== '') c.push(leaf('point', `Capture point: ${point}`, point, 0, 0, point));
    if (dir !== '') c.push(leaf('direction', `Direction: ${dir}`, dir, 0, 0, dir));
    if (fate !== '') c.push(leaf('fate', `Fate: ${fate}`, fate, 0, 0, fate));
    return node;
  }

  layer(i: number, meta: FrameMeta | undefined): Field {
    const L = this.L;
    this.stop = L.stop[i];
    const at = L.start[i];
    switch (L.kind[i]) {
      case L_ETH:
        return this.ethernet(at);
      case L_VLAN:
        return this.vlan(at, i);
      case L_SVLAN:
        return this.vlan(at, i);
      case L_ARP:
        return this.arp(at);
      case L_IP:
        return this.ip(at, i);
      case L_ICMP:
        return this.icmp(at, i);
      case L_IGMP:
        return this.igmp(at);
      case L_UDP:
        return this.udp(at, i);
      case L_NETLAB:
        return this.netlab(at, meta);
      default:
        return this.data(at);
    }
  }

  private macField(parent: Field, name: string, title: string, at: number): void {
    const b = this.bytes;
    if (!this.fits(at, 6)) return;
    const text = formatMac(b, at);
    const key = macKey(b, at);
    const f = this.add(parent, name, at, 6, `${title}: ${macWithName(b, at)}`, text, key)!;
    this.add(f, 'eth.addr', at, 6, `Address: ${macWithName(b, at)}`, text, key);
    const word = (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];
    const lg = (b[at] >> 1) & 1;
    const ig = b[at] & 1;
    const lgText = `${bitPrefix(word, 0x020000, 24)}LG bit: ${
      lg
        ? 'Locally administered address (this is NOT the factory default)'
        : 'Globally unique address (factory default)'
    }`;
    const igText = `${bitPrefix(word, 0x010000, 24)}IG bit: ${
      ig ? 'Group address (multicast/broadcast)' : 'Individual address (unicast)'
    }`;
    this.add(f, `${name}.lg`, at, 3, lgText, String(lg), lg);
    this.hidden(f, 'eth.lg', at, 3, lgText, String(lg), lg);
    this.add(f, `${name}.ig`, at, 3, igText, String(ig), ig);
    this.hidden(f, 'eth.ig', at, 3, igText, String(ig), ig);
  }

  private ethernet(at: number): Field {
    const b = this.bytes;
    const L = this.L;
    const full = this.fits(at, 14);
    let label: string;
    const kind = L.badType ? 'Ethernet Unknown' : 'Ethernet II';
    if (L.is8023) label = 'IEEE 802.3 Ethernet';
    else if (full) label = `${kind}, Src: ${macWithName(b, at + 6)}, Dst: ${macWithName(b, at)}`;
    else label = kind;
    const node = this.proto('eth', label, at, at + 14, L.end);
    this.macField(node, 'eth.dst', 'Destination', at);
    this.macField(node, 'eth.src', 'Source', at + 6);
    if (full) {
      const type = getU16(b, at + 12);
      if (L.badType && L.tags === 0) {
        const text = `Invalid length/type: ${hex(type, 4)} (${type})`;
        this.add(node, 'eth.invalid_lentype', at + 12, 2, text, hex(type, 4), type);
      } else if (L.is8023 && L.tags === 0)
        this.add(node, 'eth.len', at + 12, 2, `Length: ${type}`, String(type), type);
      else
        this.add(node, 'eth.type', at + 12, 2, `Type: ${etherTypeText(type)}`, hex(type, 4), type);
    }
    return node;
  }

  private vlan(at: number, i: number): Field {
    const b = this.bytes;
    const L = this.L;
    // An 802.1ad tag has the same layout; Wireshark names it ieee8021ad and words it shorter.
    const ad = L.kind[i] === L_SVLAN;
    const name = ad ? 'ieee8021ad' : 'vlan';
    const title = ad ? 'IEEE 802.1ad' : '802.1Q Virtual LAN';
    if (!this.fits(at, 4)) return this.proto(name, title, at, at + 4, L.end);
    const tci = getU16(b, at);
    const pri = tci >> 13;
    const dei = (tci >> 12) & 1;
    const id = tci & 0xfff;
    const node = this.proto(
      name,
      ad ? `${title}, ID: ${id}` : `${title}, PRI: ${pri}, DEI: ${dei}, ID: ${id}`,
      at,
      at + 4,
      L.end,
    );
    if (ad) {
      this.add(
        node,
        'ieee8021ad.priority',
        at,
        2,
        `${bitPrefix(tci, 0xe000, 16)}Priority: ${pri}`,
        String(pri),
        pri,
      );
      this.add(
        node,
        'ieee8021ad.dei',
        at,
        2,
        `${bitPrefix(tci, 0x1000, 16)}DEI: ${dei}`,
        String(dei),
        dei,
      );
      this.add(
        node,
        'ieee8021ad.id',
        at,
        2,
        `${bitPrefix(tci, 0x0fff, 16)}ID: ${id}`,
        String(id),
        id,
      );
      const t = getU16(b, at + 2);
      node.children.push(leaf('', `Type: ${etherTypeText(t)}`, hex(t, 4), at + 2, at + 4));
      return node;
    }
    this.add(
      node,
      'vlan.priority',
      at,
      2,
      `${bitPrefix(tci, 0xe000, 16)}Priority: ${valueName(VLAN_PRIORITY_NAMES, pri)} (${pri})`,
      String(pri),
      pri,
    );
    this.add(
      node,
      'vlan.dei',
      at,
      2,
      `${bitPrefix(tci, 0x1000, 16)}DEI: ${dei ? 'Eligible' : 'Ineligible'}`,
      String(dei),
      dei,
    );
    this.add(node, 'vlan.id', at, 2, `${bitPrefix(tci, 0x0fff, 16)}ID: ${id}`, String(id), id);
    const type = getU16(b, at + 2);
    const last = i + 1 >= L.n || !isTag(L.kind[i + 1]);
    if (last && L.is8023)
      this.add(node, 'vlan.len', at + 2, 2, `Length: ${type}`, String(type), type);
    else
      this.add(node, 'vlan.etype', at + 2, 2, `Type: ${etherTypeText(type)}`, hex(type, 4), type);
    return node;
  }

  private arp(at: number): Field {
    const b = this.bytes;
    const op = this.fits(at, 8) ? getU16(b, at + 6) : -1;
    const what = op < 0 ? '' : ` (${valueName(ARP_OPCODE_NAMES, op)})`;
    const size = this.fits(at, 8) ? arpOffsets(b[at + 4], b[at + 5]).len : 28;
    const node = this.proto(
      'arp',
      `Address Resolution Protocol${what}`,
      at,
      at + size,
      Math.min(at + size, this.stop),
    );
    if (this.fits(at, 2)) {
      const v = getU16(b, at);
      this.add(
        node,
        'arp.hw.type',
        at,
        2,
        `Hardware type: ${valueName(ARP_HW_TYPE_NAMES, v)} (${v})`,
        String(v),
        v,
      );
    }
    if (this.fits(at + 2, 2)) {
      const v = getU16(b, at + 2);
      this.add(
        node,
        'arp.proto.type',
        at + 2,
        2,
        `Protocol type: ${etherTypeText(v)}`,
        hex(v, 4),
        v,
      );
    }
    const hlen = b[at + 4];
    const plen = b[at + 5];
    this.add(node, 'arp.hw.size', at + 4, 1, `Hardware size: ${hlen}`, String(hlen), hlen);
    this.add(node, 'arp.proto.size', at + 5, 1, `Protocol size: ${plen}`, String(plen), plen);
    if (op >= 0)
      this.add(
        node,
        'arp.opcode',
        at + 6,
        2,
        `Opcode: ${valueName(ARP_OPCODE_NAMES, op)} (${op})`,
        String(op),
        op,
      );
    // Addresses of any sizes (arpOffsets), and only when all of them were captured: Wireshark
    // shows none of a packet the snap length cut. A MAC and an IPv4 address by those names,
    // other sizes and types as bytes (arp.src.hw, arp.src.proto…).
    const o = arpOffsets(hlen, plen);
    if (!this.fits(at, o.len)) return node;
    const ether =
      hlen === 6 && (getU16(b, at) === ARPHRD_ETHER || getU16(b, at) === ARPHRD_IEEE802);
    const ipv4 = plen === 4 && getU16(b, at + 2) === ETH_P_IP;
    const hw = (name: string, who: string, p: number) => {
      if (ether) {
        const text = `${who} MAC address: ${macWithName(b, p)}`;
        this.add(node, `${name}_mac`, p, 6, text, formatMac(b, p), macKey(b, p));
      } else if (hlen > 0) {
        const v = hexBytes(b, p, p + hlen);
        this.add(node, name, p, hlen, `${who} hardware address: ${v}`, v);
      }
    };
    const pa = (name: string, who: string, p: number) => {
      if (ipv4) {
        const v = getU32(b, p);
        this.add(
          node,
          `${name}_ipv4`,
          p,
          4,
          `${who} IP address: ${formatIpv4(v)}`,
          formatIpv4(v),
          v,
        );
      } else if (plen > 0) {
        const v = hexBytes(b, p, p + plen);
        this.add(node, name, p, plen, `${who} protocol address: ${v}`, v);
      }
    };
    hw('arp.src.hw', 'Sender', at + o.sha);
    pa('arp.src.proto', 'Sender', at + o.spa);
    hw('arp.dst.hw', 'Target', at + o.tha);
    pa('arp.dst.proto', 'Target', at + o.tpa);
    return node;
  }

  private ip(at: number, i: number): Field {
    const b = this.bytes;
    const L = this.L;
    const stop = this.stop;
    const vihl = b[at];
    const hl = (vihl & 15) << 2;
    const hasSrc = this.fits(at + 12, 4);
    const hasDst = this.fits(at + 16, 4);
    let label = 'Internet Protocol Version 4';
    if (hasSrc) label += `, Src: ${formatIpv4(getU32(b, at + 12))}`;
    if (hasDst) label += `, Dst: ${formatIpv4(getU32(b, L.ipDestination(i)))}`;
    const total = this.fits(at + 2, 2) ? getU16(b, at + 2) : 0;
    const dataEnd = L.bad[i] === '' ? Math.min(at + total, stop) : stop;
    const node = this.proto('ip', label, at, at + Math.max(hl, IPV4_HLEN), dataEnd);
    if (!this.fits(at, 1)) return node;
    const version = vihl >> 4;
    this.add(
      node,
      'ip.version',
      at,
      1,
      `${bitPrefix(vihl, 0xf0, 8)}Version: ${version}`,
      String(version),
      version,
    );
    this.add(
      node,
      'ip.hdr_len',
      at,
      1,
      `${bitPrefix(vihl, 0x0f, 8)}Header Length: ${hl} bytes (${vihl & 15})`,
      String(hl),
      hl,
    );
    if (this.fits(at + 1, 1)) {
      const tos = b[at + 1];
      const dscp = tos >> 2;
      const ecn = tos & 3;
      const ds = this.add(
        node,
        'ip.dsfield',
        at + 1,
        1,
        `Differentiated Services Field: ${hex(tos, 2)} (DSCP: ${dscpName(dscp, true)}, ECN: ${ecnName(ecn, true)})`,
        hex(tos, 2),
        tos,
      )!;
      this.add(
        ds,
        'ip.dsfield.dscp',
        at + 1,
        1,
        `${bitPrefix(tos, 0xfc, 8)}Differentiated Services Codepoint: ${dscpName(dscp, false)} (${dscp})`,
        String(dscp),
        dscp,
      );
      this.add(
        ds,
        'ip.dsfield.ecn',
        at + 1,
        1,
        `${bitPrefix(tos, 0x03, 8)}Explicit Congestion Notification: ${ecnName(ecn, false)} (${ecn})`,
        String(ecn),
        ecn,
      );
    }
    if (this.fits(at + 2, 2))
      this.add(node, 'ip.len', at + 2, 2, `Total Length: ${total}`, String(total), total);
    if (this.fits(at + 4, 2)) {
      const id = getU16(b, at + 4);
      this.add(node, 'ip.id', at + 4, 2, `Identification: ${hex(id, 4)} (${id})`, hex(id, 4), id);
    }
    if (this.fits(at + 6, 2)) {
      const word = getU16(b, at + 6);
      const flags = word >> 13;
      const df = (flags >> 1) & 1;
      const mf = flags & 1;
      const rb = flags >> 2;
      const names = [
        rb ? 'Reserved bit' : '',
        df ? "Don't fragment" : '',
        mf ? 'More fragments' : '',
      ].filter((s) => s !== '');
      const fl = this.add(
        node,
        'ip.flags',
        at + 6,
        1,
        `${bitPrefix(b[at + 6], 0xe0, 8)}Flags: ${hex(flags, 1)}${names.length ? ', ' + names.join(', ') : ''}`,
        hex(flags, 1),
        flags,
      )!;
      this.add(
        fl,
        'ip.flags.rb',
        at + 6,
        1,
        `${bitPrefix(b[at + 6], 0x80, 8)}Reserved bit: ${setOrNot(rb === 1)}`,
        String(rb),
        rb,
      );
      this.add(
        fl,
        'ip.flags.df',
        at + 6,
        1,
        `${bitPrefix(b[at + 6], 0x40, 8)}Don't fragment: ${setOrNot(df === 1)}`,
        String(df),
        df,
      );
      this.add(
        fl,
        'ip.flags.mf',
        at + 6,
        1,
        `${bitPrefix(b[at + 6], 0x20, 8)}More fragments: ${setOrNot(mf === 1)}`,
        String(mf),
        mf,
      );
      // The field counts 8-byte units, as filters compare it; the label says bytes, as Wireshark's does.
      const units = word & 0x1fff;
      this.add(
        node,
        'ip.frag_offset',
        at + 6,
        2,
        `${bitPrefix(word, 0x1fff, 16)}Fragment Offset: ${units << 3}`,
        String(units),
        units,
      );
    }
    if (this.fits(at + 8, 1))
      this.add(
        node,
        'ip.ttl',
        at + 8,
        1,
        `Time to Live: ${b[at + 8]}`,
        String(b[at + 8]),
        b[at + 8],
      );
    if (this.fits(at + 9, 1)) {
      const p = b[at + 9];
      this.add(
        node,
        'ip.proto',
        at + 9,
        1,
        `Protocol: ${valueName(IP_PROTO_NAMES, p)} (${p})`,
        String(p),
        p,
      );
    }
    if (this.fits(at + 10, 2)) {
      const sum = getU16(b, at + 10);
      const status =
        hl >= IPV4_HLEN && this.fits(at, hl)
          ? verifyInternetChecksum(b, at, hl)
            ? CHECKSUM_GOOD
            : CHECKSUM_BAD
          : CHECKSUM_UNVERIFIED;
      this.checksum(
        node,
        'ip.checksum',
        'Header Checksum',
        'Header checksum status',
        at + 10,
        sum,
        status,
      );
    }
    if (hasSrc) this.address(node, 'ip.src', 'Source Address', at + 12);
    if (hasDst) {
      // Source-routed: ip.dst is the route's last hop, the header's is the current route.
      const d = L.ipDestination(i);
      if (d !== at + 16) this.address(node, 'ip.cur_rt', 'Current Route', at + 16, false);
      this.address(node, 'ip.dst', 'Destination Address', d);
    }
    if (hl > IPV4_HLEN && this.fits(at, hl)) {
      const n = hl - IPV4_HLEN;
      const names = ipOptionNames(b, at + IPV4_HLEN, at + hl);
      // The options as Wireshark shows them: a labelled group (no filter name of its own) of
      // each option's type and length (ip.opt.type, ip.opt.len).
      const opts = leaf(
        '',
        `Options: (${n} bytes)${names ? ', ' + names : ''}`,
        hexBytes(b, at + IPV4_HLEN, at + hl),
        at + IPV4_HLEN,
        at + hl,
      );
      node.children.push(opts);
      let p = at + IPV4_HLEN;
      while (p < at + hl) {
        const type = b[p];
        this.add(opts, 'ip.opt.type', p, 1, `Type: ${type}`, String(type), type);
        if (type === 0) break;
        if (type === 1) {
          p++;
          continue;
        }
        if (p + 1 >= at + hl) break;
        const len = b[p + 1];
        this.add(opts, 'ip.opt.len', p + 1, 1, `Length: ${len}`, String(len), len);
        if (len < 2) break;
        p += len;
      }
    }
    return node;
  }

  private address(node: Field, name: string, title: string, at: number, addr = true): void {
    const v = getU32(this.bytes, at);
    const text = formatIpv4(v);
    this.add(node, name, at, 4, `${title}: ${text}`, text, v);
    if (addr)
      this.hidden(node, 'ip.addr', at, 4, `Source or Destination Address: ${text}`, text, v);
  }

  private checksum(
    node: Field,
    name: string,
    title: string,
    statusTitle: string,
    at: number,
    sum: number,
    status: number,
  ): void {
    const note =
      status === CHECKSUM_GOOD
        ? 'correct'
        : status === CHECKSUM_BAD
          ? 'incorrect'
          : status === CHECKSUM_NOT_PRESENT
            ? 'zero-value ignored'
            : 'unverified';
    this.add(node, name, at, 2, `${title}: ${hex(sum, 4)} [${note}]`, hex(sum, 4), sum);
    this.add(
      node,
      `${name}.status`,
      at,
      0,
      `${statusTitle}: ${CHECKSUM_STATUS_NAMES[status]}`,
      CHECKSUM_STATUS_NAMES[status],
      status,
    );
  }

  private icmp(at: number, i: number): Field {
    const b = this.bytes;
    const L = this.L;
    const stop = this.stop;
    const node = this.proto('icmp', 'Internet Control Message Protocol', at, stop, stop);
    if (!this.fits(at, 1)) return node;
    const type = b[at];
    this.add(
      node,
      'icmp.type',
      at,
      1,
      `Type: ${type} (${valueName(ICMP_TYPE_NAMES, type)})`,
      String(type),
      type,
    );
    if (!this.fits(at + 1, 1)) return node;
    const code = b[at + 1];
    const codeName = icmpCodeName(type, code);
    this.add(
      node,
      'icmp.code',
      at + 1,
      1,
      codeName ? `Code: ${code} (${codeName})` : `Code: ${code}`,
      String(code),
      code,
    );
    if (this.fits(at + 2, 2)) {
      // The checksum covers the whole message: only a whole one can be verified.
      const whole = L.quoted[i] === 0 && !L.snapped && stop - at >= ICMP_HLEN;
      const status = whole
        ? verifyInternetChecksum(b, at, stop - at)
          ? CHECKSUM_GOOD
          : CHECKSUM_BAD
        : CHECKSUM_UNVERIFIED;
      this.checksum(
        node,
        'icmp.checksum',
        'Checksum',
        'Checksum Status',
        at + 2,
        getU16(b, at + 2),
        status,
      );
    }
    // The identifier alone when the snap length cut the sequence number off, as Wireshark shows.
    if (icmpHasIdSeq(type) && this.fits(at + 4, 2) && !this.fits(at + 6, 2)) {
      this.addU16BothWays(node, 'icmp.ident', 'Identifier', at + 4);
    }
    if (!this.fits(at + 4, 4)) return node;
    if (icmpHasIdSeq(type)) {
      this.addU16BothWays(node, 'icmp.ident', 'Identifier', at + 4);
      this.addU16BothWays(node, 'icmp.seq', 'Sequence Number', at + 6);
    } else if (type === ICMP_DEST_UNREACH && code === ICMP_FRAG_NEEDED) {
      this.add(
        node,
        'icmp.unused',
        at + 4,
        2,
        `Unused: ${hexBytes(b, at + 4, at + 6)}`,
        hexBytes(b, at + 4, at + 6),
      );
      const mtu = getU16(b, at + 6);
      this.add(node, 'icmp.mtu', at + 6, 2, `MTU of next hop: ${mtu}`, String(mtu), mtu);
    } else if (type === 5) {
      const gw = getU32(b, at + 4);
      this.add(
        node,
        'icmp.redir_gw',
        at + 4,
        4,
        `Gateway Address: ${formatIpv4(gw)}`,
        formatIpv4(gw),
        gw,
      );
    } else if (type === ICMP_PARAMETERPROB) {
      this.add(
        node,
        'icmp.pointer',
        at + 4,
        1,
        `Pointer: ${b[at + 4]}`,
        String(b[at + 4]),
        b[at + 4],
      );
      this.add(
        node,
        'icmp.unused',
        at + 5,
        3,
        `Unused: ${hexBytes(b, at + 5, at + 8)}`,
        hexBytes(b, at + 5, at + 8),
      );
    } else if (type === ICMP_DEST_UNREACH || type === 4 || type === 11) {
      this.add(
        node,
        'icmp.unused',
        at + 4,
        4,
        `Unused: ${hexBytes(b, at + 4, at + 8)}`,
        hexBytes(b, at + 4, at + 8),
      );
    }
    return node;
  }

  private igmp(at: number): Field {
    const b = this.bytes;
    const stop = this.stop;
    const length = stop - at;
    const node = this.proto('igmp', 'Internet Group Management Protocol', at, stop, stop);
    if (!this.fits(at, 1)) return node;
    const type = b[at];
    const version = igmpVersion(type, length, this.fits(at + 1, 1) ? b[at + 1] : 0);
    if (version > 0)
      node.children.push(
        leaf('igmp.version', `IGMP Version: ${version}`, String(version), at, at, version),
      );
    this.add(
      node,
      'igmp.type',
      at,
      1,
      `Type: ${valueName(IGMP_TYPE_NAMES, type)} (${hex(type, 2)})`,
      hex(type, 2),
      type,
    );
    const isV3Report = type === IGMPV3_HOST_MEMBERSHIP_REPORT;
    if (this.fits(at + 1, 1)) {
      const code = b[at + 1];
      if (version === 1 || isV3Report) {
        this.add(
          node,
          'igmp.reserved',
          at + 1,
          1,
          `Reserved: ${hexBytes(b, at + 1, at + 2)}`,
          hexBytes(b, at + 1, at + 2),
        );
      } else if (version === 2 || version === 3) {
        const tenths = version === 3 ? igmpv3DecodeTime(code) : code;
        this.add(
          node,
          'igmp.max_resp',
          at + 1,
          1,
          `Max Resp Time: ${(tenths / 10).toFixed(1)} sec (${hex(code, 2)})`,
          // As Wireshark: the time in tenths of a second (a v3 code of 128 or more is a float).
          String(tenths),
          tenths,
        );
      }
    }
    if (this.fits(at + 2, 2)) {
      const whole = !this.L.snapped && length >= IGMP_HLEN;
      const status = whole
        ? verifyInternetChecksum(b, at, length)
          ? CHECKSUM_GOOD
          : CHECKSUM_BAD
        : CHECKSUM_UNVERIFIED;
      this.checksum(
        node,
        'igmp.checksum',
        'Checksum',
        'Checksum Status',
        at + 2,
        getU16(b, at + 2),
        status,
      );
    }
    if (isV3Report) {
      this.add(
        node,
        'igmp.reserved',
        at + 4,
        2,
        `Reserved: ${hexBytes(b, at + 4, at + 6)}`,
        hexBytes(b, at + 4, at + 6),
      );
      if (!this.fits(at + 6, 2)) return node;
      const count = getU16(b, at + 6);
      this.add(
        node,
        'igmp.num_grp_recs',
        at + 6,
        2,
        `Num Group Records: ${count}`,
        String(count),
        count,
      );
      let rec = at + IGMP_HLEN;
      for (let k = 0; k < count && this.fits(rec, 1); k++) rec = this.record(node, rec);
      return node;
    }
    const known =
      type === IGMP_HOST_MEMBERSHIP_QUERY ||
      type === IGMPV1_HOST_MEMBERSHIP_REPORT ||
      type === IGMPV2_HOST_MEMBERSHIP_REPORT ||
      type === IGMP_HOST_LEAVE_MESSAGE;
    if (!known) return node;
    this.ipv4(node, 'igmp.maddr', 'Multicast Address', at + 4);
    if (version !== 3 || !this.fits(at + 8, 1)) return node;
    const flags = b[at + 8];
    const s = (flags >> 3) & 1;
    this.add(
      node,
      'igmp.s',
      at + 8,
      1,
      `${bitPrefix(flags, 0x08, 8)}S: ${s ? 'Suppress router side processing' : 'Do not suppress router side processing'}`,
      String(s),
      s,
    );
    this.add(
      node,
      'igmp.qrv',
      at + 8,
      1,
      `${bitPrefix(flags, 0x07, 8)}QRV: ${flags & 7}`,
      String(flags & 7),
      flags & 7,
    );
    if (this.fits(at + 9, 1))
      this.add(node, 'igmp.qqic', at + 9, 1, `QQIC: ${b[at + 9]}`, String(b[at + 9]), b[at + 9]);
    if (!this.fits(at + 10, 2)) return node;
    const n = getU16(b, at + 10);
    this.add(node, 'igmp.num_src', at + 10, 2, `Num Src: ${n}`, String(n), n);
    for (let k = 0, p = at + IGMPV3_QUERY_HLEN; k < n && this.fits(p, 4); k++, p += 4) {
      this.ipv4(node, 'igmp.saddr', 'Source Address', p);
    }
    return node;
  }

  /** A v3 group record at `rec`; returns where the next one starts. */
  private record(parent: Field, rec: number): number {
    const b = this.bytes;
    const type = b[rec];
    const aux = this.fits(rec + 1, 1) ? b[rec + 1] : 0;
    const n = this.fits(rec + 2, 2) ? getU16(b, rec + 2) : 0;
    const next = rec + IGMPV3_RECORD_HLEN + 4 * (n + aux);
    const group = this.fits(rec + 4, 4) ? formatIpv4(getU32(b, rec + 4)) : '?';
    const node = leaf(
      'igmp.record',
      `Group Record : ${group}  ${valueName(IGMP_RECORD_TYPE_NAMES, type)}`,
      group,
      rec,
      Math.min(next, this.stop),
    );
    parent.children.push(node);
    this.add(
      node,
      'igmp.record_type',
      rec,
      1,
      `Record Type: ${valueName(IGMP_RECORD_TYPE_NAMES, type)} (${type})`,
      String(type),
      type,
    );
    this.add(node, 'igmp.aux_data_len', rec + 1, 1, `Aux Data Len: ${aux}`, String(aux), aux);
    if (this.fits(rec + 2, 2))
      this.add(node, 'igmp.num_src', rec + 2, 2, `Num Src: ${n}`, String(n), n);
    this.ipv4(node, 'igmp.maddr', 'Multicast Address', rec + 4);
    let p = rec + IGMPV3_RECORD_HLEN;
    let k = 0;
    for (; k < n && this.fits(p, 4); k++, p += 4)
      this.ipv4(node, 'igmp.saddr', 'Source Address', p);
    if (aux > 0 && k === n) {
      const end = Math.min(p + 4 * aux, this.stop);
      if (end > p)
        this.add(
          node,
          'igmp.aux_data',
          p,
          end - p,
          `Aux Data: ${hexBytes(b, p, end)}`,
          hexBytes(b, p, end),
        );
    }
    return next;
  }

  private ipv4(node: Field, name: string, title: string, at: number): void {
    if (!this.fits(at, 4)) return;
    const v = getU32(this.bytes, at);
    this.add(node, name, at, 4, `${title}: ${formatIpv4(v)}`, formatIpv4(v), v);
  }

  private udp(at: number, i: number): Field {
    const b = this.bytes;
    const L = this.L;
    const stop = this.stop;
    const hasPorts = this.fits(at, 4);
    const sport = getU16(b, at);
    const dport = getU16(b, at + 2);
    const label = hasPorts
      ? `User Datagram Protocol, Src Port: ${sport}, Dst Port: ${dport}`
      : 'User Datagram Protocol';
    const length = this.fits(at + 4, 2) ? getU16(b, at + 4) : 0;
    const valid = L.bad[i] === '' && length >= UDP_HLEN && at + length <= stop;
    const dataEnd = valid ? at + length : stop;
    const node = this.proto('udp', label, at, at + UDP_HLEN, dataEnd);
    if (this.fits(at, 2)) {
      this.add(node, 'udp.srcport', at, 2, `Source Port: ${sport}`, String(sport), sport);
    }
    if (hasPorts)
      this.add(node, 'udp.dstport', at + 2, 2, `Destination Port: ${dport}`, String(dport), dport);
    if (this.fits(at, 2))
      this.hidden(
        node,
        'udp.port',
        at,
        2,
        `Source or Destination Port: ${sport}`,
        String(sport),
        sport,
      );
    if (hasPorts)
      this.hidden(
        node,
        'udp.port',
        at + 2,
        2,
        `Source or Destination Port: ${dport}`,
        String(dport),
        dport,
      );
    if (this.fits(at + 4, 2))
      this.add(node, 'udp.length', at + 4, 2, `Length: ${length}`, String(length), length);
    if (this.fits(at + 6, 2)) {
      const sum = getU16(b, at + 6);
      const status = L.udpChecksumStatus(i);
      this.checksum(node, 'udp.checksum', 'Checksum', 'Checksum Status', at + 6, sum, status);
    }
    if (dataEnd > at + UDP_HLEN) {
      const n = dataEnd - at - UDP_HLEN;
      this.add(
        node,
        'udp.payload',
        at + UDP_HLEN,
        n,
        `UDP payload (${n} bytes)`,
        hexBytes(b, at + UDP_HLEN, dataEnd),
      );
    }
    return node;
  }

  private netlab(at: number, meta: FrameMeta | undefined): Field {
    const b = this.bytes;
    const L = this.L;
    const stop = this.stop;
    const hasSeq = this.fits(at + PAYLOAD_OFF_SEQ, 4);
    const hasGen = this.fits(at + PAYLOAD_OFF_ID, 2);
    const gen = getU16(b, at + PAYLOAD_OFF_ID);
    const seq = getU32(b, at + PAYLOAD_OFF_SEQ);
    let label = 'netlab generator payload';
    if (hasGen) label += `, Gen: ${gen}`;
    if (hasSeq) label += `, Seq: ${seq}`;
    const node = this.proto(
      'netlab',
      label,
      at,
      at + PAYLOAD_HLEN,
      Math.min(at + PAYLOAD_HLEN, stop),
    );
    this.add(
      node,
      'netlab.magic',
      at,
      4,
      `Magic: NLAB (${hexBytes(b, at, at + 4)})`,
      hexBytes(b, at, at + 4),
    );
    if (hasGen)
      this.add(node, 'netlab.gen', at + PAYLOAD_OFF_ID, 2, `Generator: ${gen}`, String(gen), gen);
    if (hasSeq)
      this.add(
        node,
        'netlab.seq',
        at + PAYLOAD_OFF_SEQ,
        4,
        `Sequence number: ${seq}`,
        String(seq),
        seq,
      );
    if (this.fits(at + PAYLOAD_OFF_TIME, 8)) {
      const sent = L.payload.at(b, at, stop - at).sendTime;
      this.add(
        node,
        'netlab.sent',
        at + PAYLOAD_OFF_TIME,
        8,
        `Send time: ${sent} ns`,
        String(sent),
        sent,
      );
      if (meta) {
        const latency = labTimeNs(meta) - sent;
        node.children.push(
          leaf(
            'netlab.latency',
            `[Latency: ${latency} ns (capture time − send time)]`,
            String(latency),
            at + PAYLOAD_OFF_TIME,
            at + PAYLOAD_OFF_TIME,
            latency,
          ),
        );
      }
    }
    return node;
  }

  private data(at: number): Field {
    const b = this.bytes;
    const n = this.stop - at;
    const node = this.proto('data', `Data (${n} bytes)`, at, this.stop, this.stop);
    this.add(
      node,
      'data.data',
      at,
      n,
      `Data: ${hexBytes(b, at, this.stop)}`,
      hexBytes(b, at, this.stop),
    );
    node.children.push(leaf('data.len', `Length: ${n}`, String(n), at, at, n));
    return node;
  }

  /** Padding and trailer after the outermost packet, under the Ethernet layer. */
  trailer(out: Field[]): void {
    const L = this.L;
    const b = this.bytes;
    const eth = out.find((f) => f.name === 'eth');
    if (!eth || L.len < 14) return;
    this.stop = L.end;
    const padEnd = L.paddingEnd;
    if (padEnd > L.packetEnd) {
      this.add(
        eth,
        'eth.padding',
        L.packetEnd,
        padEnd - L.packetEnd,
        `Padding: ${hexBytes(b, L.packetEnd, padEnd)}`,
        hexBytes(b, L.packetEnd, padEnd),
      );
    }
    // Wireshark's heuristic: 4 bytes or more after the padding end with an FCS (the last 4);
    // what comes before it is a trailer. A segment capture keeps exactly the FCS there.
    const fcsAt = L.fcsStart;
    const trailerEnd = fcsAt >= 0 ? fcsAt : L.end;
    if (trailerEnd > padEnd) {
      this.add(
        eth,
        'eth.trailer',
        padEnd,
        trailerEnd - padEnd,
        `Trailer: ${hexBytes(b, padEnd, trailerEnd)}`,
        hexBytes(b, padEnd, trailerEnd),
      );
    }
    if (fcsAt >= 0) {
      // The MAC sends the CRC least significant byte first; Wireshark shows the bytes as read.
      const fcs = getU32(b, fcsAt);
      const sent =
        ((b[fcsAt + 3] << 24) | (b[fcsAt + 2] << 16) | (b[fcsAt + 1] << 8) | b[fcsAt]) >>> 0;
      const good = crc32(b, L.base, fcsAt) === sent;
      const status = good ? CHECKSUM_GOOD : CHECKSUM_BAD;
      this.add(
        eth,
        'eth.fcs',
        fcsAt,
        4,
        `Frame check sequence: ${hex(fcs, 8)} [${good ? 'correct' : 'incorrect'}]`,
        hex(fcs, 8),
        fcs,
      );
      this.add(
        eth,
        'eth.fcs.status',
        fcsAt,
        0,
        `FCS Status: ${CHECKSUM_STATUS_NAMES[status]}`,
        CHECKSUM_STATUS_NAMES[status],
        status,
      );
    }
  }
}

function swap16(v: number): number {
  return ((v & 0xff) << 8) | (v >> 8);
}

function etherTypeText(type: number): string {
  return `${ETHERTYPE_NAMES[type] ?? 'Unknown'} (${hex(type, 4)})`;
}
