import { ETH_HLEN, ETH_P_IP, EthernetView } from '../../wire/ethernet';
import { IPPROTO_UDP, Ipv4View } from '../../wire/ipv4';
import { parseIpv4 } from '../../wire/ipv4-addr';
import { parseMac } from '../../wire/mac';
import { UdpView } from '../../wire/udp';
import { PcapngWriter } from '../format/pcapng-writer';
import { PcapWriter } from '../format/pcap-writer';
import { type CapturePacket, DIRECTION_INBOUND, DIRECTION_OUTBOUND } from '../format/types';
import { encodeUtf8 } from '../format/utf8';

/**
 * Test material: real Ethernet/IPv4/UDP frames, and the files the tests write of them. No Node
 * here: the tests that hand files to tshark do the file work themselves.
 */

export interface TestFrame {
  tsNs: number;
  src: string;
  dst: string;
  srcMac: string;
  dstMac: string;
  dstPort: number;
  bytes: Uint8Array;
  /** Which capture point saw it (an index into TEST_INTERFACES). */
  iface: number;
  comment: string;
  direction: number;
}

export const TEST_INTERFACES = ['h1:eth0', 'segment', 'h2:eth0'];

/** An Ethernet II frame carrying an IPv4/UDP datagram with `payloadLen` bytes of payload. */
export function udpFrame(
  srcMac: string,
  dstMac: string,
  src: string,
  dst: string,
  srcPort: number,
  dstPort: number,
  payloadLen: number,
  seed = 0,
): Uint8Array {
  const ipLen = 20 + 8 + payloadLen;
  const frame = new Uint8Array(ETH_HLEN + ipLen);
  EthernetView.write(frame, 0, parseMac(dstMac)!, parseMac(srcMac)!, ETH_P_IP);
  const s = parseIpv4(src)!;
  const d = parseIpv4(dst)!;
  Ipv4View.write(frame, ETH_HLEN, 0, ipLen, seed & 0xffff, 0x4000, 1, IPPROTO_UDP, s, d);
  UdpView.write(frame, ETH_HLEN + 20, srcPort, dstPort, 8 + payloadLen);
  for (let i = 0; i < payloadLen; i++) frame[ETH_HLEN + 28 + i] = (i * 7 + seed) & 0xff;
  new UdpView(frame, ETH_HLEN + 20, 8 + payloadLen).fillChecksum(s, d);
  return frame;
}

/**
 * `count` frames with timestamps that exercise the conversions: sub-microsecond digits, a
 * whole second, and one just below 2^53 ns.
 */
export function testFrames(count: number): TestFrame[] {
  const frames: TestFrame[] = [];
  const special = [0, 1, 999, 1_000_000_000, 1_999_999_999, 2 ** 53 - 1];
  let t = 1_234_567;
  for (let i = 0; i < count; i++) {
    const tsNs = i < special.length ? special[i] : (t += 12_345 + i * 1_001);
    const host = (i % 5) + 1;
    const srcMac = `02:00:00:00:00:0${host}`;
    const dst = `239.1.${i % 3}.${1 + (i % 7)}`;
    const dstMac = `01:00:5e:01:0${i % 3}:0${1 + (i % 7)}`;
    const dstPort = 5000 + (i % 11);
    const payloadLen = 18 + ((i * 37) % 1400);
    const iface = i % TEST_INTERFACES.length;
    frames.push({
      tsNs,
      src: `10.0.0.${host}`,
      dst,
      srcMac,
      dstMac,
      dstPort,
      bytes: udpFrame(srcMac, dstMac, `10.0.0.${host}`, dst, 4000 + host, dstPort, payloadLen, i),
      iface,
      comment:
        i % 4 === 3
          ? `h${host}: dropped by the hardware filter — “no match” ✓ 😀`
          : `h${host}: delivered to udp socket ${i % 9}`,
      direction: iface === 1 ? 0 : i % 2 === 0 ? DIRECTION_INBOUND : DIRECTION_OUTBOUND,
    });
  }
  return frames;
}

/** ASCII text as bytes. */
export function encodeAscii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** Concatenates chunks, as a file stream would. */
export function concat(chunks: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function writePcapOf(
  frames: TestFrame[],
  resolution: 'us' | 'ns',
  sink: (chunk: Uint8Array) => void,
  chunkSize?: number,
  snapLen?: number,
): void {
  const w = new PcapWriter(sink, { resolution, chunkSize, snapLen });
  w.writeHeader();
  for (const f of frames) w.writePacket(f.tsNs, f.bytes, 0, f.bytes.length, f.bytes.length);
  w.end();
}

export function writePcapngOf(
  frames: TestFrame[],
  sink: (chunk: Uint8Array) => void,
  chunkSize?: number,
): void {
  const w = new PcapngWriter(sink, { chunkSize });
  w.writeHeader();
  for (const name of TEST_INTERFACES) w.addInterface(name);
  for (const f of frames) {
    w.writePacket(
      f.iface,
      f.tsNs,
      f.bytes,
      0,
      f.bytes.length,
      f.bytes.length,
      f.comment,
      f.direction,
    );
  }
  w.end();
}

/** The whole file a writer function produces. */
export function fileOf(write: (sink: (chunk: Uint8Array) => void) => void): Uint8Array {
  const chunks: Uint8Array[] = [];
  write((c) => chunks.push(c));
  return concat(chunks);
}

export const le32 = (b: Uint8Array, at: number) =>
  new DataView(b.buffer, b.byteOffset).getUint32(at, true);
export const setLe32 = (b: Uint8Array, at: number, v: number) =>
  new DataView(b.buffer, b.byteOffset).setUint32(at, v, true);
export const ascii = (b: Uint8Array, at: number, n: number) =>
  String.fromCharCode(...b.subarray(at, at + n));

/** Byte offsets of the records of a pcap file (the global header excluded). */
export function pcapRecordOffsets(file: Uint8Array): number[] {
  const out: number[] = [];
  for (let at = 24; at < file.length; at += 16 + le32(file, at + 8)) out.push(at);
  return out;
}

/** Byte offsets and types of the blocks of a little-endian pcapng file. */
export function pcapngBlocks(file: Uint8Array): { at: number; type: number; total: number }[] {
  const out = [];
  for (let at = 0; at < file.length; at += le32(file, at + 4)) {
    out.push({ at, type: le32(file, at), total: le32(file, at + 4) });
  }
  return out;
}

/** Hand-built pcapng in either byte order, for what the writer never writes. */
export class PcapngBuilder {
  private parts: number[] = [];
  private snap: number[] = [];

  constructor(private readonly le: boolean) {}

  u16(v: number): number[] {
    return this.le ? [v & 0xff, v >>> 8] : [v >>> 8, v & 0xff];
  }

  u32(v: number): number[] {
    const b = [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    return this.le ? b.reverse() : b;
  }

  u64(v: number): number[] {
    const hi = Math.floor(v / 2 ** 32);
    const lo = v - hi * 2 ** 32;
    return this.le
      ? [...this.u32(lo), ...this.u32(hi >>> 0)]
      : [...this.u32(hi >>> 0), ...this.u32(lo)];
  }

  text(s: string): number[] {
    return [...encodeUtf8(s)];
  }

  options(opts: [number, number[]][]): number[] {
    if (opts.length === 0) return [];
    const out: number[] = [];
    for (const [code, value] of opts) {
      out.push(...this.u16(code), ...this.u16(value.length), ...value);
      while (out.length % 4) out.push(0);
    }
    return [...out, 0, 0, 0, 0];
  }

  block(type: number, body: number[]): void {
    while (body.length % 4) body.push(0);
    const total = body.length + 12;
    this.parts.push(...this.u32(type), ...this.u32(total), ...body, ...this.u32(total));
  }

  shb(opts: [number, number[]][]): void {
    this.block(0x0a0d0d0a, [
      ...this.u32(0x1a2b3c4d),
      ...this.u16(1),
      ...this.u16(0),
      ...[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
      ...this.options(opts),
    ]);
  }

  idb(linkType: number, snapLen: number, opts: [number, number[]][]): void {
    this.snap.push(snapLen);
    this.block(1, [...this.u16(linkType), 0, 0, ...this.u32(snapLen), ...this.options(opts)]);
  }

  epb(iface: number, units: number, data: Uint8Array, opts: [number, number[]][]): void {
    const snap = this.snap[iface];
    const cap = snap && data.length > snap ? snap : data.length;
    const body = [
      ...this.u32(iface),
      ...this.u64ts(units),
      ...this.u32(cap),
      ...this.u32(data.length),
    ];
    body.push(...data.subarray(0, cap));
    while (body.length % 4) body.push(0);
    this.block(6, [...body, ...this.options(opts)]);
  }

  /** The obsolete packet block: a 16-bit interface id and a drops count. */
  opb(iface: number, units: number, data: Uint8Array, opts: [number, number[]][]): void {
    const body = [...this.u16(iface), ...this.u16(0), ...this.u64ts(units)];
    body.push(...this.u32(data.length), ...this.u32(data.length), ...data);
    while (body.length % 4) body.push(0);
    this.block(2, [...body, ...this.options(opts)]);
  }

  spb(data: Uint8Array): void {
    this.block(3, [...this.u32(data.length), ...data]);
  }

  /** A timestamp is high word then low word, each in the section's byte order. */
  private u64ts(v: number): number[] {
    const hi = Math.floor(v / 2 ** 32);
    return [...this.u32(hi), ...this.u32(v - hi * 2 ** 32)];
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** Whether two byte arrays hold the same bytes (faster than a deep equality over elements). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A packet with its bytes reduced to a hex digest, for quick deep comparisons. */
export function packetSummary(p: CapturePacket): Record<string, unknown> {
  let h = 0x811c9dc5;
  for (let i = 0; i < p.data.length; i++) h = Math.imul(h ^ p.data[i], 0x01000193);
  return { ...p, data: `${p.data.length}:${(h >>> 0).toString(16)}` };
}
