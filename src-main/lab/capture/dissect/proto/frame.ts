import { formatDate, formatExact, formatSpanNs } from '../../time';
import { field, type FieldDef } from '../field-types';
import type { FrameMeta } from '../meta';
import type { Protocol } from '../protocol';
import type { Collect } from '../readers';
import type { Field } from '../tree';
import { leaf } from '../tree';

/**
 * The frame: what the capture knows of it beyond its bytes (`FrameMeta`): number, the times
 * tshark shows, exact to the ns (`../time.ts`), lengths, capture point, direction and fate.
 */

const timeRefusal: FieldDef = {
  name: 'frame.time',
  type: 'none',
  title: 'Arrival time (a date)',
  refuse:
    'frame.time is compared with a date in Wireshark; compare seconds with frame.time_epoch (since 1970), frame.time_relative (since the first frame) or frame.time_delta (since the previous one)',
};

const fields = [
  field('frame', 'protocol', 'Frame'),
  field('frame.number', 'uint', 'Frame number'),
  timeRefusal,
  field('frame.time_epoch', 'abstime', 'Arrival time in seconds since 1970 (the lab: its start)'),
  field('frame.time_delta', 'reltime', 'Time since the previous captured frame'),
  field('frame.time_relative', 'reltime', 'Time since the first frame'),
  field('frame.len', 'uint', 'Frame length on the wire'),
  field('frame.cap_len', 'uint', 'Captured length'),
  field('point', 'string', 'Capture point'),
  field('direction', 'string', 'Direction at a device capture point (in, out, or empty)'),
  field('fate', 'string', 'What became of the frame'),
];

/** The `frame` node of the tree, for `len` captured bytes. */
export function frameTree(meta: FrameMeta, len: number): Field {
  const wire = meta.wireLength;
  const point = meta.point();
  const dir = meta.direction();
  const fate = meta.fate();
  const on = point !== '' ? ` on ${point}` : '';
  const label = `Frame ${meta.number}: ${wire} bytes on wire (${wire * 8} bits), ${len} bytes captured (${len * 8} bits)${on}`;
  const node = leaf('frame', label, '', 0, len);
  node.dataEnd = len;
  const c = node.children;
  const add = (name: string, text: string, value: string, raw: number | string) =>
    c.push(leaf(name, text, value, 0, 0, raw));
  add('frame.number', `Frame Number: ${meta.number}`, String(meta.number), meta.number);
  // Times as tshark shows them, exactly (time.ts); each raw value is ns, as filters read it.
  const t = { sec: 0, nsec: 0 };
  meta.instant(t);
  const date = formatDate(t);
  c.push(leaf('frame.time', `Arrival Time: ${date}`, date, 0, 0));
  const epoch = formatExact(t);
  add('frame.time_epoch', `Epoch Arrival Time: ${epoch} seconds`, epoch, meta.timeNs);
  const delta = meta.sincePrevious();
  const d = formatSpanNs(delta);
  add('frame.time_delta', `Time delta from previous captured frame: ${d} seconds`, d, delta);
  const rel = meta.sinceFirst();
  const r = formatSpanNs(rel);
  add('frame.time_relative', `Time since reference or first frame: ${r} seconds`, r, rel);
  add('frame.len', `Frame Length: ${wire} bytes (${wire * 8} bits)`, String(wire), wire);
  add('frame.cap_len', `Capture Length: ${len} bytes (${len * 8} bits)`, String(len), len);
  if (point !== '') add('point', `Capture point: ${point}`, point, point);
  if (dir !== '') add('direction', `Direction: ${dir}`, dir, dir);
  if (fate !== '') add('fate', `Fate: ${fate}`, fate, fate);
  return node;
}

const readers: Record<string, Collect> = {
  frame: (f, V) => V.push(0, f.at, f.len, f.at + f.len),
  'frame.number': (f, V) => V.push(f.meta.number, f.at, 0),
  'frame.time': (f, V) => V.push(0, f.at, 0),
  'frame.time_epoch': (f, V) => V.push(f.meta.timeNs, f.at, 0),
  'frame.time_delta': (f, V) => V.push(f.meta.sincePrevious(), f.at, 0),
  'frame.time_relative': (f, V) => V.push(f.meta.sinceFirst(), f.at, 0),
  'frame.len': (f, V) => V.push(f.meta.wireLength, f.at, 0),
  'frame.cap_len': (f, V) => V.push(f.len, f.at, 0),
  point: (f, V) => {
    const s = f.meta.point();
    if (s !== '') V.pushString(s);
  },
  direction: (f, V) => {
    const s = f.meta.direction();
    if (s !== '') V.pushString(s);
  },
  fate: (f, V) => {
    const s = f.meta.fate();
    if (s !== '') V.pushString(s);
  },
};

/** Fields read from the capture's metadata alone: a filter of only these never parses the bytes. */
export const META_FIELDS = new Set(Object.keys(readers).filter((n) => n !== 'frame'));

export const FRAME: Protocol = { name: 'frame', kind: 0, fields, readers };
