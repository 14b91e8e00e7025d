import { isIpv6Ext, L_ETH, L_ICMP, L_ICMP6, L_IP6 } from './kinds';
import { FrameLayers } from './layers';
import type { FrameMeta } from './meta';
import { ethTail } from './proto/eth';
import { frameTree } from './proto/frame';
import { BY_KIND } from './protocols';
import { leaf, Tree, type Field } from './tree';

export type { Field } from './tree';

/** Reused by every `dissect` call: the tree is built from its offsets. */
const layers = new FrameLayers();

/**
 * Dissects the frame in `bytes[0, len)` into its layers' fields. With `meta`,
 * the tree starts with the `frame` layer (number, time, lengths, capture point,
 * direction, fate). Each layer's node comes from its protocol module; a
 * quoted datagram nests under the ICMP error that quotes it. Malformed and
 * truncated headers are dissected as far as their bytes go and marked;
 * nothing here throws.
 */
export function dissect(bytes: Uint8Array, len = bytes.length, meta?: FrameMeta): Field[] {
  if (len > bytes.length) len = bytes.length;
  if (!(len >= 0)) len = 0;
  const L = layers.parse(bytes, len, 0, meta ? meta.wireLength : len, false, meta?.fromLab ?? true);
  const t = new Tree(bytes, L);
  const out: Field[] = [];
  if (meta) out.push(frameTree(meta, len));
  // A quoted packet goes under the ICMP error that quotes it; IPv6's extension headers under it.
  let icmpNode: Field | null = null;
  let ipv6Node: Field | null = null;
  for (let i = 0; i < L.n; i++) {
    t.stop = L.stop[i];
    const node = BY_KIND[L.kind[i]]!.tree!(t, i, meta);
    if (L.bad[i] !== '') {
      node.malformed = L.bad[i];
      const at = L.start[i];
      node.children.push(
        leaf('_ws.malformed', `[Malformed Packet: ${L.bad[i]}]`, L.bad[i], at, at),
      );
    }
    const kind = L.kind[i];
    if (isIpv6Ext(kind) && ipv6Node !== null) ipv6Node.children.push(node);
    else if (icmpNode !== null) icmpNode.children.push(node);
    else out.push(node);
    if ((kind === L_ICMP || kind === L_ICMP6) && L.quoted[i] === 0) icmpNode = node;
    if (kind === L_IP6) ipv6Node = node;
  }
  if (L.limited) {
    // Where Wireshark's dissectors ran out of a snapped frame's bytes (its `_ws.short`).
    const last = out[out.length - 1];
    last.children.push(leaf('_ws.short', '[Packet size limited during capture]', '', len, len));
  }
  const eth = out.find((f) => f.name === 'eth');
  if (eth && L.kind[0] === L_ETH) ethTail(t, eth);
  return out;
}
