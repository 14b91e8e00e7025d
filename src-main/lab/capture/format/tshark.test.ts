import { afterAll, describe, expect, it } from 'vitest';
import { readCapture, writeCapture } from './read-capture';
import {
  fileOf,
  TEST_INTERFACES,
  testFrames,
  writePcapngOf,
  writePcapOf,
  type TestFrame,
} from '../testing/test-frames';
import type { CaptureFile } from './types';

/*
 * The files must open in Wireshark: tshark reads what the writers wrote, and the readers read
 * what Wireshark's tools wrote.
 *
 * Node is reached through process.getBuiltinModule rather than `import 'node:…'`: this folder is
 * type-checked without Node's types (tsconfig.lab.json covers its tests too) and ESLint forbids
 * Node imports in src-main/lab, test files included. The few calls used are typed here.
 */
interface NodeFs {
  mkdtempSync(prefix: string): string;
  writeFileSync(path: string, data: Uint8Array): void;
  readFileSync(path: string): Uint8Array;
  rmSync(path: string, options: { recursive: boolean; force: boolean }): void;
}
interface SpawnResult {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}
interface NodeChildProcess {
  spawnSync(
    command: string,
    args: string[],
    options: { encoding: 'utf8'; maxBuffer: number },
  ): SpawnResult;
}
const nodeProcess = (
  globalThis as unknown as { process: { getBuiltinModule(id: string): unknown } }
).process;
const fs = nodeProcess.getBuiltinModule('node:fs') as NodeFs;
const os = nodeProcess.getBuiltinModule('node:os') as { tmpdir(): string };
const childProcess = nodeProcess.getBuiltinModule('node:child_process') as NodeChildProcess;

function run(command: string, args: string[]): SpawnResult {
  return childProcess.spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
}

const version = run('tshark', ['--version']);
const hasTshark = !version.error && version.status === 0;
if (!hasTshark) {
  // Visible in the test output, next to the skipped tests.
  it.skip('tshark is not installed (apt-get install tshark): the Wireshark checks are skipped', () => {});
}

/** tshark's field for packet comments: `frame.comment` since 3.6 (4.x), `pkt_comment` before. */
let commentFieldName = '';
function commentField(): string {
  if (commentFieldName) return commentFieldName;
  const fields = run('tshark', ['-G', 'fields']).stdout;
  commentFieldName = /\tframe\.comment\t/.test(fields) ? 'frame.comment' : 'pkt_comment';
  return commentFieldName;
}

const dir = hasTshark ? fs.mkdtempSync(`${os.tmpdir()}/netlab-pcap-`) : '';
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A file's bytes as a plain Uint8Array (a Buffer's subarrays would be Buffers). */
function load(path: string): Uint8Array {
  const b = fs.readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

function save(name: string, bytes: Uint8Array): string {
  const path = `${dir}/${name}`;
  fs.writeFileSync(path, bytes);
  return path;
}

interface Row {
  number: number;
  /** The epoch time as tshark prints it, as integer seconds and nanoseconds. */
  sec: number;
  ns: number;
  ethSrc: string;
  ipDst: string;
  udpDstPort: number;
  comment: string;
  interfaceName: string;
  direction: number;
  len: number;
}

/** Runs tshark over `path` and returns its rows; it must not complain about the file. */
function tshark(path: string): Row[] {
  const fields = [
    'frame.number',
    'frame.time_epoch',
    'eth.src',
    'ip.dst',
    'udp.dstport',
    commentField(),
    'frame.interface_name',
    'frame.packet_flags_direction',
    'frame.len',
  ];
  const args = ['-r', path, '-T', 'fields', '-E', 'separator=/t'];
  for (const f of fields) args.push('-e', f);
  const out = run('tshark', args);
  expect(out.status, out.stderr).toBe(0);
  // tshark warns on stderr about running as root; nothing else may appear.
  const complaints = out.stderr.split('\n').filter((l) => l && !/Running as user/.test(l));
  expect(complaints).toEqual([]);
  return out.stdout
    .split('\n')
    .filter((l) => l)
    .map((line) => {
      const c = line.split('\t');
      // "9007199.254740991"; the number of digits differs between versions and resolutions.
      const [s, frac = ''] = c[1].split('.');
      return {
        number: Number(c[0]),
        sec: Number(s),
        ns: Number(frac.padEnd(9, '0').slice(0, 9)),
        ethSrc: c[2],
        ipDst: c[3],
        udpDstPort: Number(c[4]),
        comment: c[5],
        interfaceName: c[6],
        direction: directionOf(c[7]),
        len: Number(c[8]),
      };
    });
}

/** tshark 4.0 prints the direction bits as 0x00000001; other versions may print 1 or a name. */
function directionOf(text: string): number {
  if (!text) return 0;
  if (/^in/i.test(text)) return 1;
  if (/^out/i.test(text)) return 2;
  return Number(text);
}

function expectRows(rows: Row[], frames: TestFrame[], resolution: 'us' | 'ns' | 'ng') {
  expect(rows).toHaveLength(frames.length);
  rows.forEach((r, i) => {
    const f = frames[i];
    const ns = resolution === 'us' ? Math.floor(f.tsNs / 1000) * 1000 : f.tsNs;
    expect(r.number).toBe(i + 1);
    expect([r.sec, r.ns]).toEqual([Math.floor(ns / 1e9), ns % 1e9]);
    expect(r.ethSrc).toBe(f.srcMac);
    expect(r.ipDst).toBe(f.dst);
    expect(r.udpDstPort).toBe(f.dstPort);
    expect(r.len).toBe(f.bytes.length);
    if (resolution === 'ng') {
      expect(r.comment).toBe(f.comment);
      expect(r.interfaceName).toBe(TEST_INTERFACES[f.iface]);
      expect(r.direction).toBe(f.direction);
    } else {
      expect(r.comment).toBe('');
    }
  });
}

/** The packets of two reads agree in everything but where they lie in their files. */
function expectSamePackets(a: CaptureFile, b: CaptureFile) {
  expect(a.error).toBeUndefined();
  expect(b.error).toBeUndefined();
  const strip = (f: CaptureFile) => f.packets.map((p) => ({ ...p, fileOffset: 0 }));
  expect(strip(a)).toEqual(strip(b));
}

describe.skipIf(!hasTshark)('tshark reads the files the writers write', { timeout: 60_000 }, () => {
  const frames = testFrames(60);

  it('pcap, microseconds', () => {
    const path = save(
      'us.pcap',
      fileOf((s) => writePcapOf(frames, 'us', s)),
    );
    expectRows(tshark(path), frames, 'us');
  });

  it('pcap, nanoseconds: timestamps exact to the nanosecond', () => {
    const path = save(
      'ns.pcap',
      fileOf((s) => writePcapOf(frames, 'ns', s)),
    );
    expectRows(tshark(path), frames, 'ns');
  });

  it('pcapng: interface names, comments (UTF-8) and directions survive', () => {
    const path = save(
      'lab.pcapng',
      fileOf((s) => writePcapngOf(frames, s)),
    );
    expectRows(tshark(path), frames, 'ng');
    const info = run('capinfos', ['-M', path]);
    if (!info.error) {
      expect(info.stdout).toMatch(/Capture application:\s+netlab/);
      expect(info.stdout).toMatch(/Number of interfaces in file: 3/);
      expect(info.stdout).toMatch(/Time resolution = 0x09/);
    }
  });

  it('a file written from an import opens the same', () => {
    const original = fileOf((s) => writePcapngOf(frames, s));
    const again = fileOf((s) => writeCapture(readCapture(original), s));
    expectRows(tshark(save('again.pcapng', again)), frames, 'ng');
  });
});

describe.skipIf(!hasTshark)('the readers read what Wireshark writes', { timeout: 60_000 }, () => {
  const frames = testFrames(30);
  const ours = fileOf((s) => writePcapngOf(frames, s));

  it('tshark -w and editcap: pcapng, pcap and nanosecond pcap', () => {
    const src = save('src.pcapng', ours);
    const ng = `${dir}/tshark.pcapng`;
    expect(run('tshark', ['-r', src, '-w', ng]).status).toBe(0);
    const fromTshark = readCapture(load(ng));
    expect(fromTshark.interfaces.map((i) => i.name)).toEqual(TEST_INTERFACES);
    expectSamePackets(fromTshark, readCapture(ours));
    for (const [format, res] of [
      ['pcap', 'us'],
      ['nsecpcap', 'ns'],
    ] as const) {
      const path = `${dir}/editcap-${format}`;
      const out = run('editcap', ['-F', format, src, path]);
      if (out.error) return; // editcap comes with tshark on Debian; elsewhere it may not
      expect(out.status, out.stderr).toBe(0);
      const read = readCapture(load(path));
      const expected = readCapture(fileOf((s) => writePcapOf(frames, res, s)));
      expectSamePackets(read, expected);
      expect(read.interfaces[0].tsResol).toBe(res === 'ns' ? 9 : 6);
    }
  });

  it('mergecap: one section with its own options and every interface', () => {
    const a = save('a.pcapng', ours);
    const b = save(
      'b.pcap',
      fileOf((s) => writePcapOf(frames, 'ns', s)),
    );
    const merged = `${dir}/merged.pcapng`;
    const out = run('mergecap', ['-w', merged, a, b]);
    if (out.error) return;
    expect(out.status, out.stderr).toBe(0);
    const read = readCapture(load(merged));
    expect(read.error).toBeUndefined();
    expect(read.sections).toHaveLength(1);
    expect(read.sections[0].userAppl).toMatch(/Mergecap/);
    expect(read.packets).toHaveLength(2 * frames.length);
    const names = new Set(read.packets.map((p) => p.interfaceName));
    for (const n of TEST_INTERFACES) expect(names).toContain(n);
    // Every timestamp twice, nanoseconds intact.
    const times = read.packets.map((p) => p.tsNs).sort((x, y) => x - y);
    expect(times).toEqual(frames.flatMap((f) => [f.tsNs, f.tsNs]).sort((x, y) => x - y));
  });
});
