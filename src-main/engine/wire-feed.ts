// The `wire` event's contents: the frames that went on the segment since the last push, each with
// what it was and what every station made of it, and the segment's load over the interval.
//
// Nothing here runs per frame. The list is built at push time from the segment's wire log (the
// last 64 frames begun at most, fewer if working them out would take over 3 ms) and
// lab/follow.ts's account of each; the frames' first bytes come
// from WireHeaders' tap, which is attached only while frames are drawn (paused, or a real-time
// speed). At 'max' no frame is listed and the segment carries no tap for this.
import { performance } from 'node:perf_hooks';
import { followWireFrame, type SocketNamer } from '../lab/follow';
import type { Lab } from '../lab/lab';
import {
  WIRE_COLLISION,
  WIRE_CORRUPTED,
  WIRE_LOST,
  WIRE_OK,
  type Segment,
} from '../lab/segment/segment';
import { WIRE_IN_FLIGHT } from '../lab/segment/wire-log';
import { tooDense } from '../ipc/wire-density';
import type { WireFrameView, WireFramesView, WireOutcome } from '../ipc/wire-view';
import { WireHeaders } from './wire-headers';
import { verdictSettled, wireVerdict } from './wire-verdict';

/** Frames listed in one push at most (the latest begun first, then updates of earlier ones). */
export const MAX_WIRE_FRAMES = 64;
/** Wall time one push may spend working out its frames' verdicts… */
export const WIRE_PUSH_BUDGET_MS = 3;
/** …once it has this many: a step's frames (a collision's colliders) are always all listed. */
export const WIRE_FRAMES_ALWAYS = 8;

const OUTCOMES: Record<number, WireOutcome> = {
  [WIRE_OK]: 'ok',
  [WIRE_COLLISION]: 'collision',
  [WIRE_CORRUPTED]: 'corrupted',
  [WIRE_LOST]: 'lost',
  [WIRE_IN_FLIGHT]: 'in flight',
};

export class WireFeed {
  private readonly headers = new WireHeaders();
  /** The last frame begun at the previous push. */
  private pushedUpTo: number;
  /** Frames begun before this one went by while frames were not drawn: their bytes are unknown. */
  private detailFrom: number;
  /** Listed frames whose fate may still move on (in flight, or waiting in a host's queue). */
  private unsettled: number[] = [];
  private lastTimeNs: number;
  private lastBusyNs: number;
  private lastCollisions: number;
  private lastUtilisation = 0;

  constructor(
    private readonly lab: Lab,
    /** The segment whose frames it lists (the lab's first unless told). */
    readonly segment: Segment = lab.segment,
  ) {
    const seg = segment;
    this.pushedUpTo = seg.lastFrameSeq;
    this.detailFrom = seg.lastFrameSeq + 1;
    this.lastTimeNs = lab.now;
    this.lastBusyNs = seg.stats.busyNs;
    this.lastCollisions = seg.stats.collisions;
  }

  /** Whether frames are listed (and their bytes kept): off at 'max' speed. */
  get detailed(): boolean {
    return this.headers.attached;
  }

  set detailed(on: boolean) {
    if (on === this.detailed) return;
    this.headers.attach(on ? this.segment : null);
    if (on) this.detailFrom = this.segment.lastFrameSeq + 1;
    else this.unsettled = [];
  }

  /** The lab is closing: take the tap off its segment. */
  close(): void {
    this.detailed = false;
  }

  /**
   * What went on the wire since the last call. Working out every station's verdict costs tens of
   * µs a frame: a push lists frames (newest first) for `budgetMs` of wall time at most, so a busy
   * interval at a real-time speed costs the engine a few ms a push (its frames are too many to
   * draw anyway). The newest WIRE_FRAMES_ALWAYS frames are always listed.
   *
   * `speed`: the real-time speed the clock runs at (null: paused, or at 'max'). An interval with
   * more frames than the window draws one by one at that speed (tooDense) lists no new frame:
   * the window lets the bus glow with its load instead, so their verdicts would be wasted work
   * (at 1× under a line-rate flood, 3 ms of every 100). Frames listed before still get updates.
   */
  push(
    socketName: SocketNamer,
    budgetMs = WIRE_PUSH_BUDGET_MS,
    speed: number | null = null,
  ): WireFramesView {
    const seg = this.segment;
    const now = this.lab.now;
    const newest = seg.lastFrameSeq;
    const begun = newest - this.pushedUpTo;
    const frames: WireFrameView[] = [];
    if (this.detailed) {
      const deadline = performance.now() + budgetMs;
      const over = () => frames.length >= WIRE_FRAMES_ALWAYS && performance.now() >= deadline;
      const dense =
        speed !== null && tooDense({ begun, sinceNs: this.lastTimeNs, simTimeNs: now }, speed);
      const from = dense
        ? newest + 1
        : Math.max(this.pushedUpTo + 1, newest - MAX_WIRE_FRAMES + 1, this.detailFrom);
      for (let seq = newest; seq >= from && !over(); seq--) {
        const f = this.frame(seq, socketName);
        if (f) frames.push(f);
      }
      frames.reverse();
      // Then frames of earlier pushes whose fate may have moved on, newest first, in what is left.
      const room = MAX_WIRE_FRAMES - frames.length;
      const earlier = room > 0 ? this.unsettled.filter((seq) => seq < from).slice(-room) : [];
      const stillOpen: number[] = [];
      const updates: WireFrameView[] = [];
      while (earlier.length > 0) {
        if (over()) {
          stillOpen.push(...earlier);
          break;
        }
        const f = this.frame(earlier.pop()!, socketName);
        if (f) updates.push(f);
      }
      frames.unshift(...updates.reverse());
      const open = (f: WireFrameView) =>
        f.outcome === 'in flight' || f.stations.some((s) => !verdictSettled(s.verdict));
      this.unsettled = [...stillOpen, ...frames.filter(open).map((f) => f.seq)].slice(
        -MAX_WIRE_FRAMES,
      );
    }
    const listedNew = frames.filter((f) => f.seq > this.pushedUpTo).length;
    const dt = now - this.lastTimeNs;
    if (dt > 0) this.lastUtilisation = Math.min(1, (seg.stats.busyNs - this.lastBusyNs) / dt);
    const view: WireFramesView = {
      sinceNs: this.lastTimeNs,
      simTimeNs: now,
      frames,
      begun,
      skipped: begun - listedNew,
      utilisation: this.lastUtilisation,
      collisions: seg.stats.collisions - this.lastCollisions,
    };
    this.pushedUpTo = newest;
    this.lastTimeNs = now;
    this.lastBusyNs = seg.stats.busyNs;
    this.lastCollisions = seg.stats.collisions;
    return view;
  }

  private frame(seq: number, socketName: SocketNamer): WireFrameView | null {
    const seg = this.segment;
    const rec = seg.wireLog.find(seq);
    const fate = rec && followWireFrame(this.lab, seq, socketName, seg);
    if (!rec || !fate) return null;
    // A frame still being sent is in its sender's hands: its bytes can be read there.
    const sending = seg.stations[rec.sender]?.frame;
    if (sending && sending.seq === seq) this.headers.keep(sending);
    const s = this.headers.summary(seq);
    return {
      seq,
      sender: fate.sender,
      startNs: rec.startTime,
      endNs: Number.isNaN(rec.endTime) ? null : rec.endTime,
      outcome: OUTCOMES[rec.outcome] ?? 'in flight',
      protocol: s?.protocol ?? '',
      summary: s ? wireLabel(s) : '',
      info: s?.info ?? '',
      stations: fate.stations.map((st) => ({
        station: st.host === null ? st.dev : `${st.host}:${st.dev}`,
        verdict: wireVerdict(st.fate),
        fate: st.fate,
        detail: st.detail,
      })),
    };
  }
}

/** ARP's Info column, shortened for a label, by the pattern it starts with. */
const ARP_LABELS: [RegExp, (addr: string) => string][] = [
  [/^Who has ([\d.]+)\?/, (a) => `ARP who-has ${a}`],
  [/^([\d.]+) is at /, (a) => `ARP ${a} is-at`],
  [/^ARP Announcement for ([\d.]+)/, (a) => `ARP announce ${a}`],
  [/^Gratuitous ARP for ([\d.]+)/, (a) => `ARP gratuitous ${a}`],
];

/** `NETLAB 239.1.1.24`, `ARP who-has 10.0.0.3`, `ARP announce 10.0.0.1`. */
export function wireLabel(s: { protocol: string; destination: string; info: string }): string {
  if (s.protocol === 'ARP') {
    for (const [pattern, text] of ARP_LABELS) {
      const m = pattern.exec(s.info);
      if (m) return text(m[1]);
    }
  }
  return s.destination ? `${s.protocol} ${s.destination}` : s.protocol;
}
