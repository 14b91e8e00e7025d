// Real captures (files/, made by make.sh: Linux traffic between network namespaces through
// tcpdump and dumpcap, scapy-crafted edge cases, editcap/mergecap variants and layouts editcap does
// not write) imported as the app imports them and compared with tshark: row by row, field by
// field, display filter by display filter; then exported again in both formats.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIpv4 } from '../../wire/ipv4-addr';
import { formatMac } from '../../wire/mac';
import type { Capture } from '../capture';
import { dissect } from '../dissect/dissect';
import { fieldDef } from '../dissect/fields';
import { exportPcap, exportPcapng } from '../export';
import { compileFilter } from '../filter/compile';
import { captureMeta, filterStore } from '../filter/store';
import { indexTree } from '../filter/reference';
import { readCapture } from '../format';
import { importCapture } from '../import';
import { ioStatRows } from '../../testing/io-stat';
import { CORPUS_FILTERS, TIME_FILTERS } from './filters';
import { FIELDS_COMPARED, KNOWN, TSHARK_TCP_PREFS, unclaimed } from './claims';

const DIR = join(__dirname, 'files');
const FILES = readdirSync(DIR)
  .filter((f) => /\.pcap(ng)?$/.test(f))
  .sort();
const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasTshark)
  console.warn('corpus.test.ts: tshark is not installed; the tshark comparisons are skipped');

function tshark(args: string[]): string {
  return execFileSync('tshark', [...TSHARK_TCP_PREFS, ...args], {
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 << 20,
  }).toString();
}

function load(name: string): { bytes: Uint8Array; capture: Capture } {
  const bytes = new Uint8Array(readFileSync(join(DIR, name)));
  const r = importCapture(bytes);
  expect(r.error, name).toBeUndefined();
  expect(r.skipped, name).toBe(0);
  return { bytes, capture: r.capture };
}

/** Mismatches by what differs, for the report at the end (and the README). */
const tally = new Map<string, number>();
function count(what: string): void {
  tally.set(what, (tally.get(what) ?? 0) + 1);
}
afterAll(() => {
  if (tally.size > 0)
    console.info(
      'corpus mismatches (outside what the lab claims, or KNOWN):\n' +
        [...tally].map(([k, n]) => `  ${n}\t${k}`).join('\n'),
    );
});

describe('the capture corpus', () => {
  it('has files of every kind', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(10);
    const formats = new Set(FILES.map((f) => readCapture(readFileSync(join(DIR, f))).format));
    expect(formats).toEqual(new Set(['pcap', 'pcapng']));
  });

  it.each(FILES)(
    '%s: exports again with the same frames, times and lengths, both formats',
    (name) => {
      const { bytes, capture } = load(name);
      const original = readCapture(bytes);
      const n = original.packets.length;
      expect(capture.store.count).toBe(n);
      for (const format of ['pcapng', 'pcap-ns', 'pcap-us'] as const) {
        const chunks: Uint8Array[] = [];
        const sink = (c: Uint8Array) => chunks.push(c.slice());
        if (format === 'pcapng') exportPcapng(capture, sink);
        else exportPcap(capture, sink, { resolution: format === 'pcap-ns' ? 'ns' : 'us' });
        const again = readCapture(Buffer.concat(chunks));
        expect(again.error, format).toBeUndefined();
        expect(again.packets.length).toBe(n);
        original.packets.forEach((p, i) => {
          const q = again.packets[i];
          const nsec = format === 'pcap-us' ? p.tsNanos - (p.tsNanos % 1000) : p.tsNanos;
          expect([q.tsSeconds, q.tsNanos, q.originalLength], `${format} frame ${i + 1}`).toEqual([
            p.tsSeconds,
            nsec,
            p.originalLength,
          ]);
          expect(Buffer.from(q.data).equals(Buffer.from(p.data)), `${format} frame ${i + 1}`).toBe(
            true,
          );
        });
        // A tcpdump file comes back byte for byte: same header, same records.
        if (
          original.format === 'pcap' &&
          format === (original.interfaces[0].tsResol === 9 ? 'pcap-ns' : 'pcap-us') &&
          !name.includes('-be-')
        )
          expect(Buffer.concat(chunks).equals(Buffer.from(bytes)), name).toBe(true);
      }
    },
  );
});

describe.skipIf(!hasTshark)('the capture corpus, against tshark', () => {
  it.each(FILES)('%s: rows as tshark lists them (times to the ns, lengths, columns)', (name) => {
    const { capture } = load(name);
    const out = tshark([
      '-r',
      join(DIR, name),
      '-T',
      'fields',
      '-E',
      'separator=\t',
      '-e',
      'frame.time_epoch',
      '-e',
      'frame.len',
      '-e',
      'frame.cap_len',
      '-e',
      'frame.protocols',
      '-e',
      '_ws.col.Source',
      '-e',
      '_ws.col.Destination',
      '-e',
      '_ws.col.Protocol',
      '-e',
      '_ws.col.Info',
    ])
      .split('\n')
      .filter((l) => l !== '');
    const rows = capture.rows(capture.store.first, capture.store.count);
    expect(rows.length).toBe(out.length);
    const wrong: string[] = [];
    rows.forEach((r, i) => {
      const [epoch, len, caplen, protocols, src, dst, proto, info] = out[i].split('\t');
      // Times and lengths: every frame, whatever it carries.
      expect([r.epoch, r.wireLength, r.capturedLength], `${name} frame ${r.no}`).toEqual([
        epoch,
        Number(len),
        Number(caplen),
      ]);
      const ours = [r.source, r.destination, r.protocol, r.info].join(' | ');
      const theirs = [src, dst, proto, info].join(' | ');
      if (ours === theirs) return;
      const why =
        unclaimed(
          protocols,
          theirs,
          ours,
          r.info.startsWith('Fragmented IP protocol') || r.info.startsWith('IPv6 fragment ('),
        ) ?? (KNOWN[`${name}#${r.no}`] ? `KNOWN MISMATCH: ${KNOWN[`${name}#${r.no}`]}` : null);
      if (why) count(why);
      else wrong.push(`frame ${r.no} (${protocols}):\n  ours:   ${ours}\n  tshark: ${theirs}`);
    });
    expect(wrong, name).toEqual([]);
  });

  it.each(FILES)('%s: fields as tshark gives them, occurrence by occurrence', (name) => {
    const { capture } = load(name);
    const out = tshark([
      '-r',
      join(DIR, name),
      '-T',
      'fields',
      '-E',
      'separator=\t',
      '-E',
      'occurrence=a',
      '-E',
      'aggregator=,',
      '-e',
      'frame.protocols',
      ...FIELDS_COMPARED.flatMap((f) => ['-e', f]),
    ])
      .split('\n')
      .filter((l) => l !== '');
    const meta = captureMeta(capture);
    const wrong: string[] = [];
    let compared = 0;
    out.forEach((line, i) => {
      const n = capture.store.first + i;
      const [protocols, ...theirs] = line.split('\t');
      const data = capture.store.data(n);
      const index = indexTree(dissect(data, data.length, meta.at(n)), data).index;
      const fragment =
        (index.get('ip.frag_offset') ?? []).some((x) => x.raw !== 0) ||
        (index.get('ip.flags.mf') ?? []).some((x) => x.raw === 1) ||
        (index.get('ipv6.fraghdr.offset') ?? []).some((x) => x.raw !== 0) ||
        (index.get('ipv6.fraghdr.more') ?? []).some((x) => x.raw === 1);
      FIELDS_COMPARED.forEach((f, k) => {
        const ours = (index.get(f) ?? []).map((x) => show(f, x.raw, x.value)).join(',');
        const want = theirs[k]
          .split(',')
          .filter((v) => v !== '')
          .map((v) => normal(v, f))
          .join(',');
        if (ours === want) {
          if (ours !== '') compared++;
          return;
        }
        const known = KNOWN[`${name}#${n}:${f}`];
        const why =
          unclaimed(protocols, `${f}=${want}`, `${f}=${ours}`, fragment) ??
          (known ? `KNOWN MISMATCH: ${known}` : null);
        if (why) count(why);
        else wrong.push(`frame ${n} ${f}: ours ${ours}, tshark ${want}`);
      });
    });
    expect(wrong, name).toEqual([]);
    expect(compared).toBeGreaterThan(0);
  });

  it('display filters select the frames tshark -Y selects', () => {
    // Every frame of the corpus in one file, frame i at i seconds: tshark's io,stat then says,
    // per one-second interval, whether each filter matched frame i, all filters in one run.
    const frames = FILES.flatMap((name) => {
      const p = readCapture(readFileSync(join(DIR, name))).packets;
      return p.map((x) => ({ data: Buffer.from(x.data), orig: x.originalLength }));
    });
    const dir = mkdtempSync(join(tmpdir(), 'netlab-corpus-'));
    try {
      const file = join(dir, 'all.pcap');
      const head = Buffer.alloc(24);
      head.writeUInt32LE(0xa1b2c3d4, 0);
      head.writeUInt16LE(2, 4);
      head.writeUInt16LE(4, 6);
      head.writeUInt32LE(262144, 16);
      head.writeUInt32LE(1, 20);
      const parts = [head];
      // io,stat folds the last interval into the one before: a spare frame takes that place.
      [...frames, frames[0]].forEach((f, i) => {
        const rec = Buffer.alloc(16);
        rec.writeUInt32LE(i < frames.length ? i : i + 1, 0);
        rec.writeUInt32LE(f.data.length, 8);
        rec.writeUInt32LE(f.orig, 12);
        parts.push(rec, f.data);
      });
      writeFileSync(file, Buffer.concat(parts));
      const { capture } = load0(readFileSync(file));
      const meta = captureMeta(capture);
      // Frames left out of the comparison: those carrying what the lab does not dissect (IPv6,
      // TCP, LLC), tshark's reassembled fragments, and frames where a dissector ran out of bytes
      // (io,stat does not count those as -Y matches them).
      const skip = new Set<number>();
      tshark([
        '-r',
        file,
        '-T',
        'fields',
        '-E',
        'separator=\t',
        '-e',
        'frame.number',
        '-e',
        'frame.protocols',
        '-e',
        '_ws.short',
        '-e',
        '_ws.malformed',
        '-e',
        'ip.flags.mf',
        '-e',
        'ip.frag_offset',
        '-e',
        'ipv6.fraghdr.more',
        '-e',
        'ipv6.fraghdr.offset',
      ])
        .split('\n')
        .filter((l) => l !== '')
        .forEach((l) => {
          const [no, protocols, short, malformed, mf, off, more6, off6] = l.split('\t');
          const frag =
            mf.split(',').includes('1') ||
            off.split(',').some((v) => v !== '' && v !== '0') ||
            more6.split(',').some((v) => v === '1' || v === 'True') ||
            off6.split(',').some((v) => v !== '' && v !== '0');
          const why =
            unclaimed(protocols, '', '', frag) ?? (short || malformed ? 'exception' : null);
          if (why) skip.add(Number(no));
        });
      expect(skip.size).toBeLessThan(frames.length / 2);
      expect(CORPUS_FILTERS.length).toBeGreaterThanOrEqual(150);
      // io,stat takes a few dozen filters a run, and none with a comma (it separates them there):
      // those go through tshark -Y one by one.
      const wrong: string[] = [];
      const compare = (text: string, theirs: number[]): void => {
        const c = compileFilter(text);
        if (!c.ok) {
          wrong.push(`${text}: refused: ${c.error.message}`);
          return;
        }
        const ours = [...filterStore(c.filter, meta, 1, frames.length)].filter((n) => !skip.has(n));
        theirs = theirs.filter((n) => !skip.has(n));
        if (ours.join() !== theirs.join())
          wrong.push(
            `${text}: ours ${ours.length} frames, tshark ${theirs.length}; differ at ${diff(ours, theirs)}`,
          );
      };
      for (const text of CORPUS_FILTERS.filter((f) => f.includes(','))) {
        const theirs = tshark(['-r', file, '-Y', text, '-T', 'fields', '-e', 'frame.number'])
          .split('\n')
          .filter((l) => l !== '')
          .map(Number)
          .filter((n) => n <= frames.length);
        compare(text, theirs);
      }
      const plain = CORPUS_FILTERS.filter((f) => !f.includes(','));
      for (let k = 0; k < plain.length; k += 40) {
        const batch = plain.slice(k, k + 40);
        const table = tshark(['-r', file, '-q', '-z', `io,stat,1,${batch.join(',')}`]);
        const rows = ioStatRows(table, frames.length);
        expect(rows.length).toBe(frames.length);
        batch.forEach((text, j) => {
          compare(
            text,
            rows.map((r, i) => (r[2 * j] > 0 ? i + 1 : 0)).filter((x) => x > 0),
          );
        });
      }
      expect(wrong).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true });
    }
  }, 120_000);

  it.each(['netns.pcapng', 'crafted.pcap', 'merged.pcapng', 'crafted-tsresol2.pcapng'])(
    '%s: time filters select the frames tshark -Y selects, to the ns',
    (name) => {
      const { capture } = load(name);
      const meta = captureMeta(capture);
      const wrong: string[] = [];
      for (const text of TIME_FILTERS(readCapture(readFileSync(join(DIR, name))))) {
        const theirs = tshark([
          '-r',
          join(DIR, name),
          '-Y',
          text,
          '-T',
          'fields',
          '-e',
          'frame.number',
        ])
          .split('\n')
          .filter((l) => l !== '')
          .map(Number);
        const c = compileFilter(text);
        if (!c.ok) {
          wrong.push(`${text}: refused: ${c.error.message}`);
          continue;
        }
        const ours = [...filterStore(c.filter, meta)];
        if (ours.join() !== theirs.join())
          wrong.push(`${text}: ours ${ours.join()}, tshark ${theirs.join()}`);
      }
      expect(wrong).toEqual([]);
    },
    60_000,
  );
});

function load0(bytes: Uint8Array): { capture: Capture } {
  const r = importCapture(bytes);
  expect(r.error).toBeUndefined();
  return { capture: r.capture };
}

/** The first frame number where two sorted lists differ. */
function diff(a: number[], b: number[]): string {
  const A = new Set(a);
  const B = new Set(b);
  const onlyA = a.filter((x) => !B.has(x)).slice(0, 5);
  const onlyB = b.filter((x) => !A.has(x)).slice(0, 5);
  return `only ours ${onlyA.join()}; only tshark ${onlyB.join()}`;
}

/** A field's raw value as tshark -T fields prints it (hex numbers normalised to decimal). */
function show(name: string, raw: number | string | undefined, value: string): string {
  // Bytes fields carry no raw value: their display value is their hex digits, as tshark's.
  if (raw === undefined) {
    const type = fieldDef(name)?.type;
    return type === 'bytes' || type === 'ipv6' ? value : '';
  }
  if (typeof raw === 'string') return raw;
  const type = fieldDef(name)?.type;
  if (type === 'ipv4') return formatIpv4(raw);
  if (type === 'ipv6') return value;
  if (type === 'ether') {
    const b = new Uint8Array(6);
    let v = raw;
    for (let i = 5; i >= 0; i--) {
      b[i] = v % 256;
      v = Math.floor(v / 256);
    }
    return formatMac(b, 0);
  }
  return String(raw);
}

function normal(v: string, name: string): string {
  // Bytes tshark separates with colons (a link-layer address option): as plain hex digits.
  if (fieldDef(name)?.type === 'bytes' && /^[0-9a-f]{2}(:[0-9a-f]{2})+$/.test(v))
    return v.replace(/:/g, '');
  if (/^0x[0-9a-f]+$/i.test(v)) return String(parseInt(v, 16));
  if (v === 'True') return '1';
  if (v === 'False') return '0';
  return v;
}
