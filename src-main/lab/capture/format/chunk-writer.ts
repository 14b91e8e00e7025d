import { copyBytes } from '../../wire/bytes';
import type { ChunkSink } from './types';
import { encodeUtf8Into } from './utf8';

/** Bytes a writer gathers before it hands a chunk to its sink, unless told otherwise. */
export const DEFAULT_CHUNK_SIZE = 65536;

/**
 * Little-endian output gathered into chunks of about `chunkSize` bytes, each handed to the sink
 * once full (or on `flush`). A chunk is never reused after the sink has it, so nothing per
 * record is allocated: one buffer per chunk, and one of its own for a record bigger than a chunk.
 */
export class ChunkWriter {
  private buf: Uint8Array;
  private pos = 0;
  private written = 0;

  constructor(
    private readonly sink: ChunkSink,
    readonly chunkSize = DEFAULT_CHUNK_SIZE,
  ) {
    if (!Number.isInteger(chunkSize) || chunkSize < 64) {
      throw new RangeError(`chunk size ${chunkSize} must be an integer of at least 64`);
    }
    this.buf = new Uint8Array(chunkSize);
  }

  /** Bytes handed to the sink or waiting in the current chunk. */
  get bytesWritten(): number {
    return this.written + this.pos;
  }

  /** Makes room for `n` more bytes in the current chunk (a record is never split). */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = new Uint8Array(n);
  }

  /** Hands what is gathered to the sink (nothing if empty). */
  flush(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.written += this.pos;
    this.buf = new Uint8Array(this.chunkSize);
    this.pos = 0;
    this.sink(chunk);
  }

  // The writers below assume `reserve` made room.

  u8(v: number): void {
    this.buf[this.pos++] = v;
  }

  u16(v: number): void {
    const b = this.buf;
    const p = this.pos;
    b[p] = v;
    b[p + 1] = v >>> 8;
    this.pos = p + 2;
  }

  u32(v: number): void {
    const b = this.buf;
    const p = this.pos;
    b[p] = v;
    b[p + 1] = v >>> 8;
    b[p + 2] = v >>> 16;
    b[p + 3] = v >>> 24;
    this.pos = p + 4;
  }

  bytes(src: Uint8Array, at: number, len: number): void {
    copyBytes(this.buf, this.pos, src, at, len);
    this.pos += len;
  }

  utf8(text: string): void {
    this.pos += encodeUtf8Into(text, this.buf, this.pos);
  }

  /** Zero bytes up to the next multiple of 4 of `len` bytes just written. */
  pad4(len: number): void {
    const b = this.buf;
    for (let k = len & 3 ? 4 - (len & 3) : 0; k > 0; k--) b[this.pos++] = 0;
  }
}

/** `n` rounded up to a multiple of 4. */
export function pad4(n: number): number {
  return (n + 3) & ~3;
}

/**
 * Splits a timestamp in nanoseconds (a non-negative integer up to 2^53) into whole seconds and
 * nanoseconds, exactly: a plain division can round up to the next second near 2^53.
 */
export function splitNs(tsNs: number, out: { sec: number; ns: number }): void {
  if (!Number.isSafeInteger(tsNs) || tsNs < 0) {
    throw new RangeError(`timestamp ${tsNs} ns is not a non-negative integer up to 2^53`);
  }
  let sec = Math.floor(tsNs / 1e9);
  let ns = tsNs - sec * 1e9;
  if (ns < 0) {
    sec--;
    ns += 1e9;
  } else if (ns >= 1e9) {
    sec++;
    ns -= 1e9;
  }
  out.sec = sec;
  out.ns = ns;
}

/**
 * Checks an exact timestamp (whole seconds since 1970, nanoseconds 0..999 999 999) against the
 * largest seconds a format holds; throws naming what is wrong.
 */
export function checkTime(sec: number, nsec: number, maxSec: number): void {
  if (!Number.isInteger(sec) || sec < 0 || sec > maxSec) {
    throw new RangeError(`timestamp seconds ${sec} is not an integer from 0 to ${maxSec}`);
  }
  if (!Number.isInteger(nsec) || nsec < 0 || nsec >= 1e9) {
    throw new RangeError(`timestamp nanoseconds ${nsec} is not an integer from 0 to 999999999`);
  }
}

/**
 * `sec * 1e9 + nsec` as the two 32-bit halves of a 64-bit count of ns (pcapng with if_tsresol 9),
 * exactly, in doubles: the product passes 2^53 for any epoch time after April 1970.
 */
export function nsUnits(sec: number, nsec: number, out: { hi: number; lo: number }): void {
  const secHi = Math.floor(sec / 65536);
  const secLo = sec - secHi * 65536;
  const t1 = secLo * 1e9 + nsec; // < 2^47
  const t2 = secHi * 1e9; // < 2^49 for sec < 2^35; the count is t2 * 2^16 + t1
  const q = Math.floor(t2 / 65536);
  const r = t2 - q * 65536;
  const low = r * 65536 + t1; // < 2^48: exact
  const carry = Math.floor(low / 4294967296);
  out.hi = q + carry;
  out.lo = low - carry * 4294967296;
}

/** Checks a packet's arguments, as both writers take them. */
export function checkPacketArgs(
  data: Uint8Array,
  offset: number,
  capturedLength: number,
  originalLength: number,
): void {
  if (
    !Number.isInteger(offset) ||
    !Number.isInteger(capturedLength) ||
    offset < 0 ||
    capturedLength < 0 ||
    offset + capturedLength > data.length
  ) {
    throw new RangeError(
      `packet bytes ${offset}+${capturedLength} lie outside a buffer of ${data.length}`,
    );
  }
  if (!Number.isInteger(originalLength) || originalLength < capturedLength) {
    throw new RangeError(
      `original length ${originalLength} is less than the captured length ${capturedLength}`,
    );
  }
  if (originalLength > 0xffffffff) {
    throw new RangeError(`original length ${originalLength} does not fit in 32 bits`);
  }
}
