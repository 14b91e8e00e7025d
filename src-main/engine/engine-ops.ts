// The operations the engine's worker answers. Most are the API's own (ops.ts), passed through
// unchanged. The few that touch files or dialogs are the host's business (server/api-server.ts):
// it turns them into the worker-only operations below, so that a path never reaches the worker
// from a UI, and the worker never shows a dialog.
import { z } from 'zod';
import { apiOps, MAX_LAB_TEXT, type OpName } from '../ipc/ops';
import { labViewSchema } from '../ipc/views';

/** API operations the worker answers exactly as the API defines them. */
export const PASSTHROUGH_OPS = [
  'lab.new',
  'lab.get',
  'host.add',
  'host.remove',
  'nic.add',
  'nic.remove',
  'iface.get',
  'driver.list',
  'driver.get',
  'driver.reload',
  'iface.up',
  'iface.down',
  'iface.setMac',
  'iface.setMtu',
  'iface.setTxQueueLen',
  'iface.setMap',
  'iface.setFlag',
  'iface.addMulti',
  'iface.delMulti',
  'iface.join',
  'iface.leave',
  'iface.ioctl',
  'shell.exec',
  'shell.interrupt',
  'proc.read',
  'generators.list',
  'generators.set',
  'generators.start',
  'generators.stop',
  'run.start',
  'run.pause',
  'run.step',
  'run.speed',
  'ports.open',
  'run.state',
  'stats.get',
  'capture.start',
  'capture.stop',
  'capture.clear',
  'capture.rows',
  'capture.row',
  'capture.follow',
  'capture.filter',
  'exercise.check',
  'exercise.answer',
  'exercise.run',
  'exercise.hint',
  'exercise.solution',
  'exercise.reset',
  'exercise.handIn',
  'debug.crash',
] as const satisfies readonly OpName[];

type Passthrough = (typeof PASSTHROUGH_OPS)[number];

const passthrough = Object.fromEntries(PASSTHROUGH_OPS.map((op) => [op, apiOps[op]])) as {
  [K in Passthrough]: (typeof apiOps)[K];
};

const format = z.enum(['pcap', 'pcapng']);
/** Which frames an export writes: all, the displayed, or the selected `no`; of one `point`. */
const exportWhich = {
  frames: z.enum(['all', 'displayed', 'selected']).optional(),
  no: z.number().int().positive().optional(),
  point: z.string().min(1).max(64).optional(),
};

/** A driver is source a person writes: a megabyte is far beyond any. */
export const MAX_DRIVER_TEXT = 1 << 20;

export const engineOps = {
  ...passthrough,
  /** A lab file's text (read by the host from a path, a built-in, or sent by the UI). */
  'lab.load': {
    args: z.strictObject({
      text: z.string().max(MAX_LAB_TEXT),
      fileName: z.string().min(1).max(255),
      /** Its register-level cards' drivers, read by the host: file name (or reference key) → source. */
      drivers: z.record(z.string().max(300), z.string().max(MAX_DRIVER_TEXT)).optional(),
    }),
    result: labViewSchema,
  },
  /**
   * The lab as a file's text, for the host to write or offer as a download; `lab.saved` with its
   * revision once it has (a cancelled or failed save leaves the lab's changes unsaved).
   */
  'lab.text': {
    args: z.strictObject({ format: z.enum(['yaml', 'json']) }),
    result: z.object({ text: z.string(), name: z.string(), revision: z.number() }),
  },
  'lab.saved': {
    args: z.strictObject({ revision: z.number().int() }),
    result: z.object({ unsaved: z.boolean() }),
  },
  /** Streams the capture to a file the host chose (atomically: a temp file, then a rename). */
  'capture.write': {
    args: z.strictObject({ format, path: z.string().min(1).max(4096), ...exportWhich }),
    result: z.object({ frames: z.number(), bytes: z.number() }),
  },
  /** The capture file's bytes, for a download (limited in size: see capture-view.ts). */
  'capture.bytes': {
    args: z.strictObject({ format, ...exportWhich }),
    result: z.object({ bytes: z.instanceof(Uint8Array), frames: z.number(), name: z.string() }),
  },
  /** A capture file's bytes (read by the host from a path, or decoded from the UI's base64). */
  'capture.load': {
    args: z.strictObject({ bytes: z.instanceof(Uint8Array), fileName: z.string().min(1).max(255) }),
    result: apiOps['capture.import'].result,
  },
} as const;

export type EngineOpName = keyof typeof engineOps;
export type EngineOpArgs<K extends EngineOpName> = z.input<(typeof engineOps)[K]['args']>;
export type EngineOpParsedArgs<K extends EngineOpName> = z.output<(typeof engineOps)[K]['args']>;
export type EngineOpResult<K extends EngineOpName> = z.output<(typeof engineOps)[K]['result']>;

export function isEngineOp(op: string): op is EngineOpName {
  return Object.hasOwn(engineOps, op);
}

export function isPassthrough(op: OpName): op is Passthrough {
  return (PASSTHROUGH_OPS as readonly string[]).includes(op);
}

/** Messages between the engine client and its worker. */
export type ToWorker = { id: number; op: string; args: unknown };
export type FromWorker =
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | {
      type: 'reply';
      id: number;
      ok: false;
      error: { message: string; field?: string; details?: unknown };
    }
  | { type: 'event'; event: string; data: unknown };
