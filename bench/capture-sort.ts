// Sorting the packet list of a million captured frames (src-main/engine/capture-order.ts): how
// fast a text column's values are read (Wireshark's column text, from the bytes), and how long
// one sort by each column takes once they are.
//
//   node --import tsx bench/capture-sort.ts [frames]
//
// The frames are a multicast lab's: datagrams from 16 senders to 8 groups with a sequence number
// each, so Info has as many distinct values as frames (the worst case for a text sort).
import { performance } from 'node:perf_hooks';
import { summarize } from '../src-main/lab/capture/dissect/summary';
import { udpFrame } from '../src-main/lab/capture/testing/samples';
import { ListOrder, type FrameList } from '../src-main/engine/capture-order';
import type { SortColumn } from '../src-main/ipc/views';

const FRAMES = Number(process.argv[2] ?? 1_000_000);

const templates: Uint8Array[] = [];
for (let s = 1; s <= 16; s++)
  for (let g = 1; g <= 8; g++)
    templates.push(
      udpFrame({ src: `10.0.0.${s}`, dst: `239.1.1.${g}`, sport: 5000, dport: 5000 + g }),
    );
const frameOf = (n: number) => {
  const f = templates[n % templates.length];
  // A sequence number in the UDP source port makes each frame's Info its own.
  f[34] = (n >> 8) & 0xff;
  f[35] = n & 0xff;
  return f;
};

const order = new ListOrder({
  time: (n) => n * 1000 + (n % 7),
  length: (n) => 60 + (n % 1400),
  bytes: frameOf,
  text: (n, column) => {
    const f = frameOf(n);
    const s = summarize(f, f.length, f.length, 0, true);
    return column === 'source' ||
      column === 'destination' ||
      column === 'protocol' ||
      column === 'info'
      ? s[column]
      : 'segment';
  },
});
const list: FrameList = { length: FRAMES, at: (i) => i + 1 };

for (const column of ['time', 'length', 'source', 'destination', 'info'] as SortColumn[]) {
  order.set(column, false);
  const t0 = performance.now();
  while (!order.readKeys(1, FRAMES, 1000));
  const t1 = performance.now();
  const sorted = order.sorted(list, 1, FRAMES)!;
  const t2 = performance.now();
  const rate =
    t1 - t0 > 1
      ? `${Math.round(FRAMES / ((t1 - t0) / 1000)).toLocaleString('en')} frames/s read`
      : 'no reading';
  console.log(
    `${column.padEnd(12)} ${rate.padEnd(28)} sort ${Math.round(t2 - t1)} ms (${sorted.length} frames)`,
  );
}
