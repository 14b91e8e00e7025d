import type { Host } from '../host/host';
import { devSetPromiscuity } from '../netdev/dev';

import type { NetDevice, PacketTap } from '../netdev/net-device';
import { WIRE_COLLISION, WIRE_OK, type Segment, type WireTap } from '../segment/segment';
import { ETH_FCS_LEN, ETH_HLEN } from '../wire/ethernet';
import { summarize } from './dissect';
import { addNs, EPOCH, formatExact, type ExactTime } from './time';
import {
  DIR_IN,
  DIR_OUT,
  DIR_UNKNOWN,
  FrameStore,
  MAX_POINT_ID,
  type RingLimits,
} from './frame-store';

/** Where a capture listens: a host's device (like tcpdump -i) or the whole segment (a tap). */
export type CapturePoint =
  | { kind: 'device'; name: string; host: Host; dev: NetDevice }
  | { kind: 'segment'; name: string; segment: Segment }
  /** An interface of an imported file: nothing to listen to, only frames to read. */
  | { kind: 'file'; name: string; description?: string };

/** Decides, from a frame's bytes, whether to store it (a capture filter). */
export type CaptureFilter = (bytes: Uint8Array, at: number, len: number) => boolean;

export interface CaptureOptions {
  /** Bytes kept of each frame (tcpdump -s). */
  snaplen?: number;
  ring?: RingLimits;
  filter?: CaptureFilter | null;
  /** Put captured devices in promiscuous mode while capturing (tcpdump's default; off here). */
  promisc?: boolean;
  /** The instant the store's times count from (time.ts): the lab's start (1970) unless given. */
  origin?: ExactTime;
  /**
   * The frames are the lab's, so an NLAB payload is a generator's: true unless every point is a
   * file's (an import says whether the lab wrote the file).
   */
  fromLab?: boolean;
}

/** One row of the packet list. */
export interface CaptureRow {
  no: number;
  /** ns since the capture's origin: the lab's simulated time, or since an imported file's first frame. */
  timeNs: number;
  /** The exact instant (origin + timeNs, whole ns) as epoch seconds: `1700000000.010000000`. */
  epoch: string;
  point: string;
  direction: 'in' | 'out' | '';
  wireLength: number;
  capturedLength: number;
  /** What became of the frame: the host's recorded fate, 'sent', or the wire outcome. */
  fate: string;
  /** Wireshark's summary columns. */
  source: string;
  destination: string;
  protocol: string;
  info: string;
}

const exact = { sec: 0, nsec: 0 };

const WIRE_OUTCOMES = ['on the wire', 'collision', 'corrupted (bad FCS)', 'lost on the wire'];

/**
 * A capture over one or more points, storing frames in a `FrameStore`. Device
 * points see what the stack sees (frames the NIC let in, including those the
 * kernel then drops; frames the stack sends). The segment point sees every
 * frame on the wire, collided and corrupted ones too.
 */
export class Capture {
  readonly store: FrameStore;
  /** The instant store times count from (see time.ts). */
  readonly origin: ExactTime;
  /** See CaptureOptions.fromLab. */
  readonly fromLab: boolean;
  /** Frames a point saw but the capture filter refused. */
  filtered = 0;
  running = false;
  private readonly snaplen: number;
  private readonly filter: CaptureFilter | null;
  private readonly promisc: boolean;
  private readonly devTaps: PacketTap[] = [];
  private readonly wireTaps: WireTap[] = [];
  /**
   * The segment each point is on, as this capture counts them (0, 1…), taken at start: frames
   * are numbered per segment, so a copy is shared only between points on the same one.
   */
  private wireOf: number[] = [];
  /** Packet comments of imported frames (their fates, when the lab wrote the file). */
  private readonly comments = new Map<number, string>();
  /**
   * Exact times of imported frames more than 2^53 ns (104 days) from the origin, which the
   * store's double cannot hold exactly (a merged file of captures years apart); the store keeps
   * the nearest double for them, for ordering and filters.
   */
  private readonly far = new Map<number, ExactTime>();

  constructor(
    readonly points: CapturePoint[],
    private readonly clock: { readonly now: number },
    options: CaptureOptions = {},
  ) {
    if (points.length === 0) throw new RangeError('a capture needs at least one capture point');
    if (points.length > MAX_POINT_ID + 1) {
      throw new RangeError(
        `a capture holds at most ${MAX_POINT_ID + 1} capture points, not ${points.length}`,
      );
    }
    this.snaplen = options.snaplen ?? 262144;
    if (!(this.snaplen >= 14 && this.snaplen <= 262144)) {
      throw new RangeError(`snaplen ${this.snaplen} is out of range (14 to 262144)`);
    }
    this.filter = options.filter ?? null;
    this.promisc = options.promisc ?? false;
    this.store = new FrameStore(options.ring);
    this.origin = options.origin ?? EPOCH;
    this.fromLab = options.fromLab ?? !points.every((p) => p.kind === 'file');
    points.forEach((p, id) => {
      if (p.kind === 'device') {
        this.devTaps[id] = (skb, _dev, outgoing) => {
          const at = outgoing ? skb.data : skb.macHeader;
          const dir = outgoing ? DIR_OUT : DIR_IN;
          this.keep(id, dir, skb.buf, at, skb.tail - at, skb.wireSeq, 0, outgoing ? skb.id : 0);
        };
      } else if (p.kind === 'segment') {
        this.wireTaps[id] = (frame, outcome, wireLen) => {
          // Whole frames are stored without their FCS, as captures on Linux are (LINKTYPE_ETHERNET);
          // a collision fragment is kept as far as it got, and so is a runt too short to hold
          // a header and an FCS (injected raw: its length would go negative).
          const len =
            outcome === WIRE_COLLISION || wireLen < ETH_HLEN + ETH_FCS_LEN
              ? wireLen
              : wireLen - ETH_FCS_LEN;
          // Only an intact frame is the bytes its sender's buffer held (a bit error changed them).
          const sent = outcome === WIRE_OK ? frame.txSkbId : 0;
          this.keep(id, DIR_UNKNOWN, frame.buf, 0, len, frame.seq, outcome, sent);
        };
      }
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const ids = new Map<Segment | undefined, number>();
    const idOf = (seg: Segment | undefined) => {
      if (!ids.has(seg)) ids.set(seg, ids.size);
      return ids.get(seg)!;
    };
    this.wireOf = this.points.map((p) => {
      if (p.kind === 'segment') return idOf(p.segment);
      if (p.kind !== 'device') return 0;
      const nic = p.host.nics.find((n) => n.dev === p.dev);
      return idOf(nic && p.host.cableOf(nic)?.segment);
    });
    this.points.forEach((p, id) => {
      if (p.kind === 'device') {
        p.dev.taps.push(this.devTaps[id]);
        if (this.promisc) devSetPromiscuity(p.dev, 1);
      } else if (p.kind === 'segment') {
        p.segment.taps.push(this.wireTaps[id]);
      }
    });
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.points.forEach((p, id) => {
      if (p.kind === 'device') {
        remove(p.dev.taps, this.devTaps[id]);
        if (this.promisc) devSetPromiscuity(p.dev, -1);
      } else if (p.kind === 'segment') {
        remove(p.segment.taps, this.wireTaps[id]);
      }
    });
  }

  clear(): void {
    this.store.clear();
    this.comments.clear();
    this.far.clear();
    this.filtered = 0;
  }

  /**
   * Adds a frame read from a file (see import.ts) at `timeNs` since the origin; `comment` is its
   * packet comment; `exact` its time when `timeNs` is too far from the origin to be exact.
   */
  addImported(
    pointId: number,
    timeNs: number,
    direction: number,
    data: Uint8Array,
    wireLength: number,
    comment?: string,
    exact?: ExactTime,
  ): number {
    const n = this.store.append(timeNs, pointId, direction, data, 0, data.length, wireLength, 0, 0);
    if (comment !== undefined) this.comments.set(n, comment);
    if (exact !== undefined) this.far.set(n, exact);
    return n;
  }

  /** Frame n's exact time (whole ns) into `out`. */
  instant(n: number, out: { sec: number; nsec: number }): void {
    const t = this.far.size > 0 ? this.far.get(n) : undefined;
    if (t === undefined) {
      addNs(this.origin, this.store.timeOf(n), out);
      return;
    }
    out.sec = t.sec;
    out.nsec = t.nsec;
  }

  /** Rows `from`..`from + count - 1` that are still held (a page of the packet list). */
  rows(from: number, count: number): CaptureRow[] {
    const out: CaptureRow[] = [];
    const s = this.store;
    const end = Math.min(from + count - 1, s.last);
    for (let n = Math.max(from, s.first); n <= end; n++) out.push(this.row(n));
    return out;
  }

  row(n: number): CaptureRow {
    const s = this.store;
    const dir = s.directionOf(n);
    const bytes = s.data(n);
    const summary = summarize(bytes, bytes.length, s.wireLength(n), 0, this.fromLab);
    this.instant(n, exact);
    return {
      no: n,
      timeNs: s.timeOf(n),
      epoch: formatExact(exact),
      point: this.points[s.pointOf(n)].name,
      direction: dir === DIR_IN ? 'in' : dir === DIR_OUT ? 'out' : '',
      wireLength: s.wireLength(n),
      capturedLength: s.capturedLength(n),
      fate: this.fateOf(n),
      source: summary.source,
      destination: summary.destination,
      protocol: summary.protocol,
      info: summary.info,
    };
  }

  /** The frame's fate: for a received frame, what its host recorded for it. */
  fateOf(n: number): string {
    const s = this.store;
    const p = this.points[s.pointOf(n)];
    if (p.kind === 'file') return this.comments.get(n) ?? '';
    if (p.kind === 'segment') return WIRE_OUTCOMES[s.auxOf(n)] ?? 'on the wire';
    if (s.directionOf(n) === DIR_OUT) return 'sent';
    const f = p.host.machine.fates.find(s.wireSeqOf(n), p.dev.ifindex);
    return f ? (f.socket >= 0 ? `${f.stage} (socket ${f.socket})` : f.stage) : 'unknown';
  }

  private keep(
    id: number,
    dir: number,
    buf: Uint8Array,
    at: number,
    len: number,
    seq: number,
    aux: number,
    /** The sent buffer's number (a device sending), or the one the wire frame was made of. */
    sentKey: number,
  ): void {
    if (this.filter !== null && !this.filter(buf, at, len)) {
      this.filtered++;
      return;
    }
    const cap = len < this.snaplen ? len : this.snaplen;
    // A frame is stored once however many points see it: sent, on the wire, received.
    const now = this.clock.now;
    if (seq > 0 && dir !== DIR_OUT)
      this.store.appendWireFrame(
        now,
        id,
        dir,
        buf,
        at,
        cap,
        len,
        seq,
        aux,
        sentKey,
        this.wireOf[id],
      );
    else if (seq === 0 && dir === DIR_OUT && sentKey > 0)
      this.store.appendSent(now, id, dir, buf, at, cap, len, sentKey, aux);
    else this.store.append(now, id, dir, buf, at, cap, len, seq, aux);
  }
}

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
