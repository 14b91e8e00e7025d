import { L_DATA, L_IP, L_IP6 } from './kinds';
import { FrameLayers } from './layers';
import { macName } from './names';
import type { Summary } from './protocol';
import { BY_KIND } from './protocols';
import { ethernetInfo } from './proto/eth';

export type { Summary } from './protocol';

const layers = new FrameLayers();

/** Layer kinds whose module fills the address columns, in the order they are looked for. */
const NETWORK_KINDS = [L_IP, L_IP6];

/**
 * The Source, Destination, Protocol and Info columns of the frame at
 * `bytes[at, at + len)`, worded as Wireshark words them, read straight from
 * the bytes (no tree is built: this runs for every row of a page). Pass the
 * wire length when the capture cut the frame short, so the missing end is not
 * taken for a malformation. The topmost layer's module words Protocol and
 * Info; the first network layer's the addresses.
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
  const out: Summary = { source: '', destination: '', protocol: 'Ethernet', info: '' };
  addresses(L, out);
  // The topmost layer that is not a quoted header or plain data says what the frame is.
  let top = 0;
  for (let i = 0; i < L.n; i++) {
    if (L.quoted[i] === 0 && L.kind[i] !== L_DATA) top = i;
  }
  const module = BY_KIND[L.kind[top]];
  // Malformations the Info text already states, as Wireshark words them.
  const explained = module?.info ? module.info(L, top, out) : ethernetInfo(L, out);
  // A snapped frame whose headers ran out: Wireshark's words, never "Malformed" for it.
  if (L.limited) out.info += '[Packet size limited during capture]';
  else if (L.malformedCount > explained) out.info += '[Malformed Packet]';
  return out;
}

function addresses(L: FrameLayers, out: Summary): void {
  for (const kind of NETWORK_KINDS) {
    const i = L.firstOf(kind);
    if (i >= 0) {
      BY_KIND[kind]!.addresses!(L, i, out);
      return;
    }
  }
  if (L.len >= 12) out.source = macName(L.bytes, L.base + 6);
  if (L.len >= 6) out.destination = macName(L.bytes, L.base);
}
