/**
 * Capture benchmark (issue #6): frames captured per wall second in a running
 * lab (P1 with a capture at every device and on the segment), bytes of memory
 * per stored frame at one million frames, and export speed to pcap and pcapng.
 * The display filter's speed over a million frames is bench/filter.ts.
 * Then what P4's records cost the store alone, in fresh memory and in memory
 * used before, and what the first touch of a fresh page costs on this machine:
 * the figures behind bench/README.md's account of P4.
 *
 *   node --import tsx bench/capture.ts
 */
import { Capture } from '../src-main/lab/capture/capture';
import { exportPcap, exportPcapng } from '../src-main/lab/capture/export';
import { captureRing } from '../src-main/lab/capture/capture-limit';
import { DIR_IN, DIR_OUT, DIR_UNKNOWN, FrameStore } from '../src-main/lab/capture/frame-store';
import { runStack } from './stack';

// 1. Capturing while the lab runs at full speed.
const run = runStack({
  hosts: 8,
  bitRate: 100e6,
  seconds: 1,
  senders: 1,
  model: 'perfect',
  capture: true,
});
const capturedPerSec = Math.round(run.capturedFrames / run.wallSeconds);

// 2. A million stored 64-byte frames: memory per frame.
const frame = new Uint8Array(60);
for (let i = 0; i < 60; i++) frame[i] = i;
const capture = new Capture([{ kind: 'file', name: 'bench' }], { now: 0 });
for (let i = 0; i < 1_000_000; i++) capture.addImported(0, i * 6720, 1, frame, 60, undefined);
const bytesPerFrame = Math.round(capture.store.memoryBytes() / capture.store.count);

// 3. Export: bytes written per wall second to a sink that only counts.
function exportRate(write: (sink: (c: Uint8Array) => void) => number): number {
  let bytes = 0;
  const t0 = performance.now();
  write((c) => (bytes += c.length));
  return +(bytes / 1e6 / ((performance.now() - t0) / 1000)).toFixed(1);
}
const pcapMBps = exportRate((sink) => exportPcap(capture, sink, { resolution: 'ns' }));
const pcapngMBps = exportRate((sink) => exportPcapng(capture, sink));

// 4. The store alone, fed one simulated second of P4's records (per frame on the wire: the
// sender's, the segment's and 7 receivers'), eight times over: the first store writes fresh
// memory, later ones mostly memory the earlier ones gave back.
const wireFrame = new Uint8Array(2048).map((_, i) => i & 0xff);
const storeNs: number[] = [];
const ringNs: number[] = [];
// Rounds 8-10: the lab's ring (a capture's default 128 MiB limit: 1,048,576 records), three
// simulated seconds, so that most records evict the oldest one as a capture left running does.
for (let round = 0; round < 11; round++) {
  const ring = round >= 8;
  const s = new FrameStore(ring ? captureRing() : undefined);
  const t0 = performance.now();
  for (let f = 1, t = 0; f <= (ring ? 3 : 1) * 148_809; f++, t += 6720) {
    s.appendSent(t, 0, DIR_OUT, wireFrame, 78, 60, 64, f);
    s.appendWireFrame(t + 100, 8, DIR_UNKNOWN, wireFrame, 0, 60, 64, f, 0, f);
    for (let d = 1; d <= 7; d++) s.appendWireFrame(t + 6000, d, DIR_IN, wireFrame, 78, 60, 64, f);
  }
  const records = (ring ? 3 : 1) * 148_809 * 9;
  (ring ? ringNs : storeNs).push(((performance.now() - t0) * 1e6) / records);
}

// 5. The first write to each 4 KiB page of 64 MiB of new memory, then the same pages again.
const touch = (a: Uint8Array, v: number) => {
  const t0 = performance.now();
  for (let i = 0; i < a.length; i += 4096) a[i] = v;
  return ((performance.now() - t0) * 1000) / (a.length / 4096);
};
const fresh = new Uint8Array(64 << 20);
const firstTouchUs = touch(fresh, 1);
const againUs = touch(fresh, 2);

const row = {
  capturedFramesPerWallSec: capturedPerSec,
  capturedFrames: run.capturedFrames,
  bytesPerStoredFrame: bytesPerFrame,
  storeMBFor1MFrames: +(capture.store.memoryBytes() / 1e6).toFixed(1),
  exportPcapMBps: pcapMBps,
  exportPcapngMBps: pcapngMBps,
  storeNsPerRecordFresh: +storeNs[0].toFixed(1),
  storeNsPerRecordReused: +Math.min(...storeNs.slice(1)).toFixed(1),
  storeNsPerRecordRing: +ringNs.sort((a, b) => a - b)[1].toFixed(1),
  pageFirstTouchUs: +firstTouchUs.toFixed(2),
  pageTouchAgainUs: +againUs.toFixed(3),
};
console.log('Capture:');
console.table([row]);
console.log(JSON.stringify(row));
