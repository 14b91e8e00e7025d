import { EMPTY_BYTES, getU16, getU32, setU16, setU32 } from './bytes';
import { internetChecksum, verifyInternetChecksum } from './checksum';

/**
 * IGMP (RFC 1112, 2236, 3376) as a view over the message, the IP payload of
 * `length` bytes. Versions 1 and 2 are one 8-byte shape; a v3 query adds
 * flags and sources, and a v3 report is a list of group records, walked by
 * offset (`firstRecord`, `nextRecord`) so that reading one allocates nothing.
 */

export const IGMP_HLEN = 8;
export const IGMPV3_QUERY_HLEN = 12;
export const IGMPV3_RECORD_HLEN = 8;

/**
 * Byte offsets of a message's fields (Linux's struct igmphdr, igmpv3_query and igmpv3_report):
 * the view and the dissector read them here. `resv2` and `ngrec` are a v3 report's.
 */
export const IGMP_OFF = {
  type: 0,
  code: 1,
  csum: 2,
  group: 4,
  resv2: 4,
  ngrec: 6,
  qrv: 8,
  qqic: 9,
  nsrcs: 10,
} as const;

/** Byte offsets of a v3 report's group record's fields (struct igmpv3_grec). */
export const IGMPV3_GREC_OFF = { type: 0, auxwords: 1, nsrcs: 2, mca: 4 } as const;

export const IGMP_HOST_MEMBERSHIP_QUERY = 0x11;
export const IGMPV1_HOST_MEMBERSHIP_REPORT = 0x12;
export const IGMPV2_HOST_MEMBERSHIP_REPORT = 0x16;
export const IGMP_HOST_LEAVE_MESSAGE = 0x17;
export const IGMPV3_HOST_MEMBERSHIP_REPORT = 0x22;

/** 224.0.0.22, where IGMPv3 reports go. */
export const IGMPV3_ALL_MCR = 0xe0000016;

/** Group record types of a v3 report. */
export const IGMPV3_MODE_IS_INCLUDE = 1;
export const IGMPV3_MODE_IS_EXCLUDE = 2;
export const IGMPV3_CHANGE_TO_INCLUDE = 3;
export const IGMPV3_CHANGE_TO_EXCLUDE = 4;
export const IGMPV3_ALLOW_NEW_SOURCES = 5;
export const IGMPV3_BLOCK_OLD_SOURCES = 6;

export const IGMP_ERR_SHORT = 'shorter than an IGMP message (8 bytes)';
export const IGMP_ERR_BEYOND_BUFFER = 'message length runs past the buffer';
export const IGMP_ERR_QUERY_LENGTH = 'query of 9 to 11 bytes (RFC 3376 §7.1: ignore it)';
export const IGMP_ERR_SOURCES = 'v3 query sources run past the message';
export const IGMP_ERR_RECORDS = 'v3 report group records run past the message';

/**
 * Decodes a v3 Max Resp Code (tenths of a second) or QQIC (seconds): values
 * from 128 are a floating-point form, 1eeemmmm = (mant | 0x10) << (exp + 3).
 */
export function igmpv3DecodeTime(code: number): number {
  return code < 128 ? code : ((code & 0x0f) | 0x10) << (((code >> 4) & 7) + 3);
}

export class IgmpView {
  constructor(
    public bytes: Uint8Array = EMPTY_BYTES,
    public offset = 0,
    public length = bytes.length - offset,
  ) {}

  /** Re-points this view at another message and returns it. */
  at(bytes: Uint8Array, offset = 0, length = bytes.length - offset): this {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
    return this;
  }

  get type(): number {
    return this.bytes[this.offset];
  }

  /** The raw second byte: Max Resp Time (v2), Max Resp Code (v3 query), unused otherwise. */
  get maxRespCode(): number {
    return this.bytes[this.offset + IGMP_OFF.code];
  }

  /**
   * A query's maximum response time in tenths of a second: the v3 code decoded
   * when the message is a v3 query (12 bytes or more), else the raw byte. A v1
   * query says 0 here; Linux then waits IGMP_QUERY_RESPONSE_INTERVAL (10 s).
   */
  get maxRespTime(): number {
    const code = this.bytes[this.offset + IGMP_OFF.code];
    return this.length >= IGMPV3_QUERY_HLEN ? igmpv3DecodeTime(code) : code;
  }

  get checksum(): number {
    return getU16(this.bytes, this.offset + IGMP_OFF.csum);
  }

  /** The group address of a v1/v2 message or v3 query (0 in a general query). */
  get group(): number {
    return getU32(this.bytes, this.offset + IGMP_OFF.group);
  }

  /**
   * The version of a query by its length (RFC 3376 §7.1): 8 bytes and a zero
   * Max Resp Time is v1, 8 bytes otherwise v2, 12 or more v3; 0 for any other
   * length, which a host must ignore.
   */
  queryVersion(length = this.length): number {
    if (length === IGMP_HLEN) return this.bytes[this.offset + IGMP_OFF.code] === 0 ? 1 : 2;
    return length >= IGMPV3_QUERY_HLEN ? 3 : 0;
  }

  /** v3 query: the S flag (suppress router-side processing). */
  get sFlag(): boolean {
    return (this.bytes[this.offset + IGMP_OFF.qrv] & 0x08) !== 0;
  }

  /** v3 query: Querier's Robustness Variable. */
  get qrv(): number {
    return this.bytes[this.offset + IGMP_OFF.qrv] & 7;
  }

  /** v3 query: Querier's Query Interval Code, raw. */
  get qqic(): number {
    return this.bytes[this.offset + IGMP_OFF.qqic];
  }

  /** v3 query: the query interval in seconds, decoded. */
  get qqi(): number {
    return igmpv3DecodeTime(this.bytes[this.offset + IGMP_OFF.qqic]);
  }

  /** v3 query: the number of source addresses that follow the 12-byte header. */
  get numberOfSources(): number {
    return getU16(this.bytes, this.offset + IGMP_OFF.nsrcs);
  }

  /** v3 query: source address `i`. */
  source(i: number): number {
    return getU32(this.bytes, this.offset + IGMPV3_QUERY_HLEN + 4 * i);
  }

  /** v3 report: how many group records follow. */
  get numberOfGroupRecords(): number {
    return getU16(this.bytes, this.offset + IGMP_OFF.ngrec);
  }

  /** v3 report: the offset in `bytes` of the first group record. */
  get firstRecord(): number {
    return this.offset + IGMP_HLEN;
  }

  /** The type of the record at `rec` (an offset in `bytes`): IGMPV3_MODE_IS_INCLUDE… */
  recordType(rec: number): number {
    return this.bytes[rec];
  }

  /** Auxiliary data length of the record at `rec`, in 32-bit words. */
  recordAuxDataLen(rec: number): number {
    return this.bytes[rec + 1];
  }

  recordNumberOfSources(rec: number): number {
    return getU16(this.bytes, rec + 2);
  }

  /** The multicast address of the record at `rec`. */
  recordGroup(rec: number): number {
    return getU32(this.bytes, rec + 4);
  }

  recordSource(rec: number, i: number): number {
    return getU32(this.bytes, rec + IGMPV3_RECORD_HLEN + 4 * i);
  }

  /** The offset of the record after the one at `rec`. */
  nextRecord(rec: number): number {
    return rec + IGMPV3_RECORD_HLEN + 4 * (getU16(this.bytes, rec + 2) + this.bytes[rec + 1]);
  }

  /** True when the first `length` bytes of the message sum to -0. */
  verifyChecksum(length = this.length): boolean {
    return verifyInternetChecksum(this.bytes, this.offset, length);
  }

  /** Computes the checksum over the first `length` bytes and stores it. */
  fillChecksum(length = this.length): void {
    setU16(this.bytes, this.offset + IGMP_OFF.csum, 0);
    setU16(
      this.bytes,
      this.offset + IGMP_OFF.csum,
      internetChecksum(this.bytes, this.offset, length),
    );
  }

  /**
   * '' when `length` bytes hold a well-formed message, else one of IGMP_ERR_*:
   * a v3 query's sources and a v3 report's records must lie inside it, after
   * which `source`, `recordSource` and `nextRecord` stay in bounds. The
   * checksum is `verifyChecksum`'s business.
   */
  check(length = this.length): string {
    if (length < IGMP_HLEN) return IGMP_ERR_SHORT;
    if (length > this.bytes.length - this.offset) return IGMP_ERR_BEYOND_BUFFER;
    const type = this.type;
    if (type === IGMP_HOST_MEMBERSHIP_QUERY) {
      if (length === IGMP_HLEN) return '';
      if (length < IGMPV3_QUERY_HLEN) return IGMP_ERR_QUERY_LENGTH;
      if (IGMPV3_QUERY_HLEN + 4 * this.numberOfSources > length) return IGMP_ERR_SOURCES;
    } else if (type === IGMPV3_HOST_MEMBERSHIP_REPORT) {
      const end = this.offset + length;
      let rec = this.firstRecord;
      for (let i = this.numberOfGroupRecords; i > 0; i--) {
        if (rec + IGMPV3_RECORD_HLEN > end) return IGMP_ERR_RECORDS;
        rec = this.nextRecord(rec);
        if (rec > end) return IGMP_ERR_RECORDS;
      }
    }
    return '';
  }

  /** Writes an 8-byte v1/v2 message (query, report or leave) with its checksum. */
  static write(bytes: Uint8Array, at: number, type: number, maxResp: number, group: number): void {
    bytes[at] = type;
    bytes[at + IGMP_OFF.code] = maxResp;
    setU16(bytes, at + IGMP_OFF.csum, 0);
    setU32(bytes, at + IGMP_OFF.group, group);
    setU16(bytes, at + IGMP_OFF.csum, internetChecksum(bytes, at, IGMP_HLEN));
  }

  /**
   * Writes a v3 query's 12-byte header, checksum zero: write the sources at
   * `at + 12`, then `fillChecksum` over 12 + 4 × numberOfSources bytes.
   */
  static writeV3Query(
    bytes: Uint8Array,
    at: number,
    maxRespCode: number,
    group: number,
    sFlag: boolean,
    qrv: number,
    qqic: number,
    numberOfSources: number,
  ): void {
    bytes[at] = IGMP_HOST_MEMBERSHIP_QUERY;
    bytes[at + IGMP_OFF.code] = maxRespCode;
    setU16(bytes, at + IGMP_OFF.csum, 0);
    setU32(bytes, at + IGMP_OFF.group, group);
    bytes[at + IGMP_OFF.qrv] = (sFlag ? 0x08 : 0) | (qrv & 7);
    bytes[at + IGMP_OFF.qqic] = qqic;
    setU16(bytes, at + IGMP_OFF.nsrcs, numberOfSources);
  }

  /** Writes a v3 report's 8-byte header, checksum zero; the records follow at `at + 8`. */
  static writeV3Report(bytes: Uint8Array, at: number, numberOfGroupRecords: number): void {
    bytes[at] = IGMPV3_HOST_MEMBERSHIP_REPORT;
    bytes[at + IGMP_OFF.code] = 0;
    setU16(bytes, at + IGMP_OFF.csum, 0);
    setU16(bytes, at + IGMP_OFF.resv2, 0);
    setU16(bytes, at + IGMP_OFF.ngrec, numberOfGroupRecords);
  }

  /**
   * Writes a group record's 8-byte header at `at` (no auxiliary data) and
   * returns where its sources go; the next record follows them.
   */
  static writeV3Record(
    bytes: Uint8Array,
    at: number,
    recordType: number,
    group: number,
    numberOfSources: number,
  ): number {
    bytes[at] = recordType;
    bytes[at + IGMPV3_GREC_OFF.auxwords] = 0;
    setU16(bytes, at + IGMPV3_GREC_OFF.nsrcs, numberOfSources);
    setU32(bytes, at + IGMPV3_GREC_OFF.mca, group);
    return at + IGMPV3_RECORD_HLEN;
  }
}
