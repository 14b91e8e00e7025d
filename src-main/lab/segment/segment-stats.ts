/** What a tap on the segment counts. */
export class SegmentStats {
  /** Frames sent without collision. */
  frames = 0;
  bytes = 0;
  /** Collision events (two or more stations transmitting at once). */
  collisions = 0;
  /** Frames given up after 16 collisions. */
  aborted = 0;
  lateCollisions = 0;
  /** Frames lost to the loss fault. */
  lost = 0;
  /** Frames hit by a bit error (every receiver sees a bad FCS). */
  corrupted = 0;
  /** Frames handed to receiving NICs (one frame to 7 NICs is 7). */
  deliveries = 0;
  /** Nanoseconds the medium carried a signal. */
  busyNs = 0;
}
