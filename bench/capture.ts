/**
 * Capture benchmark (issue #6): frames captured per wall second in a running
 * lab (P1 with a capture at every device and on the segment), bytes of memory
 * per stored frame at one million frames, and export speed to pcap and pcapng.
 * The display filter's speed over a million frames is bench/filter.ts.
 *
 *   node --import tsx bench/capture.ts
 */
import { Capture } from '../src-main/lab/capture/capture';
import { exportPcap, exportPcapng } from '../src-main/lab/capture/export';
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

const row = {
  capturedFramesPerWallSec: capturedPerSec,
  capturedFrames: run.capturedFrames,
  bytesPerStoredFrame: bytesPerFrame,
  storeMBFor1MFrames: +(capture.store.memoryBytes() / 1e6).toFixed(1),
  exportPcapMBps: pcapMBps,
  exportPcapngMBps: pcapngMBps,
};
console.log('Capture:');
console.table([row]);
console.log(JSON.stringify(row));
