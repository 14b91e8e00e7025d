import { LatencyHistogram } from './latency-histogram';

/**
 * How far behind the highest sequence number a sink still remembers which
 * datagrams arrived (a bitmap, 512 bytes per stream). Within it a repeated
 * datagram is told from a late one; older arrivals are counted as reordered
 * and taken to be new, so a duplicate delayed by more than this many
 * datagrams would be miscounted (as reordered, and one loss fewer).
 */
export const SEQ_WINDOW = 4096;
const WORDS = SEQ_WINDOW / 32;
const TWO_32 = 4294967296;

/**
 * One generator's stream as a sink sees it, from the netlab header of each
 * datagram read: counts, sequence accounting, one-way latency and RFC 3550
 * jitter. Sequence numbers are u32 on the wire and extended here (as RTP
 * does) by the signed 32-bit distance from the highest seen, so a stream
 * survives wrap-around.
 *
 * Loss is `expected − distinct received`, where expected spans the lowest to
 * the highest sequence number seen: a gap counts as lost once a later datagram
 * has arrived, and a datagram that turns up after all (reordered) is taken
 * back out. Datagrams past the last one received cannot be known to be lost
 * from the stream alone; `lost(sent)` counts them when told how many the
 * generator sent (expected is then 0 .. sent − 1, the head included).
 */
export class StreamStats {
  /** Datagrams read that carried this generator's header (duplicates included). */
  received = 0;
  bytes = 0;
  /** Datagrams whose sequence number had already arrived. */
  duplicated = 0;
  /** Datagrams that arrived with a lower sequence number than the highest seen, not duplicates. */
  reordered = 0;
  /** RFC 3550 §6.4.1 interarrival jitter estimate, ns. */
  jitter = 0;
  readonly latency = new LatencyHistogram();
  /** Lowest and highest sequence numbers seen, extended past 32 bits. */
  firstSeq = 0;
  highestSeq = -1;
  private readonly seen = new Uint32Array(WORDS);
  private lastTransit = 0;

  constructor(
    readonly generatorId: number,
    /** The source address and port of the first datagram (for display). */
    readonly fromAddr: number,
    readonly fromPort: number,
  ) {}

  /** Accounts one datagram: `seq` as on the wire, times in simulated ns. */
  accept(seq: number, length: number, sendTime: number, receiveTime: number): void {
    const first = this.received === 0;
    this.received++;
    this.bytes += length;
    const transit = receiveTime - sendTime;
    this.latency.record(transit);
    // RFC 3550 A.8: in arrival order, J += (|D| − J) / 16, D the change in transit time.
    if (!first) {
      const d =
        transit > this.lastTransit ? transit - this.lastTransit : this.lastTransit - transit;
      // × 1/16 rather than / 16: the same double exactly (a power of two), without a division.
      this.jitter += (d - this.jitter) * 0.0625;
    }
    this.lastTransit = transit;
    if (first) {
      this.firstSeq = this.highestSeq = seq;
      this.mark(seq);
      return;
    }
    const high = this.highestSeq;
    // The signed distance, modulo 2^32 (`%` on a double is a call: only past 2^32 datagrams).
    const delta = (seq - (high < TWO_32 ? high : high % TWO_32)) | 0;
    const ext = high + delta;
    if (delta > 0) {
      // Slots of the sequence numbers skipped over are reused by the window: clear them.
      const clear = delta < SEQ_WINDOW ? delta - 1 : SEQ_WINDOW;
      for (let s = high + 1, n = 0; n < clear; s++, n++) this.unmark(s);
      this.highestSeq = ext;
      this.mark(ext);
      return;
    }
    if (delta === 0) {
      this.duplicated++;
      return;
    }
    if (ext < this.firstSeq) this.firstSeq = ext;
    if (ext > high - SEQ_WINDOW && this.marked(ext)) {
      this.duplicated++;
      return;
    }
    this.reordered++;
    if (ext > high - SEQ_WINDOW) this.mark(ext);
  }

  /**
   * Datagrams lost: those expected and never received. Without `sent` the
   * stream's tail is unknown and not counted; with the generator's sent count,
   * everything it sent that did not arrive is (in flight at the time included).
   */
  lost(sent?: number): number {
    if (this.received === 0) return sent ?? 0;
    const distinct = this.received - this.duplicated;
    const expected =
      sent === undefined
        ? this.highestSeq - this.firstSeq + 1
        : Math.max(sent, this.highestSeq + 1) - Math.min(0, this.firstSeq);
    return Math.max(0, expected - distinct);
  }

  private mark(seq: number): void {
    const slot = seq & (SEQ_WINDOW - 1);
    this.seen[slot >>> 5] |= 1 << (slot & 31);
  }

  private unmark(seq: number): void {
    const slot = seq & (SEQ_WINDOW - 1);
    this.seen[slot >>> 5] &= ~(1 << (slot & 31));
  }

  private marked(seq: number): boolean {
    const slot = seq & (SEQ_WINDOW - 1);
    return (this.seen[slot >>> 5] & (1 << (slot & 31))) !== 0;
  }
}
