// The `wire` event for a lab of several segments: one WireFeed per segment. The first segment's
// frames stay the event's own fields (a lab of one segment is unchanged); every other segment's
// push follows in `others`, under its name, so a window can draw each segment's frames on it.
// The push budget is shared: all segments together take no longer than one did.
import type { SocketNamer } from '../lab/follow';
import type { Lab } from '../lab/lab';
import type { WireFramesView } from '../ipc/wire-view';
import { WIRE_PUSH_BUDGET_MS, WireFeed } from './wire-feed';

export class WireFeeds {
  private readonly feeds: WireFeed[];

  constructor(lab: Lab) {
    this.feeds = lab.segments.length > 0 ? lab.segments.map((s) => new WireFeed(lab, s)) : [];
    if (this.feeds.length === 0) this.feeds.push(new WireFeed(lab));
  }

  get detailed(): boolean {
    return this.feeds[0].detailed;
  }

  set detailed(on: boolean) {
    for (const f of this.feeds) f.detailed = on;
  }

  close(): void {
    for (const f of this.feeds) f.close();
  }

  /** `speed`: the real-time speed the clock runs at, null paused or at 'max' (WireFeed.push). */
  push(
    socketName: SocketNamer,
    budgetMs = WIRE_PUSH_BUDGET_MS,
    speed: number | null = null,
  ): WireFramesView {
    const share = budgetMs / this.feeds.length;
    const [first, ...rest] = this.feeds;
    const view = first.push(socketName, share, speed);
    if (rest.length === 0) return view;
    return {
      ...view,
      others: rest.map((f) => ({ segment: f.segment.name, ...f.push(socketName, share, speed) })),
    };
  }
}
