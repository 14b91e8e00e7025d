/**
 * What became of each frame that reached a host: where it stopped and, when a
 * socket got it, which one. The NIC records the hardware's part (filter, errors,
 * ring) and the kernel the rest, so a student can follow one frame across every
 * host on the segment. Each stage is a row of the drop-reason table
 * (drop-reason.ts); the constants below are its indexes, checked there.
 */
import { FATES } from './drop-reason';

export const FATE_HW_FILTER = 0;
export const FATE_RX_ERROR = 1;
export const FATE_RING_FULL = 2;
export const FATE_BACKLOG = 3;
export const FATE_NOT_FOR_HOST = 4;
export const FATE_NOT_JOINED = 5;
export const FATE_NO_SOCKET = 6;
export const FATE_RCVBUF_FULL = 7;
export const FATE_DELIVERED = 8;
/** Taken by the kernel itself: ARP, ICMP echo, IGMP. */
export const FATE_CONSUMED = 9;
export const FATE_HDR_ERROR = 10;
export const FATE_NO_PROTOCOL = 11;
/** The device is down or has no stack above it. */
export const FATE_DEV_DROP = 12;
/**
 * A source or destination no packet may carry (multicast, broadcast or
 * 0.0.0.0 source, loopback, this host's own address…): dropped by IP's input
 * routing, or ignored by ARP, as Linux does (kernel/route-input.ts).
 */
export const FATE_MARTIAN = 13;
/** Routed on by a host with ip_forward (kernel/ip-forward.ts). */
export const FATE_FORWARDED = 14;
/** A router (ip_forward on) has no route for it: ICMP net unreachable goes back. */
export const FATE_NO_ROUTE = 15;
/**
 * Forwarded, then dropped: ARP for the next hop got no answer (its sender hears ICMP host
 * unreachable). Written over the frame's `forwarded` record (`FateLog.amend`).
 */
export const FATE_NEIGH_FAILED = 16;

/** The fates' words, by index (drop-reason.ts is the table). */
export const FATE_NAMES = FATES.map((f) => f.name);

/** The same stages as JSON keys (the CLI's --json report). */
export const FATE_KEYS = FATES.map((f) => f.key);

const CAPACITY = 1 << 16;
/**
 * Records a log holds at first; it doubles up to CAPACITY as they come. A lab
 * of 256 hosts whose each sees a few thousand frames then holds a few MiB of
 * logs, not 384 MiB (1.5 MiB each), which it would touch page by page.
 */
const FIRST_CAPACITY = 1 << 10;
/**
 * A record's slots: wire number, time, and stage + STAGE_UNIT × (socket id + 1) + IIF_UNIT ×
 * ifindex (the stage in 5 bits: up to 32 rows in the drop-reason table).
 */
const STRIDE = 3;
/** Where the receiving interface's index starts in the third slot (socket ids stay below 2^32). */
const STAGE_UNIT = 32;
const IIF_UNIT = 2 ** 37;

/** What a buffer's record needs of it: its wire number and the interface it came in on. */
export interface FateSkb {
  readonly wireSeq: number;
  readonly iif: number;
}

/** A frame's recorded fate at one host (and interface, when known). */
export interface FateRecord {
  stage: string;
  time: number;
  /** The receiving socket's id, or -1. */
  socket: number;
  /** The ifindex of the interface it came in on, 0 when not known. */
  iif: number;
}
/** How far from the binary search's landing point a record may sit (out-of-order writes). */
const NEAR = 512;
/**
 * Slots at the head of `FateLog.records` holding the totals per stage, before the first record:
 * a host's every fate then writes to one typed array, not two (each its own object to reach,
 * a cache miss per host and frame on a segment of hundreds of hosts).
 */
const HEAD = FATE_NAMES.length;

/**
 * Fates of the last 65,536 frames a host saw, in one typed array (no object
 * per frame; a record's three numbers sit side by side, so writing one touches
 * one place in memory, not four arrays), plus a total per stage since the start.
 */
export class FateLog {
  /** Callbacks that add counts kept elsewhere (a medium's batched filter rejects) before a read. */
  private readonly collectors: (() => void)[] = [];
  /** Records written since the start; the ring holds the last CAPACITY. */
  written = 0;
  /** The totals per stage (HEAD slots), then the records. */
  private records = new Float64Array(HEAD + FIRST_CAPACITY * STRIDE);
  /** Records `records` holds (a power of two, up to CAPACITY). */
  private capacity = FIRST_CAPACITY;

  /**
   * `seq` is the frame's number on the wire; `socket` the receiving socket's
   * id or -1; `iif` the ifindex of the card it came in on (Linux's skb_iif),
   * so a host with two cards on the segment says which card's copy it was.
   */
  record(seq: number, time: number, stage: number, socket = -1, iif = 0): void {
    // A buffer that never was a wire frame (a multicast looped back to its sender's host).
    if (seq < 0) return;
    if (this.written === this.capacity && this.capacity < CAPACITY) this.grow();
    const i = HEAD + (this.written++ & (this.capacity - 1)) * STRIDE;
    const r = this.records;
    r[i] = seq;
    r[i + 1] = time;
    r[i + 2] = stage + STAGE_UNIT * (socket + 1) + IIF_UNIT * iif;
    r[stage]++;
  }

  /** Doubles the log before its first wrap: every record keeps its place (record number mod capacity). */
  private grow(): void {
    this.capacity *= 2;
    const bigger = new Float64Array(HEAD + this.capacity * STRIDE);
    bigger.set(this.records);
    this.records = bigger;
  }

  /** `record` for a received buffer. */
  recordSkb(skb: FateSkb, time: number, stage: number, socket = -1): void {
    this.record(skb.wireSeq, time, stage, socket, skb.iif);
  }

  /** The recorded fate of frame `seq` (at interface `iif`, when given and recorded), or null. */
  find(seq: number, iif = 0): FateRecord | null {
    const i = this.locate(seq, iif);
    if (i < 0) return null;
    const { stage, socket, iif: recIif } = this.unpack(this.records[i + 2]);
    return { stage: FATE_NAMES[stage], time: this.records[i + 1], socket, iif: recIif };
  }

  /**
   * Rewrites the fate of frame `seq` (received on `iif`) from `from` to `to`: a buffer that
   * went on its way (a router forwarded it) and was dropped later, when its next hop's ARP
   * failed (`SKB_DROP_REASON_NEIGH_FAILED`). The totals move with it; nothing when the record
   * is gone or says something else (another fragment of the datagram already moved it).
   */
  amend(seq: number, iif: number, from: number, to: number): void {
    const i = this.locate(seq, iif);
    if (i < 0) return;
    const packed = this.records[i + 2];
    const { stage } = this.unpack(packed);
    if (stage !== from) return;
    this.records[i + 2] = packed - from + to;
    this.records[from]--;
    this.records[to]++;
  }

  private unpack(packed: number): { stage: number; socket: number; iif: number } {
    const iif = Math.floor(packed / IIF_UNIT);
    const rest = packed - iif * IIF_UNIT;
    const stage = rest % STAGE_UNIT;
    return { stage, socket: (rest - stage) / STAGE_UNIT - 1, iif };
  }

  /**
   * Where frame `seq`'s record (at interface `iif`, when given and recorded) sits in
   * `records`, or -1. Records are written nearly in wire order (a ring overflow can record a
   * frame before earlier ones still in the ring), so a binary search lands close and a short
   * scan around it finds the record: O(log n), not a scan of the log.
   */
  private locate(seq: number, iif: number): number {
    const n = Math.min(this.written, this.capacity);
    const first = this.written - n; // record number of the oldest kept
    const rec = this.records;
    const mask = this.capacity - 1;
    const at = (r: number) => HEAD + (r & mask) * STRIDE;
    let lo = first;
    let hi = this.written - 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi + 1) / 2);
      if (rec[at(mid)] <= seq) lo = mid;
      else hi = mid - 1;
    }
    for (let d = 0; d <= NEAR; d++) {
      for (const r of d === 0 ? [lo] : [lo - d, lo + d]) {
        if (r < first || r >= this.written) continue;
        const i = at(r);
        if (rec[i] !== seq) continue;
        const recIif = Math.floor(rec[i + 2] / IIF_UNIT);
        if (iif !== 0 && recIif !== 0 && recIif !== iif) continue; // the other card's copy
        return i;
      }
    }
    return -1;
  }

  /**
   * Counts a fate without recording the frame: for the hardware filter's
   * rejects, which on a busy segment are most frames at most hosts. Recording
   * each would cost a cache miss per host per frame; a frame of the wire with
   * no record at a host whose card was up was rejected by that card.
   */
  count(stage: number, n = 1): void {
    this.records[stage] += n;
  }

  /** Registers a callback that brings counts kept elsewhere in (`count`) before totals are read. */
  onRead(collect: () => void): void {
    this.collectors.push(collect);
  }

  /** Frames per stage since the start (a copy). */
  get totals(): Float64Array {
    this.collect();
    return this.records.slice(0, HEAD);
  }

  total(stage: number): number {
    this.collect();
    return this.records[stage];
  }

  private collect(): void {
    for (let i = 0; i < this.collectors.length; i++) this.collectors[i]();
  }
}
