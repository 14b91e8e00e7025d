import { Ipv4Summary, UdpSummary } from '../wire/header-summary';

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

/**
 * What hosts found in a lender's bytes: the IPv4 and UDP headers as the first
 * host to receive the frame parsed them, with their checks' verdicts. The
 * bytes cannot change while lent, so every other host that reads the same
 * frame takes the summary instead of parsing it again; a bad checksum is
 * still refused by each of them. Each summary is valid only for the offset
 * and length it was made at (wire/header-summary.ts).
 */
export class ByteVerdicts {
  readonly ipv4 = new Ipv4Summary();
  readonly udp = new UdpSummary();

  /** Forgets every summary: the bytes are about to hold another frame. */
  clear(): void {
    this.ipv4.forget();
    this.udp.forget();
  }
}
