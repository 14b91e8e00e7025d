import {
  ChunkWriter,
  checkPacketArgs,
  checkTime,
  DEFAULT_CHUNK_SIZE,
  nsUnits,
  pad4,
  splitNs,
} from './chunk-writer';
import {
  type ChunkSink,
  DEFAULT_SNAPLEN,
  DIRECTION_INBOUND,
  DIRECTION_OUTBOUND,
  DIRECTION_UNKNOWN,
  LINKTYPE_ETHERNET,
} from './types';
import { utf8Length } from './utf8';

/** Block types. */
export const BT_SHB = 0x0a0d0d0a;
export const BT_IDB = 0x00000001;
export const BT_OPB = 0x00000002;
export const BT_SPB = 0x00000003;
export const BT_EPB = 0x00000006;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Option codes. */
export const OPT_ENDOFOPT = 0;
export const OPT_COMMENT = 1;
export const SHB_HARDWARE = 2;
export const SHB_OS = 3;
export const SHB_USERAPPL = 4;
export const IF_NAME = 2;
export const IF_DESCRIPTION = 3;
export const IF_TSRESOL = 9;
export const IF_TSOFFSET = 14;
export const EPB_FLAGS = 2;

/** Nanoseconds: the resolution every interface this writer describes has. */
export const TSRESOL_NS = 9;

/** An option's value is at most this long (its length field is 16 bits). */
const MAX_OPTION = 0xffff;

export interface PcapngWriterOptions {
  /** `shb_userappl` of the section header. Default "netlab". */
  userAppl?: string;
  /** Bytes gathered before the sink gets a chunk. Default 64 KiB. */
  chunkSize?: number;
}

export interface PcapngInterfaceOptions {
  /** Longest packet kept; longer ones are cut to it. 0 means no limit. Default 262144. */
  snapLen?: number;
  /** Default LINKTYPE_ETHERNET. */
  linkType?: number;
  /** `if_description`. */
  description?: string;
}

function optionLength(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = utf8Length(text);
  if (n > MAX_OPTION) throw new RangeError(`option text of ${n} bytes exceeds ${MAX_OPTION}`);
  return n;
}

/**
 * Writes a pcapng file (little-endian) as a stream of chunks: `writeHeader()` (the section
 * header block), `addInterface` per capture point (an interface description block with if_name
 * and if_tsresol = 9), then `writePacket` per frame (an enhanced packet block with the frame's
 * fate as opt_comment and its direction in epb_flags), then `end()`.
 *
 * Interfaces may be added between packets too, as long as each comes before its first packet.
 * The section length is written as -1 (unknown), as a streaming writer must.
 */
export class PcapngWriter {
  readonly userAppl: string;
  private readonly out: ChunkWriter;
  private headerWritten = false;
  private readonly snapLens: number[] = [];
  private packets = 0;
  private readonly ts = { sec: 0, ns: 0 };
  private readonly units = { hi: 0, lo: 0 };

  constructor(sink: ChunkSink, options: PcapngWriterOptions = {}) {
    this.userAppl = options.userAppl ?? 'netlab';
    this.out = new ChunkWriter(sink, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  }

  get interfaceCount(): number {
    return this.snapLens.length;
  }

  get packetCount(): number {
    return this.packets;
  }

  get bytesWritten(): number {
    return this.out.bytesWritten;
  }

  /** The section header block. */
  writeHeader(): void {
    if (this.headerWritten) throw new Error('pcapng section header already written');
    const appl = this.userAppl;
    const applLen = optionLength(appl);
    const optLen = applLen > 0 ? 4 + pad4(applLen) + 4 : 0;
    const total = 28 + optLen;
    const o = this.out;
    o.reserve(total);
    o.u32(BT_SHB);
    o.u32(total);
    o.u32(BYTE_ORDER_MAGIC);
    o.u16(1); // version 1.0
    o.u16(0);
    o.u32(0xffffffff); // section length: -1, unknown
    o.u32(0xffffffff);
    if (applLen > 0) {
      o.u16(SHB_USERAPPL);
      o.u16(applLen);
      o.utf8(appl);
      o.pad4(applLen);
      o.u32(OPT_ENDOFOPT); // code 0, length 0
    }
    o.u32(total);
    this.headerWritten = true;
  }

  /**
   * An interface description block; returns the interface's id for `writePacket`. `name` is the
   * capture point, e.g. `h1:eth0` or `segment`.
   */
  addInterface(name: string, options: PcapngInterfaceOptions = {}): number {
    if (!this.headerWritten) throw new Error('writeHeader() must come before addInterface()');
    const snapLen = options.snapLen ?? DEFAULT_SNAPLEN;
    if (!Number.isInteger(snapLen) || snapLen < 0 || snapLen > 0xffffffff) {
      throw new RangeError(`snap length ${snapLen} must be an integer from 0 to 2^32-1`);
    }
    const linkType = options.linkType ?? LINKTYPE_ETHERNET;
    const nameLen = optionLength(name);
    const desc = options.description;
    const descLen = optionLength(desc);
    let optLen = 4 + pad4(nameLen) + 8 + 4; // if_name, if_tsresol, opt_endofopt
    if (desc !== undefined) optLen += 4 + pad4(descLen);
    const total = 20 + optLen;
    const o = this.out;
    o.reserve(total);
    o.u32(BT_IDB);
    o.u32(total);
    o.u16(linkType);
    o.u16(0);
    o.u32(snapLen);
    o.u16(IF_NAME);
    o.u16(nameLen);
    o.utf8(name);
    o.pad4(nameLen);
    if (desc !== undefined) {
      o.u16(IF_DESCRIPTION);
      o.u16(descLen);
      o.utf8(desc);
      o.pad4(descLen);
    }
    o.u16(IF_TSRESOL);
    o.u16(1);
    o.u32(TSRESOL_NS); // the value byte, then three bytes of padding
    o.u32(OPT_ENDOFOPT);
    o.u32(total);
    this.snapLens.push(snapLen);
    return this.snapLens.length - 1;
  }

  /**
   * An enhanced packet block. `tsNs` is the simulated time in ns (an integer up to 2^53). The
   * captured bytes are `data[offset, offset + capturedLength)`, cut to the interface's snap
   * length. `comment` (the frame's fate) becomes opt_comment; `direction`
   * (DIRECTION_INBOUND or DIRECTION_OUTBOUND) becomes epb_flags, and 0 writes no flags.
   */
  writePacket(
    interfaceId: number,
    tsNs: number,
    data: Uint8Array,
    offset: number,
    capturedLength: number,
    originalLength: number,
    comment?: string,
    direction: number = DIRECTION_UNKNOWN,
  ): void {
    splitNs(tsNs, this.ts);
    this.writePacketAt(
      interfaceId,
      this.ts.sec,
      this.ts.ns,
      data,
      offset,
      capturedLength,
      originalLength,
      comment,
      direction,
    );
  }

  /**
   * `writePacket` at an exact instant: `sec` whole seconds since 1970 and `nsec` nanoseconds,
   * written as one 64-bit count of ns. Real captures' times take this way.
   */
  writePacketAt(
    interfaceId: number,
    sec: number,
    nsec: number,
    data: Uint8Array,
    offset: number,
    capturedLength: number,
    originalLength: number,
    comment?: string,
    direction: number = DIRECTION_UNKNOWN,
  ): void {
    if (!(interfaceId >= 0 && interfaceId < this.snapLens.length && interfaceId % 1 === 0)) {
      throw new RangeError(`no interface ${interfaceId}: ${this.snapLens.length} added`);
    }
    // 2^64 ns is 584 years: the largest whole second below it.
    checkTime(sec, nsec, 18446744072);
    if (
      direction !== DIRECTION_UNKNOWN &&
      direction !== DIRECTION_INBOUND &&
      direction !== DIRECTION_OUTBOUND
    ) {
      throw new RangeError(`direction ${direction} is not 0, 1 (inbound) or 2 (outbound)`);
    }
    checkPacketArgs(data, offset, capturedLength, originalLength);
    const snap = this.snapLens[interfaceId];
    const caplen = snap !== 0 && capturedLength > snap ? snap : capturedLength;
    const commentLen = optionLength(comment);
    let optLen = 0;
    if (comment !== undefined) optLen += 4 + pad4(commentLen);
    if (direction !== DIRECTION_UNKNOWN) optLen += 8;
    if (optLen > 0) optLen += 4;
    const total = 32 + pad4(caplen) + optLen;
    nsUnits(sec, nsec, this.units);
    const o = this.out;
    o.reserve(total);
    o.u32(BT_EPB);
    o.u32(total);
    o.u32(interfaceId);
    o.u32(this.units.hi);
    o.u32(this.units.lo);
    o.u32(caplen);
    o.u32(originalLength);
    o.bytes(data, offset, caplen);
    o.pad4(caplen);
    if (comment !== undefined) {
      o.u16(OPT_COMMENT);
      o.u16(commentLen);
      o.utf8(comment);
      o.pad4(commentLen);
    }
    if (direction !== DIRECTION_UNKNOWN) {
      o.u16(EPB_FLAGS);
      o.u16(4);
      o.u32(direction);
    }
    if (optLen > 0) o.u32(OPT_ENDOFOPT);
    o.u32(total);
    this.packets++;
  }

  /** Hands the bytes gathered so far to the sink. */
  flush(): void {
    this.out.flush();
  }

  /** The last chunk. A file with no packets (or no interfaces) is still a valid one. */
  end(): void {
    if (!this.headerWritten) this.writeHeader();
    this.out.flush();
  }
}
