/**
 * Bytes a data area may reference instead of holding a copy: a frame on the
 * wire, which cannot change once it is there. Every NIC that receives the
 * frame "DMAs" it into its ring buffer by referencing these bytes, as a page
 * fragment is referenced by `page_ref` in Linux's page-based receive path,
 * so one wire frame is not copied seven times to be read seven times. The
 * buffers keep their own data areas, sizes and truesize: the books are those
 * of the copy the hardware would have made.
 *
 * `lent` holds the frame at the offset the borrowing buffer expects its data
 * (NET_SKB_PAD), so every offset of the buffer (data, tail, headers) reads
 * the same bytes as in a copy. Whoever writes into a borrowing buffer must
 * unshare it first (SkBuff.put/push do).
 */
export interface SkbLender {
  /** The bytes, laid out as the borrowing data area's. Read-only while lent. */
  readonly lent: Uint8Array;
  /** Takes a reference for a data area that now reads `lent`. */
  hold(): void;
  /** Drops it; the last one lets the owner reuse the bytes. */
  release(): void;
  /** Checks already made on these bytes (see ByteVerdicts). */
  readonly verdicts: ByteVerdicts;
}

/** Checks whose verdicts a lender caches: each is a pure function of the bytes. */
export const VERDICT_IPV4_HEADER = 0;
export const VERDICT_UDP_CHECKSUM = 1;

/**
 * What checks on a lender's bytes found, each for the offset and length it was
 * made at. The bytes cannot change while lent, so the first host to verify a
 * checksum of a wire frame answers for every host that reads the same frame:
 * a bad checksum is still refused by each of them. Plain fields, not arrays:
 * every receiver of every frame asks.
 */
export class ByteVerdicts {
  private ipAt = -1;
  private ipLen = 0;
  private ipOk = false;
  private udpAt = -1;
  private udpLen = 0;
  private udpOk = false;

  /** 1 (passed) or 0 (failed) when check `kind` was made at `at` over `len` bytes; -1 if not. */
  get(kind: number, at: number, len: number): number {
    if (kind === VERDICT_IPV4_HEADER) {
      return this.ipAt === at && this.ipLen === len ? (this.ipOk ? 1 : 0) : -1;
    }
    return this.udpAt === at && this.udpLen === len ? (this.udpOk ? 1 : 0) : -1;
  }

  set(kind: number, at: number, len: number, ok: boolean): void {
    if (kind === VERDICT_IPV4_HEADER) {
      this.ipAt = at;
      this.ipLen = len;
      this.ipOk = ok;
    } else {
      this.udpAt = at;
      this.udpLen = len;
      this.udpOk = ok;
    }
  }

  /** Forgets every verdict: the bytes are about to hold another frame. */
  clear(): void {
    this.ipAt = -1;
    this.udpAt = -1;
  }
}
