// For a frame step: has a frame on the wire ended since the watch began? A frame ends when its
// outcome is in the segment's wire log: its last bit has passed every station (delivered,
// corrupted or lost), or its sender's jam ended after a collision. The frames still on the wire
// when the watch begins are the latest few (a collision's colliders, a frame and its
// propagation): those are watched, and every frame begun since.
import type { Segment } from '../lab/segment/segment';
import { WIRE_IN_FLIGHT } from '../lab/segment/wire-log';

/** How far back to look for frames still on the wire: more than a collision's colliders. */
const LOOK_BACK = 64;

export class FrameEndWatch {
  private readonly inFlight: number[] = [];
  private readonly newestAtStart: number;

  constructor(private readonly segment: Segment) {
    const log = segment.wireLog;
    this.newestAtStart = segment.lastFrameSeq;
    const oldest = Math.max(1, this.newestAtStart - LOOK_BACK + 1);
    for (let seq = oldest; seq <= this.newestAtStart; seq++)
      if (log.outcomeOf(seq) === WIRE_IN_FLIGHT) this.inFlight.push(seq);
  }

  /** Whether a watched frame, or one begun since, has ended. */
  ended(): boolean {
    const log = this.segment.wireLog;
    for (const seq of this.inFlight) if (log.outcomeOf(seq) !== WIRE_IN_FLIGHT) return true;
    const newest = this.segment.lastFrameSeq;
    for (let seq = this.newestAtStart + 1; seq <= newest; seq++) {
      const outcome = log.outcomeOf(seq);
      if (outcome !== WIRE_IN_FLIGHT && outcome >= 0) return true;
    }
    return false;
  }
}
