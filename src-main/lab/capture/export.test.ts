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
import { PcapngWriter, readCapture } from './format';
import { importCapture } from './import';
import { dissect } from './dissect/dissect';
import { captureMeta } from './filter/store';

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
  rx.mcIf = h1.nics[0].dev ?? null;
  h1.kernel.udp.bind(rx, 0, 5000, USER);
  h1.kernel.udp.addMembership(rx, parseIpv4('239.1.1.1')!, h1.nics[0].dev);
  lab.run(MS);
  const tx = h0.kernel.udp.socket();
  tx.mcIf = h0.nics[0].dev ?? null;
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
        // An imported file's Time counts from its first frame (as Wireshark's default column);
        // its epoch times are the lab's own, to the ns. The lab's hosts boot apart, so its first
        // frame is not at 0.
        const t0 = a[0].timeNs;
        expect(
          b.map((r) => [r.timeNs, r.epoch, r.point, r.direction, r.fate, r.wireLength]),
        ).toEqual(
          a.map((r) => [r.timeNs - t0, r.epoch, r.point, r.direction, r.fate, r.wireLength]),
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
      const back = importCapture(bytes).capture;
      // An imported file's times count from its first frame, exactly.
      expect(back.origin).toEqual({ sec: 0, nsec: 6720 });
      expect(back.store.timeOf(1)).toBe(0);
      expect(back.row(1).epoch).toBe('0.000006720');
    }
  });

  it('imports and exports real epoch times exactly, to the ns, in both formats', () => {
    // 2023 in ns is 1.7e18, past 2^53: the times a double would round are the ones chosen.
    const times: [number, number][] = [
      [1_700_000_000, 10_000_000],
      [1_700_000_000, 9_999_999],
      [1_700_000_000, 999_999_999],
      [1_700_000_001, 1],
      [1_699_999_999, 500_000_123], // earlier than the first: files are not always in order
      [1_700_000_000 + 90 * 86_400, 7], // 90 days on
    ];
    const file = pcapngOf(times);
    const imported = importCapture(file);
    expect(imported.error).toBeUndefined();
    const cap = imported.capture;
    expect(cap.origin).toEqual({ sec: 1_700_000_000, nsec: 10_000_000 });
    const epochs = times.map(([s, n]) => `${s}.${String(n).padStart(9, '0')}`);
    expect(cap.rows(1, times.length).map((r) => r.epoch)).toEqual(epochs);
    expect(cap.row(2).timeNs).toBe(-1);
    const again = collect((sink) => exportPcapng(cap, sink)).bytes;
    expect(readCapture(again).packets.map((p) => [p.tsSeconds, p.tsNanos])).toEqual(times);
    const ns = collect((sink) => exportPcap(cap, sink, { resolution: 'ns' })).bytes;
    expect(readCapture(ns).packets.map((p) => [p.tsSeconds, p.tsNanos])).toEqual(times);
    const us = collect((sink) => exportPcap(cap, sink)).bytes;
    expect(readCapture(us).packets.map((p) => [p.tsSeconds, p.tsNanos])).toEqual(
      times.map(([s, n]) => [s, n - (n % 1000)]),
    );
  });

  it('keeps exact the times of frames years from the first (a merged file)', () => {
    const times: [number, number][] = [
      [1_700_000_000, 9_999_990],
      [1_800_000_000, 123_456_789], // three years on: past 2^53 ns from the first
      [1_600_000_000, 1],
    ];
    const cap = importCapture(pcapngOf(times)).capture;
    expect(cap.rows(1, 3).map((r) => r.epoch)).toEqual([
      '1700000000.009999990',
      '1800000000.123456789',
      '1600000000.000000001',
    ]);
    const again = collect((sink) => exportPcapng(cap, sink)).bytes;
    expect(readCapture(again).packets.map((p) => [p.tsSeconds, p.tsNanos])).toEqual(times);
    const tree = dissect(cap.store.data(2), 60, captureMeta(cap).at(2));
    expect(tree[0].children.find((f) => f.name === 'frame.time_epoch')?.value).toBe(
      '1800000000.123456789',
    );
  });
});

/** A pcapng file with one 60-byte frame at each exact time. */
function pcapngOf(times: [number, number][]): Uint8Array {
  return collect((sink) => {
    const w = new PcapngWriter(sink);
    w.writeHeader();
    w.addInterface('eth0');
    for (const [sec, nsec] of times) w.writePacketAt(0, sec, nsec, new Uint8Array(60), 0, 60, 60);
    w.end();
    return times.length;
  }).bytes;
}
