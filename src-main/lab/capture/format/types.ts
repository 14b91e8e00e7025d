/**
 * What the capture file readers and writers share: the records a reader yields, the chunk sink
 * a writer feeds, and the constants of both formats.
 *
 * References: the pcap format (draft-ietf-opsawg-pcap) and pcapng
 * (draft-ietf-opsawg-pcapng), as libpcap and Wireshark read them.
 */

/** LINKTYPE_ETHERNET: frames start with the Ethernet header, without FCS. */
export const LINKTYPE_ETHERNET = 1;

/** The snap length the writers use unless told otherwise: tcpdump's default. */
export const DEFAULT_SNAPLEN = 262144;

/** Direction, as pcapng's epb_flags bits 0-1 encode it (and as the frame store counts it). */
export const DIRECTION_UNKNOWN = 0;
export const DIRECTION_INBOUND = 1;
export const DIRECTION_OUTBOUND = 2;

/**
 * Receives the bytes a writer produces, in order. Each chunk belongs to the sink from then on:
 * the writer never writes into it again, so a sink may keep it (a Node stream's `write` does).
 */
export type ChunkSink = (chunk: Uint8Array) => void;

export type CaptureFormat = 'pcap' | 'pcapng';

/** One capture interface: the single one of a pcap file, or one IDB of a pcapng section. */
export interface CaptureInterface {
  /** Index into the file's `interfaces`, counted across all sections. */
  id: number;
  /** The pcapng section it belongs to (0 for pcap and for the first section). */
  section: number;
  /** Its id inside its section, as packet blocks refer to it. */
  localId: number;
  /** `if_name` (pcapng), e.g. `h1:eth0` or `segment`. */
  name?: string;
  /** `if_description` (pcapng). */
  description?: string;
  linkType: number;
  /** 0 means no limit (pcapng). */
  snapLen: number;
  /**
   * The timestamp resolution as pcapng's `if_tsresol` encodes it: bit 7 clear, a negative power
   * of 10 (6 = µs, 9 = ns); bit 7 set, a negative power of 2. pcap files get 6 or 9.
   */
  tsResol: number;
  /** `if_tsoffset`: seconds added to every timestamp (pcapng; 0 otherwise). */
  tsOffset: number;
}

/** One captured frame. `data` is a view into the bytes read: nothing is copied. */
export interface CapturePacket {
  /**
   * Nanoseconds since the epoch (for the lab's own files: since the lab's start). Exact up to
   * 2^53 ns (104 days); beyond that, the nearest double: `tsSeconds` and `tsNanos` are exact.
   */
  tsNs: number;
  /** Whole seconds of the timestamp. */
  tsSeconds: number;
  /** Nanoseconds within the second, 0 to 999 999 999. */
  tsNanos: number;
  /** Index into the file's `interfaces`. */
  interfaceId: number;
  interfaceName?: string;
  /** The captured bytes: a view, valid as long as the input is. */
  data: Uint8Array;
  /** The frame's length on the wire; `data.length` is what was captured. */
  originalLength: number;
  /** The packet's comment(s) (pcapng `opt_comment`; several are joined by newlines). */
  comment?: string;
  /** `DIRECTION_INBOUND`, `DIRECTION_OUTBOUND`, or `DIRECTION_UNKNOWN` (0) when not recorded. */
  direction: number;
  /** Byte offset of its record or block in the file. */
  fileOffset: number;
}

/** Where and why a reader stopped. */
export interface CaptureError {
  offset: number;
  reason: string;
}

/** A pcapng section header's facts (one per section; a pcap file has none). */
export interface CaptureSection {
  offset: number;
  littleEndian: boolean;
  /** `shb_userappl`. */
  userAppl?: string;
  /** `shb_hardware`. */
  hardware?: string;
  /** `shb_os`. */
  os?: string;
}

/** Everything a reader made of a file. */
export interface CaptureFile {
  /** Absent when the file is not a capture at all. */
  format?: CaptureFormat;
  /** Byte order of the file (pcap) or of its first section (pcapng). */
  littleEndian: boolean;
  /** pcap's version (2.4); pcapng's first section's (1.0). */
  version?: { major: number; minor: number };
  interfaces: CaptureInterface[];
  sections: CaptureSection[];
  packets: CapturePacket[];
  /** Set when the reader stopped before the end: what was read before it is in `packets`. */
  error?: CaptureError;
}

/** Formats a byte count for messages: "1 byte", "20 bytes". */
export function bytesText(n: number): string {
  return n === 1 ? '1 byte' : `${n} bytes`;
}

/** Lower-case hex of `count` bytes from `at`, separated by spaces: "7b 22 6e 61". */
export function hexBytes(bytes: Uint8Array, at: number, count: number): string {
  const parts: string[] = [];
  for (let i = at; i < at + count && i < bytes.length; i++) {
    parts.push(bytes[i].toString(16).padStart(2, '0'));
  }
  return parts.join(' ');
}
