import { field } from '../field-types';
import { L_DATA } from '../kinds';
import { hexBytes } from '../names';
import type { Protocol } from '../protocol';
import { each, wholeLayer, type Collect } from '../readers';
import type { Field, Tree } from '../tree';
import { leaf } from '../tree';

/**
 * Bytes no module dissects (a fragment, an unknown type, a quoted payload), and the markers
 * Wireshark adds to a frame: `_ws.malformed` (a header that lies) and `_ws.short` (the snap
 * length cut a header).
 */

const fields = [
  field('data', 'protocol', 'Data'),
  field('data.data', 'bytes', 'Data'),
  field('data.len', 'uint', 'Length'),
  field('_ws.malformed', 'none', 'Malformed Packet'),
  field('_ws.short', 'none', 'Packet size limited during capture (the snap length cut a header)'),
];

function tree(t: Tree, i: number): Field {
  const at = t.L.start[i];
  const n = t.stop - at;
  const node = t.proto('data', `Data (${n} bytes)`, at, t.stop, t.stop);
  const v = hexBytes(t.bytes, at, t.stop);
  t.add(node, 'data.data', at, n, `Data: ${v}`, v);
  node.children.push(leaf('data.len', `Length: ${n}`, String(n), at, at, n));
  return node;
}

const readers: Record<string, Collect> = {
  data: wholeLayer(L_DATA),
  'data.data': each(L_DATA, (_L, _i, at, stop, V) => V.push(0, at, stop - at)),
  'data.len': each(L_DATA, (_L, _i, at, stop, V) => V.push(stop - at, at, 0)),
  '_ws.short': (f, V) => {
    if (f.L.limited) V.push(0, f.at + f.len, 0);
  },
  '_ws.malformed': (f, V) => {
    const L = f.L;
    for (let i = 0; i < L.n; i++) if (L.bad[i] !== '') V.push(0, L.start[i], 0);
  },
};

export const DATA: Protocol = { name: 'data', kind: L_DATA, fields, readers, tree };
