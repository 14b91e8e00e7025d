// The first bytes of the last frames on the wire, kept by a tap on the segment so the `wire` event
// can say what each frame was (`NETLAB 239.1.1.24`): the wire's log keeps no bytes, and a frame's
// buffer is reused once it has passed. The tap is on only while frames are drawn (paused, or a
// real-time speed): at 'max' the segment carries no tap for it.
//
// Slot `seq & (SLOTS - 1)` holds frame `seq`, as in the wire log: a write is one copy, a lookup one
// index. SLOTS covers a push's 64 frames with room for those still in flight.
import { summarize, type Summary } from '../lab/capture/dissect';
import type { PhyFrame } from '../lab/drivers/phy';
import type { Segment, WireTap } from '../lab/segment/segment';
import { ETH_FCS_LEN, ETH_HLEN } from '../lab/wire/ethernet';

const SLOTS = 256;
/** Enough for Ethernet, IPv4 with options, UDP and netlab's payload header, or an IGMP report. */
const HEADER_BYTES = 128;

export class WireHeaders {
  private readonly seq = new Float64Array(SLOTS);
  /** Bytes kept, and the frame's length without its FCS. */
  private readonly kept = new Uint16Array(SLOTS);
  private readonly length = new Uint16Array(SLOTS);
  private readonly bytes = new Uint8Array(SLOTS * HEADER_BYTES);
  private segment: Segment | null = null;

  private readonly tap: WireTap = (frame) => this.keep(frame);

  /** Starts (or stops) keeping the headers of `segment`'s frames as they end. */
  attach(segment: Segment | null): void {
    if (segment === this.segment) return;
    if (this.segment) {
      const i = this.segment.taps.indexOf(this.tap);
      if (i >= 0) this.segment.taps.splice(i, 1);
    }
    this.segment = segment;
    if (segment) segment.taps.push(this.tap);
  }

  get attached(): boolean {
    return this.segment !== null;
  }

  /** Keeps the first bytes of `frame` (a tap sees each frame as it ends; `keep` may come earlier). */
  keep(frame: PhyFrame): void {
    const i = frame.seq & (SLOTS - 1);
    const len = frame.len >= ETH_HLEN + ETH_FCS_LEN ? frame.len - ETH_FCS_LEN : frame.len;
    const n = Math.min(len, HEADER_BYTES);
    this.seq[i] = frame.seq;
    this.kept[i] = n;
    this.length[i] = len;
    this.bytes.set(frame.buf.subarray(0, n), i * HEADER_BYTES);
  }

  /** The packet list's columns for frame `seq`, or null when its bytes were not kept. */
  summary(seq: number): Summary | null {
    const i = seq & (SLOTS - 1);
    if (seq <= 0 || this.seq[i] !== seq) return null;
    const at = i * HEADER_BYTES;
    return summarize(this.bytes.subarray(at, at + this.kept[i]), this.kept[i], this.length[i]);
  }
}
