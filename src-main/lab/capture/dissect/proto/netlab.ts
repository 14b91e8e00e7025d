import {
  PAYLOAD_ERR_MAGIC,
  PAYLOAD_ERR_SHORT,
  PAYLOAD_HLEN,
  PAYLOAD_OFF_ID,
  PAYLOAD_OFF_SEQ,
  PAYLOAD_OFF_TIME,
} from '../../../traffic/payload';
import { getU16, getU32 } from '../../../wire/bytes';
import { field } from '../field-types';
import { L_DATA, L_NETLAB, L_UDP } from '../kinds';
import type { FrameLayers } from '../layers';
import { labTimeNs, type FrameMeta } from '../meta';
import { hexBytes } from '../names';
import type { Protocol } from '../protocol';
import { each, protocol, u16, u32, type Collect } from '../readers';
import type { Field, Tree } from '../tree';
import { leaf } from '../tree';
import { udpInfo } from './udp';

/**
 * The traffic generators' payload (traffic/payload.ts): a protocol here, on any UDP port, by its
 * NLAB magic, but only in the lab's own captures and files it wrote (`FrameLayers.fromLab`).
 * Anybody else's UDP payload starting with NLAB is data.
 */

const fields = [
  field('netlab', 'protocol', 'netlab traffic generator payload'),
  field('netlab.magic', 'bytes', "Magic ('NLAB')"),
  field('netlab.gen', 'uint', 'Generator id'),
  field('netlab.seq', 'uint', 'Sequence number'),
  field('netlab.sent', 'double', 'Send time (simulated ns)'),
  field('netlab.latency', 'double', 'Capture time less send time (ns)'),
];

/** A UDP payload at `[p, stop)`: the generators' header (and filler after it), or data. */
export function parseNetlab(L: FrameLayers, p: number, stop: number): void {
  const why = L.payload.at(L.bytes, p, stop - p).check();
  if (!L.fromLab || why === PAYLOAD_ERR_SHORT || why === PAYLOAD_ERR_MAGIC) {
    L.push(L_DATA, p, stop, 0);
    return;
  }
  const k = L.push(L_NETLAB, p, stop, 0);
  if (why !== '') {
    // A generator may send a payload shorter than its header; a snap length may cut it.
    if (!L.snapped) L.markBad(k, why);
    return;
  }
  // Anything after the header is filler.
  if (p + PAYLOAD_HLEN < stop) L.push(L_DATA, p + PAYLOAD_HLEN, stop, 0);
}

function sendTime(L: FrameLayers, at: number, stop: number): number {
  return L.payload.at(L.bytes, at, stop - at).sendTime;
}

function tree(t: Tree, i: number, meta: FrameMeta | undefined): Field {
  const b = t.bytes;
  const at = t.L.start[i];
  const stop = t.stop;
  const hasSeq = t.fits(at + PAYLOAD_OFF_SEQ, 4);
  const hasGen = t.fits(at + PAYLOAD_OFF_ID, 2);
  const gen = getU16(b, at + PAYLOAD_OFF_ID);
  const seq = getU32(b, at + PAYLOAD_OFF_SEQ);
  let label = 'netlab generator payload';
  if (hasGen) label += `, Gen: ${gen}`;
  if (hasSeq) label += `, Seq: ${seq}`;
  const node = t.proto('netlab', label, at, at + PAYLOAD_HLEN, Math.min(at + PAYLOAD_HLEN, stop));
  const magic = hexBytes(b, at, at + 4);
  t.add(node, 'netlab.magic', at, 4, `Magic: NLAB (${magic})`, magic);
  if (hasGen)
    t.add(node, 'netlab.gen', at + PAYLOAD_OFF_ID, 2, `Generator: ${gen}`, String(gen), gen);
  if (hasSeq)
    t.add(node, 'netlab.seq', at + PAYLOAD_OFF_SEQ, 4, `Sequence number: ${seq}`, String(seq), seq);
  if (!t.fits(at + PAYLOAD_OFF_TIME, 8)) return node;
  const sent = sendTime(t.L, at, stop);
  const p = at + PAYLOAD_OFF_TIME;
  t.add(node, 'netlab.sent', p, 8, `Send time: ${sent} ns`, String(sent), sent);
  if (meta) {
    const latency = labTimeNs(meta) - sent;
    const text = `[Latency: ${latency} ns (capture time − send time)]`;
    node.children.push(leaf('netlab.latency', text, String(latency), p, p, latency));
  }
  return node;
}

const readers: Record<string, Collect> = {
  netlab: protocol(
    L_NETLAB,
    () => PAYLOAD_HLEN,
    (_L, _i, at, stop) => Math.min(at + PAYLOAD_HLEN, stop),
  ),
  'netlab.magic': each(L_NETLAB, (_L, _i, at, stop, V) => {
    if (at + 4 <= stop) V.push(0, at, 4);
  }),
  'netlab.gen': u16(L_NETLAB, PAYLOAD_OFF_ID),
  'netlab.seq': u32(L_NETLAB, PAYLOAD_OFF_SEQ),
  'netlab.sent': each(L_NETLAB, (L, _i, at, stop, V) => {
    if (at + PAYLOAD_OFF_TIME + 8 <= stop) V.push(sendTime(L, at, stop), at + PAYLOAD_OFF_TIME, 8);
  }),
  'netlab.latency': each(L_NETLAB, (L, _i, at, stop, V, f) => {
    if (at + PAYLOAD_OFF_TIME + 8 <= stop)
      V.push(labTimeNs(f.meta) - sendTime(L, at, stop), at + PAYLOAD_OFF_TIME, 0);
  }),
};

/** `5000 → 5000 Len=18 gen=3 seq=7`: the UDP line and the generator's numbers. */
export const NETLAB: Protocol = {
  name: 'netlab',
  kind: L_NETLAB,
  fields,
  readers,
  tree,
  info: (L, i, out) => {
    const b = L.bytes;
    const p = L.start[i];
    const stop = L.stop[i];
    out.protocol = 'NETLAB';
    const explained = udpInfo(L, L.firstOf(L_UDP), out);
    if (p + PAYLOAD_OFF_ID + 2 <= stop) out.info += ` gen=${getU16(b, p + PAYLOAD_OFF_ID)}`;
    if (p + PAYLOAD_OFF_SEQ + 4 <= stop) out.info += ` seq=${getU32(b, p + PAYLOAD_OFF_SEQ)}`;
    return explained;
  },
};
