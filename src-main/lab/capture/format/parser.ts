import type {
  CaptureError,
  CaptureFile,
  CaptureFormat,
  CaptureInterface,
  CapturePacket,
  CaptureSection,
} from './types';

/**
 * The incremental core both readers share. A parser is fed bytes where they lie and takes one
 * unit (a header, a record, a block) per `step`; it never copies or allocates by what a length
 * field claims: it reports how many bytes it needs, after checking the claim, and the caller
 * (a whole-buffer reader or a streaming one) decides where they come from.
 */
export abstract class CaptureParser {
  abstract readonly format: CaptureFormat;
  readonly interfaces: CaptureInterface[] = [];
  readonly sections: CaptureSection[] = [];
  littleEndian = true;
  version: { major: number; minor: number } | undefined;
  /** The packet the last successful step produced, or null (a header, an interface...). */
  packet: CapturePacket | null = null;
  /** Why the last step failed. */
  error: CaptureError | null = null;
  /** After a step that returned 0: the bytes needed from where it started. */
  need = 0;
  /** After a step that returned 0: what those bytes are, for the truncation message. */
  protected needWhat = '';

  /**
   * Takes one unit from bytes[at, end), which lie at file offset `pos`. Returns the bytes it
   * consumed (> 0); or 0 when it needs `this.need` bytes from `at` (more than there are); or -1
   * when the file is corrupt there (`this.error` says where and why).
   */
  abstract step(bytes: Uint8Array, at: number, end: number, pos: number): number;

  /** Whether the input may end here: the file's header has been read. */
  abstract get complete(): boolean;

  /** The error for an input that ends `available` bytes into the unit at `pos`. */
  truncated(pos: number, available: number): CaptureError {
    return {
      offset: pos,
      reason: `truncated ${this.needWhat} at byte ${pos}: ${available} of ${this.need} bytes`,
    };
  }

  protected fail(offset: number, reason: string): number {
    this.error = { offset, reason };
    return -1;
  }

  protected wait(need: number, what: string): number {
    this.need = need;
    this.needWhat = what;
    return 0;
  }

  /** The file as read so far. */
  result(packets: CapturePacket[]): CaptureFile {
    const file: CaptureFile = {
      format: this.format,
      littleEndian: this.littleEndian,
      version: this.version,
      interfaces: this.interfaces,
      sections: this.sections,
      packets,
    };
    if (this.error) file.error = this.error;
    return file;
  }
}

/** Reads a whole file held in memory: every packet's `data` is a view into `bytes`. */
export function readAll(parser: CaptureParser, bytes: Uint8Array): CaptureFile {
  const packets: CapturePacket[] = [];
  const end = bytes.length;
  let at = 0;
  while (at < end || !parser.complete) {
    const n = parser.step(bytes, at, end, at);
    if (n > 0) {
      if (parser.packet) packets.push(parser.packet);
      at += n;
      continue;
    }
    if (n === 0) parser.error = parser.truncated(at, end - at);
    break;
  }
  return parser.result(packets);
}

/** Readers of fields in either byte order. */
export function u16(b: Uint8Array, at: number, le: boolean): number {
  return le ? b[at] | (b[at + 1] << 8) : (b[at] << 8) | b[at + 1];
}

export function u32(b: Uint8Array, at: number, le: boolean): number {
  return le
    ? (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0
    : ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}
