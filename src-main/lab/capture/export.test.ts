import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Lab } from '../lab';
import { USER } from '../netdev/cred';
import { MS } from '../sim/time';
import { parseIpv4 } from '../wire/ipv4-addr';
import { Capture } from './capture';
import { exportPcap, exportPcapng } from './export';
import { importCapture } from './import';

const hasTshark = existsSync('/usr/bin/tshark');

function collect(write: (sink: (c: Uint8Array) => void) => number): {
  bytes: Uint8Array;
  chunks: number;
  n: number;
} {
  const chunks: Uint8Array[] = [];
  const n = write((c) => chunks.push(c.slice()));
  const bytes = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { bytes, chunks: chunks.length, n };
}

function tshark(file: string, fields: string[]): string[][] {
  const out = execFileSync(
    'tshark',
    ['-r', file, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])],
    {
      encoding: 'utf8',
    },
  );
  return out
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
}

function run() {
  const lab = new Lab({ seed: 4 });
  const [h0, h1] = ['h0', 'h1'].map((n) => lab.addHost(n));
  lab.addInterface(h0, { model: 'nofilter', ip: '10.0.0.1/24' });
  lab.addInterface(h1, { model: 'hash64', ip: '10.0.0.2/24' });
  const cap = new Capture(
    [
      { kind: 'device', name: 'h1:eth0', host: h1, dev: h1.nics[0].dev },
      { kind: 'segment', name: 'segment', segment: lab.segment },
    ],
    lab.sched,
  );
  cap.start();
  const rx = h1.kernel.udp.socket();
  rx.mcIf = h1.kernel.devices[0] ?? null;
  h1.kernel.udp.bind(rx, 0, 5000, USER);
  h1.kernel.udp.addMembership(rx, parseIpv4('239.1.1.1')!, h1.kernel.devices[0]);
  lab.run(MS);
  const tx = h0.kernel.udp.socket();
  tx.mcIf = h0.kernel.devices[0] ?? null;
  for (let i = 0; i < 5; i++) h0.kernel.udp.sendto(tx, null, 18, parseIpv4('239.1.1.1')!, 5000);
  lab.run(MS);
  cap.stop();
  return { lab, cap };
}

describe.skipIf(!hasTshark)('capture export, read back by tshark', () => {
  it('pcap (ns): tshark sees the lab’s frames, times, addresses and ports', () => {
    const { cap } = run();
    const dir = mkdtempSync(join(tmpdir(), 'netlab-export-'));
    const file = join(dir, 'segment.pcap');
    const { bytes, n } = collect((sink) => exportPcap(cap, sink, { resolution: 'ns', pointId: 1 }));
    writeFileSync(file, bytes);
    const rows = tshark(file, ['frame.time_epoch', 'ip.dst', 'udp.dstport']);
    expect(rows).toHaveLength(n);
    const ours = cap.rows(1, 1000).filter((r) => r.point === 'segment');
    expect(rows.map((r) => Math.round(Number(r[0]) * 1e9))).toEqual(ours.map((r) => r.timeNs));
    const udp = rows.filter((r) => r[2] === '5000');
    expect(udp).toHaveLength(5);
    expect(udp.every((r) => r[1] === '239.1.1.1')).toBe(true);
  });

  it('pcapng: interface names and fate comments survive', () => {
    const { cap } = run();
    const dir = mkdtempSync(join(tmpdir(), 'netlab-export-'));
    const file = join(dir, 'all.pcapng');
    const { bytes, n, chunks } = collect((sink) => exportPcapng(cap, sink));
    expect(chunks).toBeGreaterThanOrEqual(1);
    writeFileSync(file, bytes);
    const rows = tshark(file, ['frame.interface_name', 'udp.dstport', 'frame.comment']);
    expect(rows).toHaveLength(n);
    const atH1 = rows.filter((r) => r[0] === 'h1:eth0' && r[1] === '5000');
    expect(atH1).toHaveLength(5);
    expect(atH1.every((r) => r[2] === 'delivered (socket 1)')).toBe(true);
    expect(rows.filter((r) => r[0] === 'segment' && r[1] === '5000')).toHaveLength(5);
  });
});

describe('capture import', () => {
  it('reads an exported capture back: frames, times, points and fates; export → import → export is byte-identical', () => {
    const { cap } = run();
    for (const format of ['pcapng', 'pcap-ns', 'pcap-us'] as const) {
      const write = (c: Capture, sink: (b: Uint8Array) => void) =>
        format === 'pcapng'
          ? exportPcapng(c, sink)
          : exportPcap(c, sink, { resolution: format === 'pcap-ns' ? 'ns' : 'us' });
      const first = collect((sink) => write(cap, sink));
      const imported = importCapture(first.bytes);
      expect(imported.error).toBeUndefined();
      expect(imported.capture.store.count).toBe(cap.store.count);
      const again = collect((sink) => write(imported.capture, sink));
      expect(Buffer.from(again.bytes).equals(Buffer.from(first.bytes)), format).toBe(true);
      if (format === 'pcapng') {
        const a = cap.rows(1, 1000);
        const b = imported.capture.rows(1, 1000);
        expect(b.map((r) => [r.timeNs, r.point, r.direction, r.fate, r.wireLength])).toEqual(
          a.map((r) => [r.timeNs, r.point, r.direction, r.fate, r.wireLength]),
        );
      }
    }
  });

  it('keeps what a truncated file holds and says where it stopped; refuses what is not a capture', () => {
    const { cap } = run();
    const { bytes } = collect((sink) => exportPcapng(cap, sink));
    const cut = importCapture(bytes.subarray(0, bytes.length - 30));
    expect(cut.capture.store.count).toBe(cap.store.count - 1);
    expect(cut.error?.reason).toMatch(/truncated/);
    expect(cut.error?.offset).toBeGreaterThan(0);
    expect(() => importCapture(new TextEncoder().encode('{"name": "not a capture"}'))).toThrow(
      /not a pcap or pcapng file/,
    );
  });
});

describe('capture export timestamps', () => {
  it('writes whole nanoseconds when a generator’s rate put the clock between two', () => {
    const cap = new Capture([{ kind: 'file', name: 'x' }], { now: 0 });
    cap.addImported(0, 6720.003, 1, new Uint8Array(60), 60, 'delivered');
    for (const write of [
      exportPcapng,
      (c: Capture, s: (b: Uint8Array) => void) => exportPcap(c, s, { resolution: 'ns' }),
    ]) {
      const { bytes } = collect((sink) => write(cap, sink));
      expect(importCapture(bytes).capture.store.timeOf(1)).toBe(6720);
    }
  });
});
