// What `capture.follow` answers: one wire frame's fate at every station of the segment (see
// lab/follow.ts), with where each station's capture holds its copy of the frame.
import { z } from 'zod';

/** A copy of the frame in the capture: its number, and its row in the packet list as shown. */
export const capturedCopySchema = z.object({
  no: z.number(),
  /** Position in the displayed list; null while the display filter hides it (or has yet to test it). */
  index: z.number().nullable(),
});
export type CapturedCopy = z.infer<typeof capturedCopySchema>;

export const stationFateSchema = z.object({
  /** The host, or null for an external port. */
  host: z.string().nullable(),
  dev: z.string(),
  /** In the Fate column's words: `sent`, `hardware filter`, `delivered`, `group not joined`… */
  fate: z.string(),
  /** Why: `hash bin 19 not set (bins set: 4, 31)`, `delivered to socket 3 (…)`. */
  detail: z.string(),
  socket: z.number().nullable(),
  /** Each step with its simulated time (ns): on the wire, the card's verdict, the kernel's. */
  stages: z.array(z.object({ what: z.string(), timeNs: z.number() })),
  /** The frame in this interface's own capture point, when it is captured there. */
  captured: capturedCopySchema.nullable(),
});
export type StationFateView = z.infer<typeof stationFateSchema>;

/** The frame on a further segment a bridge forwarded it to, and its fate at each station there. */
export const followHopSchema = z.object({
  segment: z.string(),
  seq: z.number(),
  outcome: z.string(),
  sender: z.string(),
  /** The copy in that segment's own capture point, when it is captured there. */
  segmentCopy: capturedCopySchema.nullable().optional(),
  stations: z.array(
    z.object({
      host: z.string().nullable(),
      dev: z.string(),
      fate: z.string(),
      detail: z.string(),
      /** The copy its card's capture point took in, when captured there. */
      captured: capturedCopySchema.nullable().optional(),
    }),
  ),
});
export type FollowHop = z.infer<typeof followHopSchema>;

export const frameFollowSchema = z.object({
  /** The frame asked about, and its number on the wire. */
  no: z.number(),
  seq: z.number(),
  /** `on the wire`, `collision`, `corrupted (bad FCS)`, `lost on the wire` or `in flight`. */
  outcome: z.string(),
  /** `host:dev` that sent it (or an external port's name). */
  sender: z.string(),
  destination: z.string(),
  startNs: z.number(),
  /** When its last bit had passed every station; null while it is in flight. */
  endNs: z.number().nullable(),
  /** The frame in the segment's capture point, when it is captured there. */
  segment: capturedCopySchema.nullable(),
  stations: z.array(stationFateSchema),
  /**
   * The segment the frame was on, and the further segments bridges forwarded it to (each with
   * the bridge's copy and its fate there), in the order the frame reached them.
   */
  segmentName: z.string().optional(),
  hops: z.array(followHopSchema).optional(),
});
export type FrameFollow = z.infer<typeof frameFollowSchema>;
