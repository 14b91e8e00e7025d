/**
 * Capture files (issue #18): importing and exporting a real capture of a million frames with
 * epoch times to the ns (2023: past 2^53 ns, the times a double cannot hold), as the app does
 * (importCapture, then exportPcapng / exportPcap to a sink that only counts bytes).
 *
 *   node --import tsx bench/capture-files.ts
 */
import { exportPcap, exportPcapng } from '../src-main/lab/capture/export';
import { PcapngWriter, PcapWriter } from '../src-main/lab/capture/format';
import { importCapture } from '../src-main/lab/capture/import';

const FRAMES = 1_000_000;

/** Frames of 60 to 1514 bytes, as a LAN capture has them, at 2023 epoch times 6.72 µs apart. */
function file(format: 'pcapng' | 'pcap'): Uint8Array {
  const chunks: Uint8Array[] = [];
  const sink = (c: Uint8Array) => chunks.push(c.slice());
  const data = new Uint8Array(1514).map((_, i) => i & 0xff);
  const w =
    format === 'pcapng' ? new PcapngWriter(sink) : new PcapWriter(sink, { resolution: 'ns' });
  w.writeHeader();
  if (w instanceof PcapngWriter) w.addInterface('eth0');
  let sec = 1_700_000_000;
  let nsec = 9_999_990;
  for (let i = 0; i < FRAMES; i++) {
    const len = i % 10 === 0 ? 1514 : 60 + (i % 7) * 16;
    if (w instanceof PcapngWriter) w.writePacketAt(0, sec, nsec, data, 0, len, len);
    else w.writePacketAt(sec, nsec, data, 0, len, len);
    nsec += 6720;
    if (nsec >= 1e9) {
      sec++;
      nsec -= 1e9;
    }
  }
  w.end();
  const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function time<T>(f: () => T): { value: T; s: number } {
  const t0 = performance.now();
  const value = f();
  return { value, s: +((performance.now() - t0) / 1000).toFixed(3) };
}

const row: Record<string, number> = {};
for (const format of ['pcapng', 'pcap'] as const) {
  const bytes = file(format);
  const imported = time(() => importCapture(bytes));
  if (imported.value.capture.store.count !== FRAMES) throw new Error('import lost frames');
  row[`${format}MB`] = +(bytes.length / 1e6).toFixed(1);
  row[`${format}ImportS`] = imported.s;
  const cap = imported.value.capture;
  let written = 0;
  const count = (c: Uint8Array) => (written += c.length);
  row[`${format}ExportPcapngS`] = time(() => exportPcapng(cap, count)).s;
  row[`${format}ExportPcapNsS`] = time(() => exportPcap(cap, count, { resolution: 'ns' })).s;
  if (format === 'pcap' && written === 0) throw new Error('nothing written');
}
console.log(JSON.stringify({ frames: FRAMES, ...row }));
