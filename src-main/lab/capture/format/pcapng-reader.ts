import { pad4 } from './chunk-writer';
import { CaptureParser, readAll, u16, u32 } from './parser';
import {
  BT_EPB,
  BT_IDB,
  BT_OPB,
  BT_SHB,
  BT_SPB,
  EPB_FLAGS,
  IF_DESCRIPTION,
  IF_NAME,
  IF_TSOFFSET,
  IF_TSRESOL,
  OPT_COMMENT,
  OPT_ENDOFOPT,
  SHB_HARDWARE,
  SHB_OS,
  SHB_USERAPPL,
} from './pcapng-writer';
import {
  type CaptureFile,
  type CaptureInterface,
  type CapturePacket,
  type CaptureSection,
  hexBytes,
} from './types';
import { decodeUtf8 } from './utf8';

/** Largest block this reader takes; Wireshark's limit is of this order (16 MiB). */
export const MAX_BLOCK_LEN = 16 * 1024 * 1024;

/** The default `if_tsresol`: microseconds. */
const DEFAULT_TSRESOL = 6;

/** Timestamp units below 2^53 are exact as doubles. */
const SAFE_HIGH = 0x200000;

const BILLION = BigInt(1e9);

/** True when the four bytes at `at` are a section header block's type (it reads the same either way). */
export function isPcapngAt(bytes: Uint8Array, at: number): boolean {
  return (
    bytes[at] === 0x0a && bytes[at + 1] === 0x0d && bytes[at + 2] === 0x0d && bytes[at + 3] === 0x0a
  );
}

function blockName(type: number): string {
  switch (type) {
    case BT_SHB:
      return 'section header block';
    case BT_IDB:
      return 'interface description block';
    case BT_EPB:
      return 'enhanced packet block';
    case BT_SPB:
      return 'simple packet block';
    case BT_OPB:
      return 'packet block';
  }
  return 'block';
}

/** Fixed part of each block this reader interprets: header, body fields, trailing length. */
function minTotal(type: number): number {
  switch (type) {
    case BT_SHB:
      return 28;
    case BT_IDB:
      return 20;
    case BT_EPB:
    case BT_OPB:
      return 32;
    case BT_SPB:
      return 16;
  }
  return 12;
}

/**
 * Incremental parser of pcapng: one block per step. Section header, interface description,
 * enhanced, simple and (obsolete) packet blocks are read; other blocks are skipped. Each new
 * section starts its own set of interfaces; `interfaceId` in packets indexes `interfaces` across
 * all sections.
 */
export class PcapngParser extends CaptureParser {
  readonly format = 'pcapng';
  /** Interfaces of the current section, by their id in it. */
  private sectionInterfaces: CaptureInterface[] = [];
  private started = false;
  // Options of the block being read.
  private optComment: string | undefined;
  private optFlags = 0;

  get complete(): boolean {
    return this.started;
  }

  override result(packets: CapturePacket[]): CaptureFile {
    const file = super.result(packets);
    // The byte order of the file is its first section's; later sections may differ.
    if (this.sections.length > 0) file.littleEndian = this.sections[0].littleEndian;
    return file;
  }

  step(bytes: Uint8Array, at: number, end: number, pos: number): number {
    this.packet = null;
    const avail = end - at;
    if (avail < 8) return this.wait(8, 'block header');
    const isShb = isPcapngAt(bytes, at);
    if (!this.started && !isShb) {
      return this.fail(
        pos,
        `not a pcapng file: it must start with a section header block, not ${hexBytes(bytes, at, 4)}`,
      );
    }
    let le = this.littleEndian;
    if (isShb) {
      if (avail < 12) return this.wait(12, 'section header block');
      const bom = u32(bytes, at + 8, true);
      if (bom === 0x1a2b3c4d) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else {
        return this.fail(
          pos + 8,
          `section header block at byte ${pos} has byte-order magic ${hexBytes(bytes, at + 8, 4)}, not 4d 3c 2b 1a or 1a 2b 3c 4d`,
        );
      }
    }
    const type = isShb ? BT_SHB : u32(bytes, at, le);
    const total = u32(bytes, at + 4, le);
    if (total % 4 !== 0) {
      return this.fail(pos, `block at byte ${pos} has total length ${total}, not a multiple of 4`);
    }
    const min = minTotal(type);
    if (total < min) {
      return this.fail(
        pos,
        `${blockName(type)} at byte ${pos} has total length ${total}, less than the ${min} its fields need`,
      );
    }
    if (total > MAX_BLOCK_LEN) {
      return this.fail(
        pos,
        `block at byte ${pos} claims ${total} bytes, more than the ${MAX_BLOCK_LEN} this reader accepts`,
      );
    }
    if (avail < total) return this.wait(total, blockName(type));
    const trailer = u32(bytes, at + total - 4, le);
    if (trailer !== total) {
      return this.fail(
        pos + total - 4,
        `block at byte ${pos} ends with total length ${trailer}, not the ${total} it starts with`,
      );
    }
    let ok: boolean;
    switch (type) {
      case BT_SHB:
        ok = this.readShb(bytes, at, total, pos, le);
        break;
      case BT_IDB:
        ok = this.readIdb(bytes, at, total, pos);
        break;
      case BT_EPB:
      case BT_OPB:
        ok = this.readPacketBlock(bytes, at, total, pos, type);
        break;
      case BT_SPB:
        ok = this.readSpb(bytes, at, total, pos);
        break;
      default:
        ok = true; // unknown, statistics, name resolution...: skipped
    }
    return ok ? total : -1;
  }

  private readShb(bytes: Uint8Array, at: number, total: number, pos: number, le: boolean): boolean {
    const major = u16(bytes, at + 12, le);
    const minor = u16(bytes, at + 14, le);
    if (major !== 1) {
      this.fail(
        pos + 12,
        `section at byte ${pos} has pcapng version ${major}.${minor}; only 1.x is supported`,
      );
      return false;
    }
    const section: CaptureSection = {
      offset: pos,
      littleEndian: le,
      userAppl: undefined,
      hardware: undefined,
      os: undefined,
    };
    this.littleEndian = le;
    if (!this.parseOptions(bytes, at, at + 24, at + total - 4, pos, BT_SHB, section)) return false;
    if (!this.started) this.version = { major, minor };
    this.started = true;
    this.sections.push(section);
    this.sectionInterfaces = [];
    return true;
  }

  private readIdb(bytes: Uint8Array, at: number, total: number, pos: number): boolean {
    const le = this.littleEndian;
    const iface: CaptureInterface = {
      id: this.interfaces.length,
      section: this.sections.length - 1,
      localId: this.sectionInterfaces.length,
      name: undefined,
      description: undefined,
      linkType: u16(bytes, at + 8, le),
      snapLen: u32(bytes, at + 12, le),
      tsResol: DEFAULT_TSRESOL,
      tsOffset: 0,
    };
    if (!this.parseOptions(bytes, at, at + 16, at + total - 4, pos, BT_IDB, iface)) return false;
    this.interfaces.push(iface);
    this.sectionInterfaces.push(iface);
    return true;
  }

  private interfaceFor(id: number, pos: number, what: string): CaptureInterface | null {
    if (id < this.sectionInterfaces.length) return this.sectionInterfaces[id];
    const n = this.sectionInterfaces.length;
    this.fail(
      pos,
      `${what} at byte ${pos} refers to interface ${id}, but its section has ${n === 1 ? '1 interface' : `${n} interfaces`}`,
    );
    return null;
  }

  private readPacketBlock(
    bytes: Uint8Array,
    at: number,
    total: number,
    pos: number,
    type: number,
  ): boolean {
    const le = this.littleEndian;
    const what = blockName(type);
    const id = type === BT_EPB ? u32(bytes, at + 8, le) : u16(bytes, at + 8, le);
    const iface = this.interfaceFor(id, pos, what);
    if (!iface) return false;
    const caplen = u32(bytes, at + 20, le);
    const room = total - 32;
    if (caplen > room) {
      this.fail(
        pos,
        `${what} at byte ${pos} claims ${caplen} captured bytes, more than the ${room} its block holds`,
      );
      return false;
    }
    const dataAt = at + 28;
    this.optComment = undefined;
    this.optFlags = 0;
    if (!this.parseOptions(bytes, at, dataAt + pad4(caplen), at + total - 4, pos, type, null))
      return false;
    this.packet = this.makePacket(
      iface,
      u32(bytes, at + 12, le),
      u32(bytes, at + 16, le),
      bytes.subarray(dataAt, dataAt + caplen),
      u32(bytes, at + 24, le),
      pos,
    );
    return true;
  }

  private readSpb(bytes: Uint8Array, at: number, total: number, pos: number): boolean {
    const iface = this.interfaceFor(0, pos, 'simple packet block');
    if (!iface) return false;
    const origlen = u32(bytes, at + 8, this.littleEndian);
    let caplen = total - 16;
    if (origlen < caplen) caplen = origlen;
    if (iface.snapLen !== 0 && iface.snapLen < caplen) caplen = iface.snapLen;
    this.optComment = undefined;
    this.optFlags = 0;
    // A simple packet block has no timestamp.
    this.packet = this.makePacket(
      iface,
      0,
      0,
      bytes.subarray(at + 12, at + 12 + caplen),
      origlen,
      pos,
    );
    return true;
  }

  private makePacket(
    iface: CaptureInterface,
    hi: number,
    lo: number,
    data: Uint8Array,
    originalLength: number,
    pos: number,
  ): CapturePacket {
    const p: CapturePacket = {
      tsNs: 0,
      tsSeconds: 0,
      tsNanos: 0,
      interfaceId: iface.id,
      interfaceName: iface.name,
      data,
      originalLength,
      comment: this.optComment,
      direction: this.optFlags & 3,
      fileOffset: pos,
    };
    setTime(p, hi, lo, iface.tsResol, iface.tsOffset);
    return p;
  }

  /**
   * Reads the options in [from, end) of the block at `at` (file offset `pos`) into `target`
   * (the section or interface) or into this parser's option fields (packet blocks).
   */
  private parseOptions(
    bytes: Uint8Array,
    at: number,
    from: number,
    end: number,
    pos: number,
    type: number,
    target: CaptureSection | CaptureInterface | null,
  ): boolean {
    const le = this.littleEndian;
    let p = from;
    while (p < end) {
      const optPos = pos + (p - at);
      if (end - p < 4) {
        this.fail(
          optPos,
          `${blockName(type)} at byte ${pos} ends inside an option header at byte ${optPos}`,
        );
        return false;
      }
      const code = u16(bytes, p, le);
      const len = u16(bytes, p + 2, le);
      if (code === OPT_ENDOFOPT) break;
      const v = p + 4;
      if (len > end - v) {
        this.fail(
          optPos,
          `option ${code} at byte ${optPos} claims ${len} bytes, more than the ${end - v} left in its block`,
        );
        return false;
      }
      this.option(bytes, type, code, v, len, target);
      p = v + pad4(len);
    }
    return true;
  }

  private option(
    bytes: Uint8Array,
    type: number,
    code: number,
    v: number,
    len: number,
    target: CaptureSection | CaptureInterface | null,
  ): void {
    const le = this.littleEndian;
    if (type === BT_EPB || type === BT_OPB) {
      if (code === OPT_COMMENT) {
        const text = decodeText(bytes, v, len);
        this.optComment = this.optComment === undefined ? text : `${this.optComment}\n${text}`;
      } else if (code === EPB_FLAGS && len >= 4) {
        this.optFlags = u32(bytes, v, le);
      }
      return;
    }
    if (type === BT_SHB) {
      const s = target as CaptureSection;
      if (code === SHB_USERAPPL) s.userAppl = decodeText(bytes, v, len);
      else if (code === SHB_HARDWARE) s.hardware = decodeText(bytes, v, len);
      else if (code === SHB_OS) s.os = decodeText(bytes, v, len);
      return;
    }
    if (type === BT_IDB) {
      const i = target as CaptureInterface;
      if (code === IF_NAME) i.name = decodeText(bytes, v, len);
      else if (code === IF_DESCRIPTION) i.description = decodeText(bytes, v, len);
      else if (code === IF_TSRESOL && len >= 1) i.tsResol = bytes[v];
      else if (code === IF_TSOFFSET && len >= 8) {
        // A signed 64-bit count of seconds.
        const lo = u32(bytes, le ? v : v + 4, le);
        const hi = u32(bytes, le ? v + 4 : v, le) | 0;
        i.tsOffset = hi * 4294967296 + lo;
      }
    }
  }
}

/** A string option, without the NULs some writers end it with. */
function decodeText(bytes: Uint8Array, v: number, len: number): string {
  let end = v + len;
  while (end > v && bytes[end - 1] === 0) end--;
  return decodeUtf8(bytes, v, end);
}

/**
 * Sets a packet's timestamp from its 64-bit count of units (hi, lo) at resolution `tsResol`
 * (pcapng's if_tsresol) plus `tsOffset` seconds. Nanosecond and microsecond units below 2^53
 * take plain arithmetic; anything else goes through BigInt, exactly (fractions of a nanosecond
 * are dropped).
 */
export function setTime(
  p: CapturePacket,
  hi: number,
  lo: number,
  tsResol: number,
  tsOffset: number,
): void {
  let sec: number;
  let nanos: number;
  if (hi < SAFE_HIGH && (tsResol === 9 || tsResol === 6)) {
    const units = hi * 4294967296 + lo;
    const perSec = tsResol === 9 ? 1e9 : 1e6;
    sec = Math.floor(units / perSec);
    let frac = units - sec * perSec;
    if (frac < 0) {
      sec--;
      frac += perSec;
    } else if (frac >= perSec) {
      sec++;
      frac -= perSec;
    }
    nanos = tsResol === 9 ? frac : frac * 1000;
  } else {
    const units = (BigInt(hi) << 32n) | BigInt(lo);
    const exp = tsResol & 0x7f;
    let ns: bigint;
    if (tsResol & 0x80) ns = (units * BILLION) >> BigInt(exp);
    else if (exp <= 9) ns = units * 10n ** BigInt(9 - exp);
    else ns = units / 10n ** BigInt(exp - 9);
    sec = Number(ns / BILLION);
    nanos = Number(ns % BILLION);
  }
  sec += tsOffset;
  p.tsSeconds = sec;
  p.tsNanos = nanos;
  p.tsNs = sec * 1e9 + nanos;
}

/**
 * Reads a pcapng file held in memory. Packets are views into `bytes`. A truncated or corrupt
 * file yields what is readable and an `error` saying where and why reading stopped.
 */
export function readPcapng(bytes: Uint8Array): CaptureFile {
  return readAll(new PcapngParser(), bytes);
}
