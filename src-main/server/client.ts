// The typed client of the engine's worker: one promise per request, events by subscription, and
// recovery. If the worker dies (a bug in the simulation, an out-of-memory, a terminate), the
// requests in flight fail with a clear error, an `engine` event says what happened, and a new
// worker starts with the last lab that was loaded or saved, so nothing saved is lost.
import { Worker } from 'node:worker_threads';
import type { ApiErrorBody } from '../ipc/protocol';
import type {
  EngineOpArgs,
  EngineOpName,
  EngineOpResult,
  FromWorker,
  ToWorker,
} from '../engine/engine-ops';
import { defaultWorkerUrl } from './worker-url';

/** An error reply from the engine, as an exception (its body says which field was at fault). */
export class EngineCallError extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
    this.name = 'EngineCallError';
  }
}

export interface EngineClientOptions {
  /** Let `debug.crash` through (tests of the recovery). */
  debug?: boolean;
  /** Wall time a sliced request (an export) runs before it lets others in (tests use 0). */
  requestSliceMs?: number;
  /** The worker's script (default: the bundled worker.js, or the TypeScript source via tsx). */
  workerUrl?: URL;
}

export type EngineListener = (event: string, data: unknown) => void;

/** More crashes than this within CRASH_WINDOW_MS and the client stops restarting. */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 60_000;

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

export class EngineClient {
  private worker!: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<EngineListener>();
  private closed = false;
  /** The last error the worker threw, reported when it exits. */
  private lastError: Error | null = null;
  /** What to restore after a crash: the last lab loaded or saved (null: a new lab). */
  private lastLab: { text: string; fileName: string } | null = null;
  /** A lab's text handed out for saving, not yet confirmed written (lab.saved): a cancelled Save. */
  private pendingSave: { revision: number; lab: { text: string; fileName: string } } | null = null;
  private lastNewName = 'untitled';
  /** Requests wait on this while a crashed worker's replacement restores the lab. */
  private gate: Promise<void> = Promise.resolve();
  private crashTimes: number[] = [];

  constructor(private readonly options: EngineClientOptions = {}) {
    this.spawn();
  }

  /** Runs one operation on the engine. Rejects with EngineCallError on an error reply. */
  async call<K extends EngineOpName>(op: K, args: EngineOpArgs<K>): Promise<EngineOpResult<K>> {
    await this.gate;
    const result = (await this.send(op, args)) as EngineOpResult<K>;
    this.remember(op, args, result);
    return result;
  }

  /** Subscribes to the engine's events (and the client's own `engine` events); returns the unsubscribe. */
  onEvent(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The worker thread (tests terminate it to check the recovery). */
  get thread(): Worker {
    return this.worker;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failPending('the engine was closed');
    await this.worker.terminate();
  }

  private send(op: string, args: unknown): Promise<unknown> {
    if (this.closed)
      return Promise.reject(
        new EngineCallError({ code: 'engine', message: 'the engine was closed' }),
      );
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const message: ToWorker = { id, op, args };
      try {
        this.worker.postMessage(message);
      } catch (e) {
        // Structured clone refuses functions, and data nested deeper than its stack.
        const why = e instanceof Error ? e.message : String(e);
        reject(
          new EngineCallError({
            code: 'bad-request',
            message: `args: could not be sent (${why})`,
            field: 'args',
          }),
        );
        return;
      }
      this.pending.set(id, { resolve, reject });
    });
  }

  private remember(op: EngineOpName, args: unknown, result: unknown): void {
    if (op === 'lab.load') this.lastLab = args as { text: string; fileName: string };
    else if (op === 'lab.new') {
      this.lastLab = null;
      this.lastNewName = (args as { name?: string }).name ?? 'untitled';
    } else if (op === 'lab.text') {
      // Asked for to be saved: it becomes the lab to restore once the host says it was written.
      const { text, name, revision } = result as { text: string; name: string; revision: number };
      this.pendingSave = { revision, lab: { text, fileName: name } };
    } else if (op === 'lab.saved') {
      const { revision } = args as { revision: number };
      if (this.pendingSave?.revision === revision) this.lastLab = this.pendingSave.lab;
      this.pendingSave = null;
    }
  }

  private spawn(): void {
    const worker = new Worker(this.options.workerUrl ?? defaultWorkerUrl(), {
      workerData: {
        debug: this.options.debug === true,
        requestSliceMs: this.options.requestSliceMs,
      },
    });
    this.worker = worker;
    this.lastError = null;
    worker.on('message', (message: FromWorker) => this.receive(message));
    worker.on('error', (error) => {
      this.lastError = error;
    });
    worker.on('exit', (code) => {
      if (worker === this.worker) this.died(code);
    });
  }

  private receive(message: FromWorker): void {
    if (message.type === 'event') {
      if (message.event !== 'ready') this.emit(message.event, message.data);
      return;
    }
    const p = this.pending.get(message.id);
    if (!p) return;
    this.pending.delete(message.id);
    if (message.ok) p.resolve(message.result);
    else p.reject(new EngineCallError(message.error));
  }

  private emit(event: string, data: unknown): void {
    for (const listener of this.listeners) {
      try {
        listener(event, data);
      } catch {
        // A faulty listener must not stop the others, nor the engine.
      }
    }
  }

  private failPending(why: string): void {
    for (const p of this.pending.values())
      p.reject(new EngineCallError({ code: 'engine', message: why }));
    this.pending.clear();
  }

  /** The worker exited without being asked to: say so, and start another with the last lab. */
  private died(code: number): void {
    if (this.closed) return;
    const why = this.lastError ? this.lastError.message : `it exited with code ${code}`;
    this.failPending(`the engine stopped before answering (${why})`);
    this.emit('engine', { state: 'crashed', message: `The lab engine stopped: ${why}` });

    const now = Date.now();
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    if (this.crashTimes.length > MAX_CRASHES) {
      this.closed = true;
      this.emit('engine', {
        state: 'failed',
        message: `The lab engine stopped ${this.crashTimes.length} times in a minute; it was not restarted.`,
      });
      return;
    }
    this.spawn();
    this.gate = this.restore();
  }

  private async restore(): Promise<void> {
    const lab = this.lastLab;
    try {
      if (lab) await this.send('lab.load', lab);
      else await this.send('lab.new', { name: this.lastNewName });
      this.emit('engine', {
        state: 'restarted',
        message: lab
          ? `The lab engine was restarted with ${lab.fileName}, as last loaded or saved.`
          : 'The lab engine was restarted with a new lab.',
      });
    } catch (e) {
      this.emit('engine', {
        state: 'failed',
        message: `The lab engine was restarted, but the lab could not be restored: ${(e as Error).message}`,
      });
    }
  }
}
