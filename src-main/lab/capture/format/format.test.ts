import { describe, expect, it } from 'vitest';
import { PcapWriter } from './pcap-writer';
import { PcapngWriter } from './pcapng-writer';
import { CaptureStreamReader, readCapture, writeCapture } from './read-capture';
import {
  ascii,
  concat,
  fileOf,
  le32,
  PcapngBuilder,
  pcapngBlocks,
  packetSummary,
  pcapRecordOffsets,
  sameBytes,
  TEST_INTERFACES,
  testFrames,
  udpFrame,
  writePcapngOf,
  writePcapOf,
  type TestFrame,
} from '../testing/test-frames';
import {
  type CaptureFile,
  type CapturePacket,
  DIRECTION_INBOUND,
  LINKTYPE_ETHERNET,
} from './types';
import { decodeUtf8, encodeUtf8, utf8Length } from './utf8';

const FRAMES = testFrames(40);
const PCAP_US = fileOf((s) => writePcapOf(FRAMES, 'us', s));
const PCAP_NS = fileOf((s) => writePcapOf(FRAMES, 'ns', s));
const PCAPNG = fileOf((s) => writePcapngOf(FRAMES, s));

function expectPackets(file: CaptureFile, frames: TestFrame[], resolution: 'us' | 'ns' | 'ng') {
  expect(file.error).toBeUndefined();
  expect(file.packets).toHaveLength(frames.length);
  file.packets.forEach((p, i) => {
    const f = frames[i];
    const ts = resolution === 'us' ? Math.floor(f.tsNs / 1000) * 1000 : f.tsNs;
    expect(p.tsNs).toBe(ts);
    expect(p.tsSeconds * 1e9 + p.tsNanos).toBe(ts);
    expect(sameBytes(p.data, f.bytes)).toBe(true);
    expect(p.originalLength).toBe(f.bytes.length);
    if (resolution === 'ng') {
      expect(p.interfaceId).toBe(f.iface);
      expect(p.interfaceName).toBe(TEST_INTERFACES[f.iface]);
      expect(p.comment).toBe(f.comment);
      expect(p.direction).toBe(f.direction);
    } else {
      expect(p.interfaceId).toBe(0);
      expect(p.comment).toBeUndefined();
      expect(p.direction).toBe(0);
    }
  });
}

describe('pcap writer', () => {
  it('writes the global header and records in little-endian, µs and ns', () => {
    expect([...PCAP_US.subarray(0, 4)]).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
    expect([...PCAP_NS.subarray(0, 4)]).toEqual([0x4d, 0x3c, 0xb2, 0xa1]);
    for (const f of [PCAP_US, PCAP_NS]) {
      const v = new DataView(f.buffer, f.byteOffset);
      expect([v.getUint16(4, true), v.getUint16(6, true)]).toEqual([2, 4]);
      expect(v.getUint32(8, true)).toBe(0); // thiszone
      expect(v.getUint32(16, true)).toBe(262144);
      expect(v.getUint32(20, true)).toBe(LINKTYPE_ETHERNET);
    }
    // Record 6 is at 2^53 - 1 ns: 9007199 s and 254740991 ns.
    const at = pcapRecordOffsets(PCAP_NS)[5];
    expect(le32(PCAP_NS, at)).toBe(9007199);
    expect(le32(PCAP_NS, at + 4)).toBe(254740991);
    expect(le32(PCAP_US, at)).toBe(9007199);
    expect(le32(PCAP_US, at + 4)).toBe(254740); // truncated, as libpcap does
    // Record 5 is at 1.999999999 s: no rounding up into the next second.
    const at5 = pcapRecordOffsets(PCAP_US)[4];
    expect([le32(PCAP_US, at5), le32(PCAP_US, at5 + 4)]).toEqual([1, 999999]);
    expect(pcapRecordOffsets(PCAP_NS)).toHaveLength(FRAMES.length);
  });

  it('cuts packets to the snap length and keeps their length on the wire', () => {
    const file = fileOf((s) => writePcapOf(FRAMES.slice(0, 5), 'ns', s, undefined, 64));
    const read = readCapture(file);
    expect(read.interfaces[0].snapLen).toBe(64);
    read.packets.forEach((p, i) => {
      const f = FRAMES[i];
      expect(p.data).toEqual(f.bytes.subarray(0, Math.min(64, f.bytes.length)));
      expect(p.originalLength).toBe(f.bytes.length);
    });
  });

  it('writes a packet from the middle of a buffer', () => {
    const frame = FRAMES[3].bytes;
    const big = new Uint8Array(frame.length + 100);
    big.set(frame, 37);
    const file = fileOf((sink) => {
      const w = new PcapWriter(sink);
      w.writeHeader();
      w.writePacket(5, big, 37, frame.length, frame.length + 4);
      w.end();
    });
    const p = readCapture(file).packets[0];
    expect(p.data).toEqual(frame);
    expect(p.originalLength).toBe(frame.length + 4);
  });

  it('refuses impossible arguments', () => {
    const w = new PcapWriter(() => {});
    const d = new Uint8Array(10);
    expect(() => w.writePacket(0, d, 0, 10, 10)).toThrow(/writeHeader/);
    w.writeHeader();
    expect(() => w.writeHeader()).toThrow(/already/);
    expect(() => w.writePacket(-1, d, 0, 10, 10)).toThrow(RangeError);
    expect(() => w.writePacket(1.5, d, 0, 10, 10)).toThrow(RangeError);
    expect(() => w.writePacket(2 ** 53, d, 0, 10, 10)).toThrow(RangeError);
    expect(() => w.writePacket(0, d, 5, 10, 10)).toThrow(RangeError);
    expect(() => w.writePacket(0, d, 0, 10, 9)).toThrow(RangeError);
    expect(() => new PcapWriter(() => {}, { snapLen: 0 })).toThrow(RangeError);
  });
});

describe('pcapng writer', () => {
  const blocks = pcapngBlocks(PCAPNG);

  it('writes a section header, one interface per capture point, then packets', () => {
    expect(blocks.map((b) => b.type)).toEqual([0x0a0d0d0a, 1, 1, 1, ...FRAMES.map(() => 6)]);
    for (const b of blocks) {
      expect(b.total % 4).toBe(0);
      expect(le32(PCAPNG, b.at + b.total - 4)).toBe(b.total);
    }
    // SHB: byte-order magic, version 1.0, section length -1, shb_userappl "netlab".
    expect(le32(PCAPNG, 8)).toBe(0x1a2b3c4d);
    expect([PCAPNG[12], PCAPNG[14]]).toEqual([1, 0]);
    expect([...PCAPNG.subarray(16, 24)]).toEqual(new Array(8).fill(0xff));
    expect(le32(PCAPNG, 24)).toBe(4 | (6 << 16));
    expect(ascii(PCAPNG, 28, 6)).toBe('netlab');
    // IDB: linktype, snaplen, if_name, if_tsresol 9, opt_endofopt.
    const idb = blocks[1].at;
    expect(le32(PCAPNG, idb + 8)).toBe(LINKTYPE_ETHERNET);
    expect(le32(PCAPNG, idb + 12)).toBe(262144);
    expect(le32(PCAPNG, idb + 16)).toBe(2 | (7 << 16));
    expect(ascii(PCAPNG, idb + 20, 7)).toBe('h1:eth0');
    expect(le32(PCAPNG, idb + 28)).toBe(9 | (1 << 16));
    expect(PCAPNG[idb + 32]).toBe(9);
    expect(le32(PCAPNG, idb + 36)).toBe(0);
  });

  it('writes enhanced packet blocks with timestamp, lengths, padding, comment and flags', () => {
    const f = FRAMES[0];
    const epb = blocks[4].at;
    expect(le32(PCAPNG, epb + 8)).toBe(f.iface);
    expect([le32(PCAPNG, epb + 12), le32(PCAPNG, epb + 16)]).toEqual([0, 0]);
    expect(le32(PCAPNG, epb + 20)).toBe(f.bytes.length);
    expect(le32(PCAPNG, epb + 24)).toBe(f.bytes.length);
    expect(PCAPNG.subarray(epb + 28, epb + 28 + f.bytes.length)).toEqual(f.bytes);
    const opt = epb + 28 + ((f.bytes.length + 3) & ~3);
    const comment = encodeUtf8(f.comment);
    expect(le32(PCAPNG, opt)).toBe(1 | (comment.length << 16));
    expect(PCAPNG.subarray(opt + 4, opt + 4 + comment.length)).toEqual(comment);
    const flags = opt + 4 + ((comment.length + 3) & ~3);
    expect(le32(PCAPNG, flags)).toBe(2 | (4 << 16));
    expect(le32(PCAPNG, flags + 4)).toBe(DIRECTION_INBOUND);
    expect(le32(PCAPNG, flags + 8)).toBe(0); // opt_endofopt
    expect(flags + 12 + 4).toBe(epb + blocks[4].total);
    // The 64-bit timestamp of 2^53 - 1 ns.
    const big = blocks[4 + 5].at;
    expect([le32(PCAPNG, big + 12), le32(PCAPNG, big + 16)]).toEqual([0x1fffff, 0xffffffff]);
  });

  it('writes no options for a packet with neither comment nor direction', () => {
    const file = fileOf((sink) => {
      const w = new PcapngWriter(sink);
      w.writeHeader();
      w.addInterface('segment');
      w.writePacket(0, 1, FRAMES[0].bytes, 0, 60, 64);
      w.end();
    });
    const b = pcapngBlocks(file);
    expect(b[2].total).toBe(32 + 60);
    const p = readCapture(file).packets[0];
    expect(p.comment).toBeUndefined();
    expect(p.direction).toBe(0);
    expect(p.originalLength).toBe(64);
  });

  it('refuses impossible arguments', () => {
    const w = new PcapngWriter(() => {});
    const d = new Uint8Array(10);
    expect(() => w.addInterface('x')).toThrow(/writeHeader/);
    w.writeHeader();
    expect(() => w.writePacket(0, 0, d, 0, 10, 10)).toThrow(/no interface 0/);
    w.addInterface('x');
    expect(() => w.writePacket(0, 0, d, 0, 10, 10, undefined, 3)).toThrow(/direction/);
    expect(() => w.writePacket(0, -5, d, 0, 10, 10)).toThrow(RangeError);
    expect(() => w.writePacket(0, 0, d, 0, 10, 10, 'x'.repeat(70000))).toThrow(/exceeds/);
  });
});

describe('readers', () => {
  it('read back what the writers wrote, as views into the input', () => {
    const us = readCapture(PCAP_US);
    expect(us.format).toBe('pcap');
    expect(us.version).toEqual({ major: 2, minor: 4 });
    expect(us.interfaces).toEqual([
      expect.objectContaining({ id: 0, linkType: 1, snapLen: 262144, tsResol: 6 }),
    ]);
    expectPackets(us, FRAMES, 'us');
    const ns = readCapture(PCAP_NS);
    expect(ns.interfaces[0].tsResol).toBe(9);
    expectPackets(ns, FRAMES, 'ns');
    const ng = readCapture(PCAPNG);
    expect(ng.format).toBe('pcapng');
    expect(ng.sections).toEqual([expect.objectContaining({ userAppl: 'netlab', offset: 0 })]);
    expect(ng.interfaces.map((i) => [i.name, i.tsResol, i.snapLen, i.linkType])).toEqual(
      TEST_INTERFACES.map((n) => [n, 9, 262144, 1]),
    );
    expectPackets(ng, FRAMES, 'ng');
    for (const [file, input] of [
      [us, PCAP_US],
      [ng, PCAPNG],
    ] as const) {
      for (const p of file.packets) expect(p.data.buffer).toBe(input.buffer);
    }
  });

  it('read big-endian pcap, both resolutions', () => {
    for (const [le, res] of [
      [PCAP_US, 'us'],
      [PCAP_NS, 'ns'],
    ] as const) {
      const be = le.slice();
      const swap = (at: number, n: number) => be.subarray(at, at + n).reverse();
      swap(0, 4);
      swap(4, 2);
      swap(6, 2);
      for (const at of [8, 12, 16, 20]) swap(at, 4);
      for (const at of pcapRecordOffsets(le)) for (let k = 0; k < 16; k += 4) swap(at + k, 4);
      expect(be[0]).toBe(0xa1);
      const read = readCapture(be);
      expect(read.littleEndian).toBe(false);
      expectPackets(read, FRAMES, res);
    }
  });

  it('read pcapng in either byte order, any if_tsresol, with if_tsoffset, skipping unknown blocks', () => {
    const frame = FRAMES[2].bytes;
    for (const le of [true, false]) {
      const b = new PcapngBuilder(le);
      b.shb([[4, b.text('other tool')]]);
      b.idb(1, 0, [[2, b.text('us')]]); // no if_tsresol: microseconds
      b.idb(1, 0, [
        [2, b.text('ms')],
        [9, [3]],
      ]);
      b.idb(1, 0, [
        [2, b.text('2^-10')],
        [9, [0x80 | 10]],
      ]);
      b.idb(1, 100, [
        [2, b.text('offset\0')],
        [9, [9]],
        [14, b.u64(-3)],
      ]);
      b.idb(1, 0, [[9, [12]]]); // picoseconds, no name
      b.block(0x0bad, [1, 2, 3, 4]); // unknown: skipped
      b.block(4, [0, 0, 0, 0]); // name resolution: skipped
      b.epb(0, 1_500_000, frame, [[2, b.u32(2)]]);
      b.epb(1, 1_500, frame, [
        [1, b.text('first')],
        [1, b.text('second')],
      ]);
      b.epb(2, 3 * 1024 + 512, frame, []);
      b.epb(3, 5_000_000_001, frame, []); // cut to the snap length of 100 by the builder
      b.epb(4, 2 ** 40 * 1000 + 7, frame, []); // picoseconds beyond 2^53
      b.spb(frame); // interface 0, no timestamp
      b.opb(1, 42, frame, [
        [2, b.u32(1)],
        [1, b.text('old')],
      ]);
      const read = readCapture(b.bytes());
      expect(read.error).toBeUndefined();
      expect(read.littleEndian).toBe(le);
      expect(read.sections[0].userAppl).toBe('other tool');
      expect(read.interfaces.map((i) => [i.name, i.tsResol, i.tsOffset])).toEqual([
        ['us', 6, 0],
        ['ms', 3, 0],
        ['2^-10', 0x8a, 0],
        ['offset', 9, -3],
        [undefined, 12, 0],
      ]);
      const p = read.packets;
      expect(p.map((x) => x.tsNs)).toEqual([
        1_500_000_000,
        1_500_000_000,
        3_500_000_000,
        2_000_000_001,
        2 ** 40,
        0,
        42_000_000,
      ]);
      expect([p[6].interfaceName, p[6].direction, p[6].comment]).toEqual(['ms', 1, 'old']);
      expect(p[6].data).toEqual(frame);
      expect([p[4].tsSeconds, p[4].tsNanos]).toEqual([1099, 511_627_776]);
      expect(p[0].direction).toBe(2);
      expect(p[1].comment).toBe('first\nsecond');
      expect(p[3].data).toEqual(frame.subarray(0, 100));
      expect(p[3].originalLength).toBe(frame.length);
      expect(p[5].data).toEqual(frame);
      expect(p[5].interfaceName).toBe('us');
    }
  });

  it('read several sections, each with its own interfaces and byte order', () => {
    const b = new PcapngBuilder(false);
    b.shb([]);
    b.idb(1, 0, [[2, b.text('be0')]]);
    b.epb(0, 5, FRAMES[0].bytes, []);
    const file = concat([PCAPNG, b.bytes(), PCAPNG.subarray(0, 2000)]);
    const read = readCapture(file);
    expect(read.sections.map((s) => [s.offset, s.littleEndian])).toEqual([
      [0, true],
      [PCAPNG.length, false],
      [PCAPNG.length + b.bytes().length, true],
    ]);
    expect(read.interfaces.map((i) => [i.id, i.section, i.localId, i.name])).toEqual([
      [0, 0, 0, 'h1:eth0'],
      [1, 0, 1, 'segment'],
      [2, 0, 2, 'h2:eth0'],
      [3, 1, 0, 'be0'],
      [4, 2, 0, 'h1:eth0'],
      [5, 2, 1, 'segment'],
      [6, 2, 2, 'h2:eth0'],
    ]);
    const second = read.packets[FRAMES.length];
    expect([second.interfaceId, second.interfaceName, second.tsNs]).toEqual([3, 'be0', 5000]);
    const third = read.packets.slice(FRAMES.length + 1);
    expect(third.length).toBeGreaterThan(3);
    expect(third.map((p) => p.interfaceId)).toEqual(
      FRAMES.slice(0, third.length).map((f) => 4 + f.iface),
    );
    expect(read.error?.reason).toMatch(/^truncated enhanced packet block at byte \d+: \d+ of \d+/);
  });
});

describe('round trip', () => {
  it('export → import → export is byte-identical', () => {
    for (const file of [PCAP_US, PCAP_NS, PCAPNG]) {
      const again = fileOf((sink) => writeCapture(readCapture(file), sink));
      expect(again.length).toBe(file.length);
      expect(sameBytes(again, file)).toBe(true);
    }
  });

  it('converts between the formats', () => {
    const ng = readCapture(
      fileOf((sink) => writeCapture(readCapture(PCAP_NS), sink, { format: 'pcapng' })),
    );
    expect(ng.packets.map((p) => p.tsNs)).toEqual(FRAMES.map((f) => f.tsNs));
    const ns = fileOf((sink) => writeCapture(readCapture(PCAPNG), sink, { format: 'pcap' }));
    expect(sameBytes(ns, PCAP_NS)).toBe(true);
    const us = fileOf((sink) =>
      writeCapture(readCapture(PCAPNG), sink, { format: 'pcap', resolution: 'us' }),
    );
    expect(sameBytes(us, PCAP_US)).toBe(true);
  });
});

describe('streaming', () => {
  it('writers hand over many small chunks, never the whole file', () => {
    const frames = testFrames(2000);
    for (const write of [
      (s: (c: Uint8Array) => void) => writePcapOf(frames, 'ns', s),
      (s: (c: Uint8Array) => void) => writePcapngOf(frames, s),
      (s: (c: Uint8Array) => void) => writePcapngOf(frames, s, 256),
    ]) {
      const chunks: Uint8Array[] = [];
      write((c) => chunks.push(c));
      const total = chunks.reduce((n, c) => n + c.length, 0);
      expect(total).toBeGreaterThan(1_000_000);
      expect(chunks.length).toBeGreaterThan(10);
      const largest = Math.max(...chunks.map((c) => c.length));
      expect(largest).toBeLessThanOrEqual(65536);
      // Chunks are distinct buffers that the writer never touches again.
      expect(new Set(chunks.map((c) => c.buffer)).size).toBe(chunks.length);
      expect(readCapture(concat(chunks)).packets).toHaveLength(frames.length);
    }
  });

  it('a chunk holds whole records: one bigger than a chunk gets a chunk of its own', () => {
    const jumbo = udpFrame(
      '02:00:00:00:00:01',
      '02:00:00:00:00:02',
      '10.0.0.1',
      '10.0.0.2',
      1,
      2,
      9000,
    );
    const chunks: Uint8Array[] = [];
    const w = new PcapngWriter((c) => chunks.push(c), { chunkSize: 1024 });
    w.writeHeader();
    w.addInterface('h1:eth0');
    for (let i = 0; i < 3; i++) w.writePacket(0, i, jumbo, 0, jumbo.length, jumbo.length, 'x');
    w.end();
    expect(chunks.map((c) => c.length)).toEqual([88, 9088, 9088, 9088]);
    expect(readCapture(concat(chunks)).packets.map((p) => p.data.length)).toEqual([
      9042, 9042, 9042,
    ]);
  });

  it('the stream reader reads what the whole-file reader reads, in chunks of any size', () => {
    for (const file of [PCAP_US, PCAP_NS, PCAPNG]) {
      const whole = readCapture(file);
      for (const size of [1, 3, 7, 100, 1500, 4096, file.length]) {
        const r = new CaptureStreamReader();
        const packets: CapturePacket[] = [];
        for (let at = 0; at < file.length; at += size)
          packets.push(...r.push(file.subarray(at, at + size)));
        const end = r.end();
        expect(end.error).toBeUndefined();
        expect(end.interfaces).toEqual(whole.interfaces);
        expect(packets.map(packetSummary)).toEqual(whole.packets.map(packetSummary));
        packets.forEach((p, i) => expect(sameBytes(p.data, whole.packets[i].data)).toBe(true));
      }
    }
  });

  it('the stream reader keeps packets inside a chunk as views into it', () => {
    const r = new CaptureStreamReader();
    const chunk = PCAPNG.slice();
    const packets = r.push(chunk);
    expect(packets).toHaveLength(FRAMES.length);
    for (const p of packets) expect(p.data.buffer).toBe(chunk.buffer);
  });
});

describe('UTF-8', () => {
  it('encodes and decodes any text, surrogate pairs included', () => {
    for (const text of [
      '',
      'netlab',
      'h1: delivered — “ok” ✓',
      'é😀\u0000ß',
      '\u{10ffff}\u0800\u07ff',
    ]) {
      const bytes = encodeUtf8(text);
      expect(bytes.length).toBe(utf8Length(text));
      expect(decodeUtf8(bytes, 0, bytes.length)).toBe(text);
    }
    const hex = (s: string) =>
      Array.from(encodeUtf8(s), (b) => b.toString(16).padStart(2, '0')).join(' ');
    expect(hex('é—😀')).toBe('c3 a9 e2 80 94 f0 9f 98 80');
    expect(hex('\u{10ffff}\u0800\u07ff\u007f')).toBe('f4 8f bf bf e0 a0 80 df bf 7f');
    expect(hex('a\ud800b\udc00')).toBe('61 ef bf bd 62 ef bf bd');
  });

  it('replaces malformed sequences with U+FFFD', () => {
    const bad = [
      [0x80],
      [0xc0, 0xaf],
      [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe2, 0x82],
      [0xff],
    ];
    for (const seq of bad) {
      const text = decodeUtf8(Uint8Array.from([0x41, ...seq, 0x42]), 0, seq.length + 2);
      expect(text).toMatch(/^A\ufffd+B$/);
    }
    const long = 'ü'.repeat(10000);
    expect(decodeUtf8(encodeUtf8(long), 0, 20000)).toBe(long);
  });
});
