import { CaptureParser, readAll, u16, u32 } from './parser';
import { PCAP_HEADER_LEN, PCAP_RECORD_HEADER_LEN } from './pcap-writer';
import { type CaptureFile, DIRECTION_UNKNOWN, hexBytes } from './types';

/** What a pcap file's first four bytes say, read as a little-endian word. */
export interface PcapMagic {
  littleEndian: boolean;
  nanos: boolean;
}

/**
 * The magic at `at` (four bytes must be there): microsecond or nanosecond, in either byte
 * order; null if it is none of the four.
 */
export function pcapMagicAt(bytes: Uint8Array, at: number): PcapMagic | null {
  switch (u32(bytes, at, true)) {
    case 0xa1b2c3d4:
      return { littleEndian: true, nanos: false };
    case 0xa1b23c4d:
      return { littleEndian: true, nanos: true };
    case 0xd4c3b2a1:
      return { littleEndian: false, nanos: false };
    case 0x4d3cb2a1:
      return { littleEndian: false, nanos: true };
  }
  return null;
}

/** Wireshark's largest packet, used as the limit when a header's snap length is 0. */
const MAX_SNAPLEN = 262144;

/** Incremental parser of classic pcap: the global header, then one record per step. */
export class PcapParser extends CaptureParser {
  readonly format = 'pcap';
  nanos = false;
  snapLen = 0;
  linkType = 0;
  private headerRead = false;
  private limit = MAX_SNAPLEN;

  get complete(): boolean {
    return this.headerRead;
  }

  step(bytes: Uint8Array, at: number, end: number, pos: number): number {
    this.packet = null;
    const avail = end - at;
    if (!this.headerRead) {
      if (avail >= 4) {
        const magic = pcapMagicAt(bytes, at);
        if (!magic) {
          return this.fail(pos, `not a pcap file: starts with ${hexBytes(bytes, at, 4)}`);
        }
        this.littleEndian = magic.littleEndian;
        this.nanos = magic.nanos;
      }
      if (avail < PCAP_HEADER_LEN) return this.wait(PCAP_HEADER_LEN, 'global header');
      return this.readHeader(bytes, at, pos);
    }
    if (avail < PCAP_RECORD_HEADER_LEN) return this.wait(PCAP_RECORD_HEADER_LEN, 'record header');
    const le = this.littleEndian;
    const caplen = u32(bytes, at + 8, le);
    if (caplen > this.limit) {
      return this.fail(
        pos,
        `record at byte ${pos} claims ${caplen} bytes, more than the snap length ${this.limit}`,
      );
    }
    const total = PCAP_RECORD_HEADER_LEN + caplen;
    if (avail < total) return this.wait(total, 'record');
    let sec = u32(bytes, at, le);
    let nanos = u32(bytes, at + 4, le);
    if (!this.nanos) nanos *= 1000;
    if (nanos >= 1e9) {
      // An out-of-range fraction: carry it into the seconds rather than refuse the packet.
      sec += Math.floor(nanos / 1e9);
      nanos %= 1e9;
    }
    this.packet = {
      tsNs: sec * 1e9 + nanos,
      tsSeconds: sec,
      tsNanos: nanos,
      interfaceId: 0,
      interfaceName: undefined,
      data: bytes.subarray(at + PCAP_RECORD_HEADER_LEN, at + total),
      originalLength: u32(bytes, at + 12, le),
      comment: undefined,
      direction: DIRECTION_UNKNOWN,
      fileOffset: pos,
    };
    return total;
  }

  private readHeader(bytes: Uint8Array, at: number, pos: number): number {
    const le = this.littleEndian;
    const major = u16(bytes, at + 4, le);
    const minor = u16(bytes, at + 6, le);
    if (major !== 2) {
      return this.fail(pos + 4, `pcap version ${major}.${minor} is not supported (only 2.x is)`);
    }
    this.version = { major, minor };
    this.snapLen = u32(bytes, at + 16, le);
    // The link-layer header type sits in the low bits; the high ones may carry FCS facts.
    this.linkType = u32(bytes, at + 20, le) & 0x03ffffff;
    this.limit = this.snapLen === 0 ? MAX_SNAPLEN : this.snapLen;
    this.interfaces.push({
      id: 0,
      section: 0,
      localId: 0,
      name: undefined,
      description: undefined,
      linkType: this.linkType,
      snapLen: this.snapLen,
      tsResol: this.nanos ? 9 : 6,
      tsOffset: 0,
    });
    this.headerRead = true;
    return PCAP_HEADER_LEN;
  }
}

/**
 * Reads a classic pcap file held in memory. Packets are views into `bytes`. A truncated or
 * corrupt file yields what is readable and an `error` saying where and why reading stopped.
 */
export function readPcap(bytes: Uint8Array): CaptureFile {
  return readAll(new PcapParser(), bytes);
}
