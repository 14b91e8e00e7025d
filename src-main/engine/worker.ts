// The engine's worker thread: receives requests from the EngineClient, validates them against
// the engine's op table, runs them on the Engine, and posts replies and events back. A request
// that does not validate gets an error reply naming the field; the engine carries on.
import { parentPort, workerData } from 'node:worker_threads';
import type { z } from 'zod';
import { replyForThrown, safeParseArgs } from '../ipc/protocol';
import { loadQuickJS } from '../lab/drivers/student/quickjs';
import { Engine } from './engine';
import { engineOps, isEngineOp, type FromWorker } from './engine-ops';

const port = parentPort;
if (!port) throw new Error('engine/worker.ts must run in a worker thread');

const post = (message: FromWorker, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

const options = (workerData ?? {}) as { debug?: boolean; requestSliceMs?: number };
const engine = new Engine((event, data) => post({ type: 'event', event, data }), {
  debug: options.debug === true,
  ...(typeof options.requestSliceMs === 'number' ? { requestSliceMs: options.requestSliceMs } : {}),
});

// Student drivers run in QuickJS, compiled once here (a lab is built synchronously).
// Requests wait for it in the order they came; a failure shows when a lab needs it.
const sandboxReady = loadQuickJS().then(
  () => undefined,
  () => undefined,
);

port.on('message', async (message: unknown) => {
  await sandboxReady;
  const { id, op, args } = (message ?? {}) as { id?: unknown; op?: unknown; args?: unknown };
  if (typeof id !== 'number') return; // only the client talks to us, and it always numbers requests
  if (typeof op !== 'string' || !isEngineOp(op)) {
    post({
      type: 'reply',
      id,
      ok: false,
      error: { message: `unknown op "${String(op)}"`, field: 'op' },
    });
    return;
  }
  const parsed = safeParseArgs(engineOps[op].args as z.ZodType<unknown>, args ?? {});
  if (!parsed.success) {
    post({ type: 'reply', id, ok: false, error: parsed.error });
    return;
  }
  try {
    // An export runs in slices and replies later; requests that come meanwhile are answered.
    const result: unknown = await engine.handle(op, parsed.data as never);
    // A capture download's bytes move to the main thread instead of being copied.
    const transfer =
      op === 'capture.bytes' ? [(result as { bytes: Uint8Array }).bytes.buffer as ArrayBuffer] : [];
    post({ type: 'reply', id, ok: true, result }, transfer);
  } catch (e) {
    const reply = replyForThrown(id, e);
    if (!reply.ok) post({ type: 'reply', id, ok: false, error: reply.error });
  }
});

post({ type: 'event', event: 'ready', data: null });
