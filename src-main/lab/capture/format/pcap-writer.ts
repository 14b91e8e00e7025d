import {
  ChunkWriter,
  checkPacketArgs,
  checkTime,
  DEFAULT_CHUNK_SIZE,
  splitNs,
} from './chunk-writer';
import { type ChunkSink, DEFAULT_SNAPLEN, LINKTYPE_ETHERNET } from './types';

/** Magic numbers, as written in the file's own byte order. */
export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_HEADER_LEN = 24;
export const PCAP_RECORD_HEADER_LEN = 16;

export interface PcapWriterOptions {
  /** 'ns' writes magic a1b23c4d and nanosecond fractions; 'us' (the default) microseconds. */
  resolution?: 'us' | 'ns';
  /** Longest record; longer packets are cut to it, as tcpdump does. Default 262144. */
  snapLen?: number;
  /** Default LINKTYPE_ETHERNET. */
  linkType?: number;
  /** Bytes gathered before the sink gets a chunk. Default 64 KiB. */
  chunkSize?: number;
}

/**
 * Writes a classic pcap file (little-endian, version 2.4) as a stream of chunks:
 * `writeHeader()`, then `writePacket` per frame, then `end()`. Nothing per packet is allocated
 * and the file is never whole in memory: at most one chunk is.
 */
export class PcapWriter {
  readonly nanos: boolean;
  readonly snapLen: number;
  readonly linkType: number;
  private readonly out: ChunkWriter;
  private headerWritten = false;
  private packets = 0;
  private readonly ts = { sec: 0, ns: 0 };

  constructor(sink: ChunkSink, options: PcapWriterOptions = {}) {
    this.nanos = options.resolution === 'ns';
    this.snapLen = options.snapLen ?? DEFAULT_SNAPLEN;
    this.linkType = options.linkType ?? LINKTYPE_ETHERNET;
    if (!Number.isInteger(this.snapLen) || this.snapLen < 1 || this.snapLen > 0x7fffffff) {
      throw new RangeError(`snap length ${this.snapLen} must be an integer from 1 to 2^31-1`);
    }
    this.out = new ChunkWriter(sink, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  }

  get packetCount(): number {
    return this.packets;
  }

  get bytesWritten(): number {
    return this.out.bytesWritten;
  }

  /** The global header. */
  writeHeader(): void {
    if (this.headerWritten) throw new Error('pcap header already written');
    const o = this.out;
    o.reserve(PCAP_HEADER_LEN);
    o.u32(this.nanos ? PCAP_MAGIC_NS : PCAP_MAGIC_US);
    o.u16(2); // version 2.4
    o.u16(4);
    o.u32(0); // thiszone: timestamps are UTC
    o.u32(0); // sigfigs
    o.u32(this.snapLen);
    o.u32(this.linkType);
    this.headerWritten = true;
  }

  /**
   * One record. `tsNs` is the simulated time in ns (an integer up to 2^53); it is written as
   * seconds and microseconds (truncated, as libpcap does) or nanoseconds. The captured bytes are
   * `data[offset, offset + capturedLength)`, cut to the snap length; `originalLength` is the
   * frame's length on the wire.
   */
  writePacket(
    tsNs: number,
    data: Uint8Array,
    offset: number,
    capturedLength: number,
    originalLength: number,
  ): void {
    splitNs(tsNs, this.ts);
    this.writePacketAt(this.ts.sec, this.ts.ns, data, offset, capturedLength, originalLength);
  }

  /**
   * `writePacket` at an exact instant: `sec` whole seconds since 1970 (pcap holds 32 bits) and
   * `nsec` nanoseconds (truncated to µs in a µs file). Real captures' times take this way.
   */
  writePacketAt(
    sec: number,
    nsec: number,
    data: Uint8Array,
    offset: number,
    capturedLength: number,
    originalLength: number,
  ): void {
    if (!this.headerWritten) throw new Error('writeHeader() must come before writePacket()');
    checkTime(sec, nsec, 0xffffffff);
    checkPacketArgs(data, offset, capturedLength, originalLength);
    const caplen = capturedLength < this.snapLen ? capturedLength : this.snapLen;
    const o = this.out;
    o.reserve(PCAP_RECORD_HEADER_LEN + caplen);
    o.u32(sec);
    o.u32(this.nanos ? nsec : Math.floor(nsec / 1000));
    o.u32(caplen);
    o.u32(originalLength);
    o.bytes(data, offset, caplen);
    this.packets++;
  }

  /** Hands the bytes gathered so far to the sink. */
  flush(): void {
    this.out.flush();
  }

  /** The last chunk. Writing a header-only file is allowed (a capture of nothing). */
  end(): void {
    if (!this.headerWritten) this.writeHeader();
    this.out.flush();
  }
}
