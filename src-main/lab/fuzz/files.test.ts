import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Capture } from '../capture/capture';
import { dissect } from '../capture/dissect';
import { exportPcap, exportPcapng } from '../capture/export';
import { CaptureStreamReader, detectCaptureFormat, readCapture } from '../capture/format';
import { pcapngBlocks, pcapRecordOffsets } from '../capture/testing/test-frames';
import { importCapture } from '../capture/import';
import { Rng } from '../sim/rng';
import { MS, US } from '../sim/time';
import { REFERENCE_DRIVERS } from '../drivers/cards';
import { loadQuickJS } from '../drivers/student/quickjs';
import { buildLab, type DriverReader } from '../labfile/build';
import { EVERY_FIELD_LAB, HASH_COLLISIONS_LAB } from '../labfile/example';
import { parseLabSpec } from '../labfile/load';
import { saveLabSpec } from '../labfile/save';
import { LabSession } from '../labfile/session';
import { FrameFuzzer, VIA_SEND } from './frames';
import { buildFuzzLab } from './fuzz-lab';
import { mutateBytes, mutateText } from './mutate';

const LABS_DIR = join(import.meta.dirname, '../../../resources/labs');
/** Mutated inputs per source file; FUZZ_FILES_PER_SOURCE=n for a longer hunt. */
const PER_SOURCE = Number(process.env.FUZZ_FILES_PER_SOURCE ?? 60);
const CAPTURE_INPUTS = Number(process.env.FUZZ_CAPTURES ?? 1500);
/** No input may take longer than this (the loader's documented worst case is about a second). */
const MAX_MS_PER_INPUT = 3000;

/** Errors that are about the file as a whole, so they have no line. */
const WHOLE_FILE = [
  /^the file is empty/,
  /^the file is \d+ KiB; a lab file may be at most/,
  /^too many alias expansions/,
  /^\d+ more errors not shown$/,
];

/**
 * Drivers for the labs with register-level cards: a file beside the labs when it exists, else
 * the card's reference driver (a mutated file name is a file that is not there, not a bug).
 */
const readDriver: DriverReader = (file, card) => {
  const own = file !== null ? join(LABS_DIR, file) : null;
  const path =
    own !== null && existsSync(own)
      ? own
      : join(LABS_DIR, '..', 'drivers', REFERENCE_DRIVERS[card]);
  return { file: file ?? REFERENCE_DRIVERS[card], source: readFileSync(path, 'utf8') };
};

beforeAll(async () => {
  await loadQuickJS();
});

function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}

describe('corrupt lab files', () => {
  it('every mutation of the built-in labs and the spec examples loads or names where it went wrong, none throws or hangs', () => {
    const sources: [string, string][] = [];
    for (const f of readdirSync(LABS_DIR)
      .filter((f) => f.endsWith('.yaml'))
      .sort())
      sources.push([f, readFileSync(join(LABS_DIR, f), 'utf8')]);
    sources.push(['hash-collisions-example.yaml', HASH_COLLISIONS_LAB]);
    sources.push(['every-field-example.yaml', EVERY_FIELD_LAB]);
    // The same labs as JSON, as saving writes them.
    for (const [name, text] of [...sources]) {
      const r = parseLabSpec(text, name);
      expect(r.errors, name).toBeUndefined();
      sources.push([name.replace(/\.yaml$/, '.json'), saveLabSpec(r.spec!, 'json')]);
    }
    const rng = new Rng(20);
    const outcome = { inputs: 0, loaded: 0, errors: 0, built: 0, maxMs: 0, maxHeapGrowth: 0 };
    const kinds = new Map<string, number>();
    for (const [name, original] of sources) {
      const json = name.endsWith('.json');
      for (let i = 0; i < PER_SOURCE; i++) {
        let text = original;
        const did: string[] = [];
        for (let m = 1 + rng.int(3); m > 0; m--) {
          const [t, what] = mutateText(text, rng, json);
          text = t;
          did.push(what);
          const kind = what.split(' ')[0];
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        }
        const label = `${name} #${i} (${did.join(', ')})`;
        const h0 = heapUsed();
        const t0 = performance.now();
        const r = parseLabSpec(text, name);
        const ms = performance.now() - t0;
        outcome.maxHeapGrowth = Math.max(outcome.maxHeapGrowth, heapUsed() - h0);
        outcome.maxMs = Math.max(outcome.maxMs, ms);
        outcome.inputs++;
        expect(ms, label).toBeLessThan(MAX_MS_PER_INPUT);
        if (r.spec) {
          outcome.loaded++;
          // What loads builds and runs: a validated lab is a lab.
          const session = new LabSession(buildLab(r.spec, readDriver));
          session.run(MS);
          session.close();
          expect(session.lab.pool.outstanding, label).toBe(0);
          outcome.built++;
          continue;
        }
        outcome.errors++;
        expect(r.errors.length, label).toBeGreaterThan(0);
        for (const e of r.errors) {
          expect(e.file, label).toBe(name);
          expect(Number.isInteger(e.line) && e.line >= 0, label).toBe(true);
          expect(Number.isInteger(e.column) && e.column >= 0, label).toBe(true);
          // The loader's last-resort catch means something inside threw: a bug.
          expect(e.message, label).not.toMatch(/^could not read the file/);
        }
        // Unless the file as a whole is refused, the first error has a place in it.
        const first = r.errors[0];
        if (!WHOLE_FILE.some((re) => re.test(first.message))) {
          expect(first.line, `${label}: ${first.message}`).toBeGreaterThan(0);
          expect(first.column, `${label}: ${first.message}`).toBeGreaterThan(0);
          expect(first.line, label).toBeLessThanOrEqual(text.split(/\r\n|\r|\n/).length);
        }
      }
    }
    expect(outcome.inputs).toBe(sources.length * PER_SOURCE);
    // Memory: no file of at most 256 KiB made the heap grow by more than a bounded multiple.
    expect(outcome.maxHeapGrowth).toBeLessThan(256 * 2 ** 20);
    expect(outcome.errors).toBeGreaterThan(0);
    expect(outcome.loaded).toBeGreaterThan(0);
    console.log(
      `lab file fuzz: ${outcome.inputs} inputs from ${sources.length} files: ${outcome.loaded} loaded ` +
        `(and built and ran), ${outcome.errors} refused with located errors; slowest ` +
        `${outcome.maxMs.toFixed(0)} ms; largest heap growth during one load ` +
        `${(outcome.maxHeapGrowth / 2 ** 20).toFixed(1)} MiB\n  mutations: ${JSON.stringify(Object.fromEntries(kinds))}`,
    );
  }, 240_000);
});

/** Real captures of a fuzzed lab: the segment and two cards, as pcap (µs, ns) and pcapng. */
function realCaptures(frames: number): Record<string, Uint8Array> {
  const f = buildFuzzLab(30);
  const { lab } = f;
  const h1 = lab.hosts[1];
  const h4 = lab.hosts[4];
  const cap = new Capture(
    [
      { kind: 'segment', name: 'segment', segment: lab.segment },
      { kind: 'device', name: 'h1:eth0', host: h1, dev: h1.nics[0].dev },
      { kind: 'device', name: 'h4:eth0', host: h4, dev: h4.nics[0].dev },
    ],
    lab.sched,
  );
  cap.start();
  const fuzzer = new FrameFuzzer(new Rng(31), f.targets);
  for (let i = 0; i < frames; i++) {
    const fr = fuzzer.next();
    if (fr.via === VIA_SEND) f.port.send(fr.bytes);
    else f.port.sendRaw(fr.bytes);
    lab.run(20 * US);
  }
  lab.run(10 * MS);
  cap.stop();
  const collect = (write: (sink: (c: Uint8Array) => void) => void) => {
    const chunks: Uint8Array[] = [];
    write((c) => chunks.push(c.slice()));
    const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  };
  const files = {
    'segment-us.pcap': collect((s) => exportPcap(cap, s, { resolution: 'us', pointId: 0 })),
    'h1-ns.pcap': collect((s) => exportPcap(cap, s, { resolution: 'ns', pointId: 1 })),
    'all.pcapng': collect((s) => exportPcapng(cap, s)),
  };
  lab.teardown();
  return files;
}

/** Offsets of the length and header fields a reader trusts, to aim mutations at. */
function fieldOffsets(bytes: Uint8Array): number[] {
  if (detectCaptureFormat(bytes) === 'pcap') {
    const out = [4, 8, 12, 16, 20];
    for (const r of pcapRecordOffsets(bytes)) out.push(r, r + 4, r + 8, r + 12);
    return out;
  }
  const out: number[] = [];
  for (const b of pcapngBlocks(bytes)) {
    out.push(
      b.at,
      b.at + 4,
      b.at + b.total - 4,
      b.at + 8,
      b.at + 12,
      b.at + 16,
      b.at + 20,
      b.at + 24,
    );
    if (b.type === 0x0a0d0d0a) out.push(b.at + 8, b.at + 16); // byte-order magic, section length
  }
  return out;
}

interface ImportOutcome {
  imported: number;
  stoppedEarly: number;
  notCapture: number;
  frames: number;
}

/** Imports `bytes` and checks everything the importer promises; throws with `label` if not. */
function checkImport(bytes: Uint8Array, label: string, out: ImportOutcome, dissectFrames: boolean) {
  const detected = detectCaptureFormat(bytes);
  let r: ReturnType<typeof importCapture>;
  try {
    r = importCapture(bytes);
  } catch (e) {
    // The one documented throw: the file is not a capture at all.
    expect(typeof detected, `${label}: threw ${e}`).not.toBe('string');
    expect(e, label).toBeInstanceOf(Error);
    expect((e as Error).message, label).toBe((detected as { reason: string }).reason);
    out.notCapture++;
    return;
  }
  expect(r.format, label).toBe(detected);
  out.imported++;
  if (r.error) {
    out.stoppedEarly++;
    expect(r.error.offset, label).toBeGreaterThanOrEqual(0);
    expect(r.error.offset, label).toBeLessThanOrEqual(bytes.length);
    expect(r.error.reason.length, label).toBeGreaterThan(0);
  }
  // Memory: the importer keeps no more than the file holds (every record has a 16-byte header).
  const s = r.capture.store;
  expect(s.bytes, label).toBeLessThanOrEqual(bytes.length);
  expect(s.count * 16, label).toBeLessThanOrEqual(bytes.length);
  out.frames += s.count;
  // The packet list and the details pane read whatever was imported.
  const rows = r.capture.rows(s.first, s.count);
  expect(rows.length, label).toBe(s.count);
  if (dissectFrames) for (let n = s.first; n <= s.last; n++) dissect(s.data(n), s.data(n).length);
  // Read in chunks, the same file gives the same packets and the same error.
  const whole = readCapture(bytes);
  const reader = new CaptureStreamReader();
  let count = 0;
  const step = 1 + (bytes.length % 97);
  for (let at = 0; at < bytes.length; at += step)
    count += reader.push(bytes.subarray(at, at + step)).length;
  const streamed = reader.end();
  expect(count, label).toBe(whole.packets.length);
  expect(streamed.error, label).toEqual(whole.error);
}

describe('corrupt captures', () => {
  it('every mutation of real exported captures imports what is readable or says where it stopped; only "not a capture" throws', () => {
    const files = realCaptures(300);
    const small = realCaptures(6);
    const out: ImportOutcome = { imported: 0, stoppedEarly: 0, notCapture: 0, frames: 0 };
    let inputs = 0;
    let maxMs = 0;
    // The originals import whole.
    for (const [name, bytes] of Object.entries(files)) {
      const r = importCapture(bytes);
      expect(r.error, name).toBeUndefined();
      expect(r.capture.store.count, name).toBeGreaterThan(20);
    }
    // Small files cut at every byte.
    for (const [name, bytes] of Object.entries(small)) {
      for (let n = 0; n <= bytes.length; n++) {
        checkImport(bytes.subarray(0, n), `${name} cut at ${n}`, out, false);
        inputs++;
      }
    }
    // Mutations, one to three at a time.
    const rng = new Rng(40);
    const kinds = new Map<string, number>();
    for (const [name, original] of [...Object.entries(files), ...Object.entries(small)]) {
      const offsets = fieldOffsets(original);
      for (let i = 0; i < CAPTURE_INPUTS / 6; i++) {
        let bytes = original;
        const did: string[] = [];
        for (let m = 1 + rng.int(3); m > 0; m--) {
          const [b, what] = mutateBytes(bytes, rng, offsets);
          bytes = b;
          did.push(what);
          kinds.set(what, (kinds.get(what) ?? 0) + 1);
        }
        const t0 = performance.now();
        checkImport(bytes, `${name} #${i} (${did.join(', ')})`, out, i % 10 === 0);
        const ms = performance.now() - t0;
        maxMs = Math.max(maxMs, ms);
        expect(ms).toBeLessThan(MAX_MS_PER_INPUT);
        inputs++;
      }
    }
    expect(out.stoppedEarly).toBeGreaterThan(0);
    expect(out.notCapture).toBeGreaterThan(0);
    console.log(
      `capture fuzz: ${inputs} inputs (${Object.keys(small).length} small files cut at every byte, ` +
        `${Object.keys(files).length + Object.keys(small).length} files mutated): ${out.imported} imported ` +
        `(${out.stoppedEarly} stopped early with an offset, ${out.frames} frames), ${out.notCapture} ` +
        `refused as not a capture; slowest ${maxMs.toFixed(0)} ms\n  mutations: ${JSON.stringify(Object.fromEntries(kinds))}`,
    );
  }, 240_000);
});
