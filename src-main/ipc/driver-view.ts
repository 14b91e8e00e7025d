// What the driver editor sees: a student driver's source, the card it drives (its register
// map), the kernel API it may call, and the last oops it caused, with the line to show.
import { z } from 'zod';

/** One register of a register-level card, for the editor's register map. */
export const cardRegisterSchema = z.object({
  name: z.string(),
  /** Offset from the card's base (I/O port or memory-mapped window). */
  offset: z.number(),
  /** Which page (the DP8390's CR.PS), or null when the card has none. */
  page: z.number().nullable(),
  doc: z.string(),
});

/** One name of the kernel API a driver calls through `k`. */
export const kernelApiEntrySchema = z.object({
  name: z.string(),
  /** How it is called: `netdev_alloc_skb(dev, len)`. */
  signature: z.string(),
  doc: z.string(),
});

/** A driver bug the kernel caught: what, and where in the student's source. */
export const oopsSchema = z.object({
  /** The kernel's report, as `dmesg` would show it. */
  message: z.string(),
  /** Its first words alone, for a notice: `Oops: watchdog: hard LOCKUP in interrupt`. */
  title: z.string(),
  /** 1-based line in the driver's source, or null when no line is known. */
  line: z.number().nullable(),
  /** The driver op or handler that was running: `startXmit`, `interrupt`. */
  op: z.string().nullable(),
  /** The student's stack, innermost first, as QuickJS reports it. */
  stack: z.string(),
  timeNs: z.number(),
});
export type OopsView = z.infer<typeof oopsSchema>;

/** A device driven by a student driver. */
export const driverRefSchema = z.object({
  host: z.string(),
  dev: z.string(),
  /** The driver's file name as the lab file names it (`tulip.js`). */
  file: z.string(),
  /** The card's kind (`tulip`, `ne2000`). */
  card: z.string(),
});
export type DriverRef = z.infer<typeof driverRefSchema>;

export const driverSourceSchema = driverRefSchema.extend({
  /** The source the lab runs now. */
  text: z.string(),
  registers: z.array(cardRegisterSchema),
  api: z.array(kernelApiEntrySchema),
  /** Ops the driver may export, in the order Linux's net_device_ops lists them. */
  ops: z.array(z.string()),
  /** The oopses this driver caused since it was loaded, oldest first (at most a few). */
  oopses: z.array(oopsSchema),
});
export type DriverSourceView = z.infer<typeof driverSourceSchema>;

/** What a reload answers: the driver as now loaded, or the oops that stopped it. */
export const driverReloadSchema = z.union([
  z.object({ ok: z.literal(true), driver: driverSourceSchema }),
  z.object({ ok: z.literal(false), oops: oopsSchema }),
]);
