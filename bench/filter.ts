// Display-filter benchmark: one million captured frames in a FrameStore, filtered
// with the compiled filters of src-main/lab/capture/filter.
//
//   node --import tsx bench/filter.ts [frames]
//
// The frames are what a multicast lab captures: mostly generator datagrams to a
// few groups (64-byte frames, some larger), with ARP, IGMP (v2 and v3) and ping
// mixed in, from three capture points. Each filter runs once to warm up, then
// over every frame; the figure is frames tested per wall second.
import {
  arpFrame,
  icmpEchoFrame,
  igmpFrame,
  igmpV3ReportFrame,
  udpFrame,
} from '../src-main/lab/capture/testing/samples';
import { compileFilter } from '../src-main/lab/capture/filter/compile';
import { filterStore, StoreFrameMeta } from '../src-main/lab/capture/filter/store';
import { DIR_IN, DIR_OUT, FrameStore } from '../src-main/lab/capture/frame-store';
import { PayloadView } from '../src-main/lab/traffic/payload';
import { getU32 } from '../src-main/lab/wire/bytes';
import { UdpView } from '../src-main/lab/wire/udp';

const FRAMES = Number(process.argv[2] ?? 1_000_000);

/** A small seeded generator so runs repeat. */
function lcg(seed: number): () => number {
  return () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

function templates(): { frames: Uint8Array[]; weights: number[] } {
  const frames: Uint8Array[] = [];
  const weights: number[] = [];
  const add = (f: Uint8Array, w: number) => {
    frames.push(f);
    weights.push(w);
  };
  for (let g = 1; g <= 8; g++) {
    for (const port of [5000, 5001, 6000]) {
      add(
        udpFrame({
          dst: `239.1.1.${g}`,
          sport: port,
          dport: port,
          netlab: { gen: g, seq: 0, sent: 0 },
        }),
        30,
      );
      add(
        udpFrame({
          dst: `239.1.1.${g}`,
          sport: port,
          dport: port,
          size: 200,
          netlab: { gen: g, seq: 0, sent: 0 },
        }),
        4,
      );
      add(
        udpFrame({
          dst: `239.1.1.${g}`,
          sport: port,
          dport: port,
          size: 1000,
          netlab: { gen: g, seq: 0, sent: 0 },
        }),
        1,
      );
    }
    add(igmpFrame(0x16, 0, `239.1.1.${g}`), 2);
    add(igmpFrame(0x17, 0, `239.1.1.${g}`), 1);
  }
  add(udpFrame({ dst: '10.0.0.2', sport: 40000, dport: 5000, size: 100 }), 20);
  add(igmpFrame(0x11, 100, '0.0.0.0'), 2);
  add(
    igmpV3ReportFrame([
      { type: 4, group: '239.1.1.1' },
      { type: 2, group: '239.1.1.2' },
    ]),
    3,
  );
  for (let h = 1; h <= 4; h++) {
    add(arpFrame({ spa: `10.0.0.${h}`, tpa: `10.0.0.${h + 1}` }), 10);
    add(arpFrame({ op: 2, spa: `10.0.0.${h + 1}`, tpa: `10.0.0.${h}` }), 10);
    add(icmpEchoFrame({ src: `10.0.0.${h}`, dst: `10.0.0.${h + 1}`, seq: h }), 8);
    add(icmpEchoFrame({ type: 0, src: `10.0.0.${h + 1}`, dst: `10.0.0.${h}`, seq: h }), 8);
  }
  return { frames, weights };
}

function fill(n: number): FrameStore {
  const { frames, weights } = templates();
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative = weights.map(
    (
      (sum) => (w) =>
        (sum += w / total)
    )(0),
  );
  const rnd = lcg(42);
  const store = new FrameStore();
  const seq = new Uint32Array(frames.length);
  const udp = new UdpView();
  let t = 0;
  for (let i = 0; i < n; i++) {
    const r = rnd();
    let k = cumulative.findIndex((c) => r < c);
    if (k < 0) k = frames.length - 1;
    const f = frames[k];
    // Generator datagrams carry their own sequence numbers and send times.
    if (f.length >= 60 && f[42] === 0x4e && f[43] === 0x4c) {
      f[48] = seq[k] >>> 24;
      f[49] = seq[k] >>> 16;
      f[50] = seq[k] >>> 8;
      f[51] = seq[k]++;
      PayloadView.writeSendTime(f, 42, t);
      udp.at(f, 34).fillChecksum(getU32(f, 26), getU32(f, 30));
    }
    t += 672;
    const point = i % 3;
    const dir = point === 2 ? 0 : rnd() < 0.9 ? DIR_IN : DIR_OUT;
    // Like the capture, the segment's frames are stored without their FCS.
    store.append(t + 500, point, dir, f, 0, f.length, f.length, i, (i * 7) % 5);
  }
  return store;
}

/** Fates by the store's aux value (the segment's frames are all 'on the wire'). */
const FATES = [
  'delivered (socket 1)',
  'group not joined',
  'consumed by kernel',
  'ring full',
  'sent',
];

const build0 = performance.now();
const store = fill(FRAMES);
const buildMs = performance.now() - build0;
console.log(
  `${FRAMES.toLocaleString('en')} frames stored in ${(buildMs / 1000).toFixed(1)} s, ` +
    `${(store.bytes / 1e6).toFixed(0)} MB of frame data`,
);

const meta = new StoreFrameMeta(store, ['h1:eth0', 'h2:eth0', 'segment'], (n) =>
  store.pointOf(n) === 2 ? 'on the wire' : FATES[store.auxOf(n)],
);
const filters = [
  'udp.port == 5000',
  'ip.dst == 239.1.1.1 and not igmp',
  'eth.dst[0] & 1',
  'frame.len > 100',
  'igmp',
  'arp.opcode == 1 or icmp.type == 8',
  'netlab.seq > 1000 && udp.dstport in {5000 6000}',
  'ip.dst == 239.0.0.0/8 && frame.len == 60',
  'eth.dst == 01:00:5e:01:01:01',
  'udp contains "NLAB"',
  'fate == "dropped"',
  'point == "segment" and udp.checksum.status == 1',
];

console.log('');
console.log(
  'filter'.padEnd(50) + 'matched'.padStart(10) + 'seconds'.padStart(10) + 'frames/s'.padStart(14),
);
for (const text of filters) {
  const r = compileFilter(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  filterStore(r.filter, meta, 1, Math.min(FRAMES, 100_000)); // warm up
  const t0 = performance.now();
  const hits = filterStore(r.filter, meta);
  const s = (performance.now() - t0) / 1000;
  console.log(
    text.padEnd(50) +
      String(hits.length).padStart(10) +
      s.toFixed(3).padStart(10) +
      Math.round(FRAMES / s)
        .toLocaleString('en')
        .padStart(14),
  );
}
