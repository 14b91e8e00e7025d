import { describe, expect, it } from 'vitest';
import { readPcap } from './pcap-reader';
import { readPcapng } from './pcapng-reader';
import { CaptureStreamReader, readCapture } from './read-capture';
import {
  encodeAscii,
  fileOf,
  le32,
  packetSummary,
  pcapngBlocks,
  pcapRecordOffsets,
  setLe32,
  testFrames,
  writePcapngOf,
  writePcapOf,
} from '../testing/test-frames';
import type { CaptureFile } from './types';

const FRAMES = testFrames(12);
const PCAP = fileOf((s) => writePcapOf(FRAMES, 'ns', s));
const PCAPNG = fileOf((s) => writePcapngOf(FRAMES, s));
const RECORDS = pcapRecordOffsets(PCAP);
const BLOCKS = pcapngBlocks(PCAPNG);
/** Enhanced packet blocks, after the section header and three interfaces. */
const EPBS = BLOCKS.slice(4);

/** Reads `bytes` whole and in chunks of 13; both must agree. */
function read(bytes: Uint8Array): CaptureFile {
  const whole = readCapture(bytes);
  const r = new CaptureStreamReader();
  let count = 0;
  for (let at = 0; at < bytes.length; at += 13) count += r.push(bytes.subarray(at, at + 13)).length;
  const streamed = r.end();
  expect(count).toBe(whole.packets.length);
  expect(streamed.error).toEqual(whole.error);
  return whole;
}

function patched(file: Uint8Array, at: number, value: number): Uint8Array {
  const copy = file.slice();
  setLe32(copy, at, value);
  return copy;
}

describe('not a capture', () => {
  it('names what the file starts with', () => {
    const json = read(encodeAscii('{"name": "lab"}'));
    expect(json.format).toBeUndefined();
    expect(json.packets).toEqual([]);
    expect(json.error).toEqual({
      offset: 0,
      reason: 'not a pcap or pcapng file: starts with 7b 22 6e 61',
    });
    expect(read(new Uint8Array(0)).error?.reason).toBe(
      'not a pcap or pcapng file: the file is empty',
    );
    expect(read(Uint8Array.of(0xd4, 0xc3)).error?.reason).toBe(
      'not a pcap or pcapng file: it has only 2 bytes',
    );
    expect(read(Uint8Array.of(0x1f, 0x8b, 8, 0, 0)).error?.reason).toMatch(/gzip/);
    expect(read(Uint8Array.of(0x34, 0xcd, 0xb2, 0xa1, 0)).error?.reason).toMatch(/Kuznetzov/);
  });

  it('the format readers refuse the other format', () => {
    expect(readPcap(PCAPNG).error?.reason).toBe('not a pcap file: starts with 0a 0d 0d 0a');
    expect(readPcapng(PCAP).error?.reason).toBe(
      'not a pcapng file: it must start with a section header block, not 4d 3c b2 a1',
    );
  });
});

describe('corrupt pcap', () => {
  it('a truncated global header', () => {
    const f = read(PCAP.subarray(0, 10));
    expect(f.format).toBe('pcap');
    expect(f.packets).toEqual([]);
    expect(f.error).toEqual({
      offset: 0,
      reason: 'truncated global header at byte 0: 10 of 24 bytes',
    });
  });

  it('an unsupported version', () => {
    const bad = PCAP.slice();
    bad[4] = 3;
    expect(read(bad).error).toEqual({
      offset: 4,
      reason: 'pcap version 3.4 is not supported (only 2.x is)',
    });
  });

  it('a truncated record header', () => {
    const at = RECORDS[3];
    const f = read(PCAP.subarray(0, at + 5));
    expect(f.packets).toHaveLength(3);
    expect(f.error).toEqual({
      offset: at,
      reason: `truncated record header at byte ${at}: 5 of 16 bytes`,
    });
  });

  it('truncated record data', () => {
    const at = RECORDS[3];
    const f = read(PCAP.subarray(0, at + 26));
    expect(f.packets).toHaveLength(3);
    const total = 16 + FRAMES[3].bytes.length;
    expect(f.error).toEqual({
      offset: at,
      reason: `truncated record at byte ${at}: 26 of ${total} bytes`,
    });
  });

  it('a record longer than the snap length', () => {
    const file = fileOf((s) => writePcapOf(FRAMES, 'us', s, undefined, 65535));
    const at = pcapRecordOffsets(file)[2];
    const f = read(patched(file, at + 8, 70000));
    expect(f.packets).toHaveLength(2);
    expect(f.error).toEqual({
      offset: at,
      reason: `record at byte ${at} claims 70000 bytes, more than the snap length 65535`,
    });
    // A claim of 4 GiB is refused by the same rule, before anything is read or allocated.
    expect(read(patched(file, at + 8, 0xffffffff)).error?.reason).toMatch(
      /claims 4294967295 bytes/,
    );
  });

  it('a header-only file is a capture of nothing', () => {
    const f = read(PCAP.subarray(0, 24));
    expect(f.error).toBeUndefined();
    expect(f.packets).toEqual([]);
    expect(f.interfaces).toHaveLength(1);
  });
});

describe('corrupt pcapng', () => {
  it('a block with a total length that is not a multiple of 4', () => {
    const at = EPBS[2].at;
    const f = read(patched(PCAPNG, at + 4, 7));
    expect(f.packets).toHaveLength(2);
    expect(f.error).toEqual({
      offset: at,
      reason: `block at byte ${at} has total length 7, not a multiple of 4`,
    });
  });

  it('a block too short for its fields', () => {
    const at = EPBS[0].at;
    expect(read(patched(PCAPNG, at + 4, 8)).error?.reason).toBe(
      `enhanced packet block at byte ${at} has total length 8, less than the 32 its fields need`,
    );
    expect(read(patched(PCAPNG, 4, 24)).error?.reason).toBe(
      'section header block at byte 0 has total length 24, less than the 28 its fields need',
    );
  });

  it('a truncated block', () => {
    const { at, total } = EPBS[5];
    const f = read(PCAPNG.subarray(0, at + 40));
    expect(f.packets).toHaveLength(5);
    expect(f.error).toEqual({
      offset: at,
      reason: `truncated enhanced packet block at byte ${at}: 40 of ${total} bytes`,
    });
    const h = read(PCAPNG.subarray(0, at + 6));
    expect(h.error?.reason).toBe(`truncated block header at byte ${at}: 6 of 8 bytes`);
  });

  it('a block that claims more than is there, or more than any block may hold', () => {
    const at = EPBS[1].at;
    const f = read(patched(PCAPNG, at + 4, 1 << 20));
    expect(f.packets).toHaveLength(1);
    expect(f.error?.reason).toBe(
      `truncated enhanced packet block at byte ${at}: ${PCAPNG.length - at} of 1048576 bytes`,
    );
    expect(read(patched(PCAPNG, at + 4, 0x7ffffff0)).error?.reason).toBe(
      `block at byte ${at} claims 2147483632 bytes, more than the 16777216 this reader accepts`,
    );
  });

  it('a block whose two total lengths differ', () => {
    const { at, total } = EPBS[1];
    const f = read(patched(PCAPNG, at + total - 4, total + 4));
    expect(f.packets).toHaveLength(1);
    expect(f.error).toEqual({
      offset: at + total - 4,
      reason: `block at byte ${at} ends with total length ${total + 4}, not the ${total} it starts with`,
    });
  });

  it('a packet that claims more bytes than its block holds', () => {
    const { at, total } = EPBS[0];
    expect(read(patched(PCAPNG, at + 20, 5000)).error).toEqual({
      offset: at,
      reason: `enhanced packet block at byte ${at} claims 5000 captured bytes, more than the ${total - 32} its block holds`,
    });
  });

  it('a packet of an interface that is not there', () => {
    const at = EPBS[0].at;
    expect(read(patched(PCAPNG, at + 8, 9)).error?.reason).toBe(
      `enhanced packet block at byte ${at} refers to interface 9, but its section has 3 interfaces`,
    );
  });

  it('an option that runs past its block', () => {
    const { at } = EPBS[0];
    const opt = at + 28 + ((FRAMES[0].bytes.length + 3) & ~3);
    expect(le32(PCAPNG, opt) & 0xffff).toBe(1); // opt_comment
    const f = read(patched(PCAPNG, opt, 1 | (2000 << 16)));
    expect(f.packets).toHaveLength(0);
    expect(f.error?.offset).toBe(opt);
    expect(f.error?.reason).toMatch(
      new RegExp(
        `^option 1 at byte ${opt} claims 2000 bytes, more than the \\d+ left in its block$`,
      ),
    );
  });

  it('a section header with an unknown byte-order magic or version', () => {
    expect(read(patched(PCAPNG, 8, 0x12345678)).error).toEqual({
      offset: 8,
      reason:
        'section header block at byte 0 has byte-order magic 78 56 34 12, not 4d 3c 2b 1a or 1a 2b 3c 4d',
    });
    expect(read(patched(PCAPNG, 12, 2)).error?.reason).toBe(
      'section at byte 0 has pcapng version 2.0; only 1.x is supported',
    );
  });
});

describe('any damage', () => {
  const SMALL = testFrames(5);
  const files = [
    fileOf((s) => writePcapOf(SMALL, 'us', s)),
    fileOf((s) => writePcapngOf(SMALL, s)),
  ];

  it('a file cut anywhere yields the packets before the cut and says where it stopped', () => {
    for (const file of files) {
      const full = readCapture(file).packets;
      const units =
        readCapture(file).format === 'pcap'
          ? [
              { at: 0, end: 24 },
              ...pcapRecordOffsets(file).map((at) => ({ at, end: at + 16 + le32(file, at + 8) })),
            ]
          : pcapngBlocks(file).map((b) => ({ at: b.at, end: b.at + b.total }));
      const endOf = new Map(units.map((u) => [u.at, u.end]));
      const boundaries = new Set(units.map((u) => u.end));
      for (let cut = 0; cut <= file.length; cut++) {
        const f = read(file.subarray(0, cut));
        const before = full.filter((p) => endOf.get(p.fileOffset)! <= cut).length;
        expect(f.packets.map(packetSummary)).toEqual(full.slice(0, before).map(packetSummary));
        expect(f.error === undefined).toBe(boundaries.has(cut));
        if (f.error) expect(f.error.offset).toBeLessThanOrEqual(cut);
      }
    }
  });

  it('random corruption never throws, and packets stay inside the input', () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (const file of files) {
      for (let round = 0; round < 300; round++) {
        const bad = file.slice();
        for (let k = 1 + rand(4); k > 0; k--) bad[rand(bad.length)] = rand(256);
        const f = read(bad.subarray(0, bad.length - rand(40)));
        for (const p of f.packets) {
          expect(p.data.buffer).toBe(bad.buffer);
          expect(p.data.byteOffset + p.data.length).toBeLessThanOrEqual(bad.length);
        }
      }
    }
  });
});
