// The `wire` event: the frames that went on the segment since the last push, so a window can draw
// them travelling the wire (at slow real-time speeds and in steps), and the segment's load over
// that interval. Pushed with every `stats` event. At 'max' speed no frames are listed (too many to
// draw, and the engine keeps nothing per frame for it): only the counts and the load.
import { z } from 'zod';

/**
 * What one station made of a frame, in a word for colouring:
 *   sent       it sent the frame
 *   filtered   its card's filter turned it away
 *   taken      its card took it in; the kernel has yet to deal with it
 *   delivered  its kernel delivered it (to a socket, or consumed it: ARP, ICMP, IGMP), or an
 *              external port passed it to the outside
 *   dropped    its card took it in, then the card or the kernel dropped it (ring full, group not
 *              joined…): work spent on a frame nobody wanted
 *   down       its card was down or its cable unplugged
 *   missed     the frame never reached it whole (a collision, lost on the wire)
 *   pending    the frame is still on its way
 *   unknown    the records no longer go back to this frame
 */
export const wireVerdictSchema = z.enum([
  'sent',
  'filtered',
  'taken',
  'delivered',
  'dropped',
  'down',
  'missed',
  'pending',
  'unknown',
]);
export type WireVerdict = z.infer<typeof wireVerdictSchema>;

export const wireStationSchema = z.object({
  /** `host:dev`, or an external port's name. */
  station: z.string(),
  verdict: wireVerdictSchema,
  /** In the Fate column's words: `hardware filter`, `group not joined`, `delivered`… */
  fate: z.string(),
  /** Why, as a sentence: `hash bin 19 not set (bins set: 4)`. */
  detail: z.string(),
});
export type WireStationView = z.infer<typeof wireStationSchema>;

/** How the frame ended on the wire. */
export const wireOutcomeSchema = z.enum(['ok', 'collision', 'corrupted', 'lost', 'in flight']);
export type WireOutcome = z.infer<typeof wireOutcomeSchema>;

export const wireFrameSchema = z.object({
  /** Its number on the wire (what capture.follow and every fate record call it). */
  seq: z.number(),
  /** The station that sent it: `host:dev` or an external port's name. */
  sender: z.string(),
  /** Simulated ns its first bit went on the wire. */
  startNs: z.number(),
  /** When it ended (its last bit had passed every station, or its jam ended); null in flight. */
  endNs: z.number().nullable(),
  outcome: wireOutcomeSchema,
  /** The packet list's Protocol column (`NETLAB`, `ARP`, `IGMPv2`); '' when its bytes are gone. */
  protocol: z.string(),
  /** A short label: `NETLAB 239.1.1.24`, `ARP who-has 10.0.0.3`. */
  summary: z.string(),
  /** The packet list's Info column. */
  info: z.string(),
  /** Every station but the sender's verdict comes once the frame ended. */
  stations: z.array(wireStationSchema),
});
export type WireFrameView = z.infer<typeof wireFrameSchema>;

export const segmentFramesSchema = z.object({
  /** The simulated interval since the last push: (sinceNs, simTimeNs]. */
  sinceNs: z.number(),
  simTimeNs: z.number(),
  /**
   * Frames that started in the interval (the last 64 at most, fewer when working out their
   * verdicts would hold the engine up more than a few ms: a busy interval), then frames of earlier pushes
   * whose fate has moved on (they ended, or a host's kernel dealt with them): a window replaces
   * what it had of them. Empty at 'max' speed; while running, no frame that started in an
   * interval too dense to draw one by one (wire-density.ts) is listed.
   */
  frames: z.array(wireFrameSchema),
  /** Frames that started in the interval. */
  begun: z.number(),
  /** Of those, how many are not listed: over the bound, or run at 'max' speed. */
  skipped: z.number(),
  /** Share of the interval the medium carried a signal (0..1). */
  utilisation: z.number(),
  /** Collisions in the interval. */
  collisions: z.number(),
});

/**
 * The push: the lab's first segment's frames, and in a lab of several, each other segment's the
 * same way under its name (each segment numbers its frames from 1).
 */
export const wireFramesSchema = segmentFramesSchema.extend({
  others: z.array(segmentFramesSchema.extend({ segment: z.string() })).optional(),
});
export type WireFramesView = z.infer<typeof wireFramesSchema>;
export type SegmentFramesView = z.infer<typeof segmentFramesSchema>;
