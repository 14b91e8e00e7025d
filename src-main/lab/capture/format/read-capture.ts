import { type CaptureParser, readAll } from './parser';
import { PcapParser, pcapMagicAt } from './pcap-reader';
import { PcapWriter } from './pcap-writer';
import { isPcapngAt, PcapngParser } from './pcapng-reader';
import { PcapngWriter } from './pcapng-writer';
import {
  type CaptureError,
  type CaptureFile,
  type CaptureFormat,
  type CapturePacket,
  type ChunkSink,
  bytesText,
  hexBytes,
} from './types';

/**
 * The format of a file from its first four bytes, or the error saying what it is not.
 * `length` is how many bytes there are (fewer than 4 only when that is the whole file).
 */
export function detectCaptureFormat(
  bytes: Uint8Array,
  at = 0,
  length = bytes.length - at,
): CaptureFormat | CaptureError {
  if (length < 4) {
    const what = length === 0 ? 'the file is empty' : `it has only ${bytesText(length)}`;
    return { offset: 0, reason: `not a pcap or pcapng file: ${what}` };
  }
  if (isPcapngAt(bytes, at)) return 'pcapng';
  if (pcapMagicAt(bytes, at)) return 'pcap';
  const head = hexBytes(bytes, at, 4);
  if (head === 'a1 b2 cd 34' || head === '34 cd b2 a1') {
    return { offset: 0, reason: 'a modified (Kuznetzov) pcap file, which is not supported' };
  }
  if (bytes[at] === 0x1f && bytes[at + 1] === 0x8b) {
    return { offset: 0, reason: 'a gzip-compressed file: decompress it first' };
  }
  return { offset: 0, reason: `not a pcap or pcapng file: starts with ${head}` };
}

function newParser(format: CaptureFormat): CaptureParser {
  return format === 'pcap' ? new PcapParser() : new PcapngParser();
}

function notACapture(error: CaptureError): CaptureFile {
  return { littleEndian: true, interfaces: [], sections: [], packets: [], error };
}

/**
 * Reads a pcap or pcapng file held in memory, whichever it is. Every packet's `data` is a view
 * into `bytes`. A truncated or corrupt file yields the packets before the damage and an `error`
 * with the byte offset and the reason; a file that is not a capture yields only the error.
 */
export function readCapture(bytes: Uint8Array): CaptureFile {
  const format = detectCaptureFormat(bytes);
  if (typeof format !== 'string') return notACapture(format);
  return readAll(newParser(format), bytes);
}

/**
 * Reads a capture that arrives in chunks (a file stream): `push` each chunk and take the
 * packets it completes, then `end()`. Packets wholly inside a chunk are views into it; a packet
 * that spans chunks is gathered into a buffer of its own, which grows with the bytes that
 * arrive, never by what a length field claims.
 */
export class CaptureStreamReader {
  private parser: CaptureParser | null = null;
  private failure: CaptureError | null = null;
  /** Bytes of a unit that spans chunks, and how many of them have arrived. */
  private pending = new Uint8Array(16);
  private pendingLen = 0;
  /** File offset of the first byte not yet consumed. */
  private pos = 0;

  get format(): CaptureFormat | undefined {
    return this.parser?.format;
  }

  get error(): CaptureError | undefined {
    return this.failure ?? this.parser?.error ?? undefined;
  }

  /** The packets that `chunk` completes. After an error, nothing more is read. */
  push(chunk: Uint8Array): CapturePacket[] {
    const out: CapturePacket[] = [];
    if (this.error) return out;
    let at = 0;
    // First finish the unit that spans the previous chunks, a piece of this one at a time.
    while (this.pendingLen > 0 || !this.parser) {
      const target = this.parser ? this.parser.need : 4;
      const take = Math.min(chunk.length - at, target - this.pendingLen);
      this.append(chunk, at, take);
      at += take;
      if (this.pendingLen < target) return out;
      if (!this.parser) {
        const format = detectCaptureFormat(this.pending, 0, this.pendingLen);
        if (typeof format !== 'string') {
          this.failure = format;
          return out;
        }
        this.parser = newParser(format);
      }
      const n = this.parser.step(this.pending, 0, this.pendingLen, this.pos);
      if (n < 0) return out;
      if (n === 0) continue; // now it knows how much it needs
      if (this.parser.packet) out.push(this.parser.packet);
      this.pos += n;
      // The parser asked for exactly one unit, so it took all of them; a new buffer keeps the
      // packet just handed out valid.
      this.pending = new Uint8Array(16);
      this.pendingLen = 0;
    }
    // Then read in place.
    const parser = this.parser;
    while (at < chunk.length) {
      const n = parser.step(chunk, at, chunk.length, this.pos);
      if (n < 0) return out;
      if (n === 0) {
        this.append(chunk, at, chunk.length - at);
        break;
      }
      if (parser.packet) out.push(parser.packet);
      at += n;
      this.pos += n;
    }
    return out;
  }

  /** Ends the input: the file, less its packets (`push` returned those), with any error. */
  end(): CaptureFile {
    if (this.failure) return notACapture(this.failure);
    const parser = this.parser;
    if (!parser) {
      return notACapture(detectCaptureFormat(this.pending, 0, this.pendingLen) as CaptureError);
    }
    if (!parser.error && this.pendingLen > 0) {
      // The input ended inside a unit: the parser is waiting for `need` bytes of it.
      parser.error = parser.truncated(this.pos, this.pendingLen);
      this.pendingLen = 0;
    }
    return parser.result([]);
  }

  private append(src: Uint8Array, at: number, len: number): void {
    if (len <= 0) return;
    const need = this.pendingLen + len;
    if (need > this.pending.length) {
      // Grow by what has arrived, at most doubling: never by what a length field claims.
      const grown = new Uint8Array(Math.max(need, this.pending.length * 2));
      grown.set(this.pending.subarray(0, this.pendingLen));
      this.pending = grown;
    }
    this.pending.set(src.subarray(at, at + len), this.pendingLen);
    this.pendingLen = need;
  }
}

export interface WriteCaptureOptions {
  /** Default: the file's own format (pcapng for a file that has none). */
  format?: CaptureFormat;
  /** For pcap: 'ns' or 'us'. Default: the first interface's resolution (ns unless it is µs). */
  resolution?: 'us' | 'ns';
  chunkSize?: number;
}

/**
 * Writes a capture that was read (or built) back out through a writer: pcap keeps the first
 * interface's link type and snap length; pcapng keeps the section's shb_userappl and each
 * interface's name, snap length, link type and description, and each packet's comment and
 * direction. Timestamps are written exactly (`tsSeconds`, `tsNanos`); pcap µs truncates.
 */
export function writeCapture(
  file: CaptureFile,
  sink: ChunkSink,
  options: WriteCaptureOptions = {},
): void {
  const format = options.format ?? file.format ?? 'pcapng';
  const chunkSize = options.chunkSize;
  if (format === 'pcap') {
    const first = file.interfaces[0];
    const w = new PcapWriter(sink, {
      resolution: options.resolution ?? (first?.tsResol === 6 ? 'us' : 'ns'),
      snapLen: first && first.snapLen > 0 ? first.snapLen : undefined,
      linkType: first?.linkType,
      chunkSize,
    });
    w.writeHeader();
    for (const p of file.packets) {
      w.writePacketAt(p.tsSeconds, p.tsNanos, p.data, 0, p.data.length, p.originalLength);
    }
    w.end();
    return;
  }
  const w = new PcapngWriter(sink, { userAppl: file.sections[0]?.userAppl, chunkSize });
  w.writeHeader();
  for (const i of file.interfaces) {
    w.addInterface(i.name ?? `interface ${i.id}`, {
      snapLen: i.snapLen,
      linkType: i.linkType,
      description: i.description,
    });
  }
  for (const p of file.packets) {
    w.writePacketAt(
      p.interfaceId,
      p.tsSeconds,
      p.tsNanos,
      p.data,
      0,
      p.data.length,
      p.originalLength,
      p.comment,
      p.direction,
    );
  }
  w.end();
}
