// What the engine pushes without being asked: statistics while the clock runs, shell output as
// it is printed, and the engine's own fate (a crashed worker, and its restart).
import { z } from 'zod';
import { driverRefSchema, oopsSchema } from './driver-view';
import { labViewSchema, runStateSchema, statsSchema } from './views';
import { wireFramesSchema } from './wire-view';

export const apiEvents = {
  /** About 10 a second while the lab runs, and once after each change while paused. */
  stats: statsSchema,
  /**
   * With every `stats`: the frames that went on the segment since the last one (each with what it
   * was and every station's verdict; none at 'max' speed) and the segment's load meanwhile.
   */
  wire: wireFramesSchema,
  /** The clock started, paused, stepped or changed speed. */
  run: runStateSchema,
  /** A lab was loaded, created or restored: the UI should redraw from this view. */
  lab: labViewSchema,
  /**
   * The lab gained or lost changes its file does not hold, without a new lab view (a generator
   * made, a save). A `lab` event's view says it too.
   */
  unsaved: z.object({ unsaved: z.boolean() }),
  /**
   * What the kernel said about student drivers since the last push (an oops, a warning: a leak,
   * a double free), oldest first, as it happens: while the lab runs, after a request. The window
   * shows it without being asked.
   */
  'driver.report': z.object({
    reports: z.array(driverRefSchema.extend({ oops: oopsSchema })),
  }),
  /** Lines a shell job printed after its `shell.exec` reply (ping's replies). */
  'shell.output': z.object({ host: z.string(), job: z.number(), lines: z.array(z.string()) }),
  'shell.done': z.object({
    host: z.string(),
    job: z.number(),
    exitCode: z.number(),
    prompt: z.string(),
  }),
  /**
   * The engine's worker died (`crashed`), was restarted with the last saved lab (`restarted`),
   * or could not be (`failed`). Requests in flight when it died get error replies. `stopped`:
   * the engine stopped the lab (its clock and capture) before running out of memory.
   */
  engine: z.object({
    state: z.enum(['crashed', 'restarted', 'failed', 'stopped']),
    message: z.string(),
  }),
} as const;

export type EventName = keyof typeof apiEvents;
export type EventData<K extends EventName> = z.output<(typeof apiEvents)[K]>;

/** An event as it crosses a boundary. */
export type ApiEvent = { [K in EventName]: { event: K; data: EventData<K> } }[EventName];

export const apiEventSchema = z.object({
  event: z.enum(Object.keys(apiEvents) as [EventName, ...EventName[]]),
  data: z.unknown(),
});
