// The engine: one lab, its clock and its shells, answering the worker's requests one at a time.
// It knows nothing of threads or transports (worker.ts feeds it), so it can also be driven
// directly in a test.
import { performance } from 'node:perf_hooks';
import { apiError } from '../ipc/errors';
import { AtomicFile } from '../files/atomic-file';
import type { ShellJob } from '../lab/host/shell/job';
import { procRead } from '../lab/kernel/proc/proc-fs';
import { strerror } from '../lab/netdev/errno';
import { formatSpecErrors } from '../lab/labfile/errors';
import { parseLabSpec, validateLabData } from '../lab/labfile/load';
import { driverReaderOf } from '../lab/labfile/build';
import { saveLabSpec } from '../lab/labfile/save';
import type { LabSpec } from '../lab/labfile/schema';
import { ApiError } from '../ipc/protocol';
import type { EventData, EventName } from '../ipc/events';
import type { Speed } from '../ipc/views';
import { Attempt, type JournalEntry } from './attempt';
import { MAX_DOWNLOAD_BYTES } from './capture-view';
import {
  effectOf,
  engineOps,
  isEngineOp,
  type EngineOpName,
  type EngineOpParsedArgs,
  type EngineOpResult,
} from './engine-ops';
import {
  answerQuestion,
  checkExercise,
  exerciseOf,
  exerciseRunNs,
  handIn,
  showHint,
  showSolution,
} from './exercise-ops';
import { driverOps, oopsView } from './driver-ops';
import { ifaceOps } from './iface-ops';
import { LabState } from './lab-state';
import { defaultMemoryBudget, memoryNow, overBudget } from './memory-watch';
import { Runner } from './runner';
import { runSliced } from './sliced';
import { socketNamer } from './socket-names';
import { topologyEdits } from './topology-edit';
import { generatorView, generatorViews, interfaceView, labView, statsView } from './views';
import { WireFeeds } from './wire-feeds';

/** Pushed statistics: about ten batches a second while the clock runs. */
export const STATS_INTERVAL_MS = 100;

/** While paused with ports open: how often to look for datagrams that came or went. */
const PORT_WATCH_MS = 250;

/** How often the engine looks at its memory while the clock runs (wall ms). */
const MEMORY_CHECK_MS = 200;

/** Wall time the background display-filter scan takes between requests and slices. */
const SCAN_SLICE_MS = 4;

export type Emit = <K extends EventName>(event: K, data: EventData<K>) => void;

export interface EngineOptions {
  /** Honour `debug.crash` (tests of the recovery); off in the app. */
  debug?: boolean;
  /** Wall time a sliced request (an export) runs before it lets others in (REQUEST_SLICE_MS). */
  requestSliceMs?: number;
  /** Memory the process may use before the lab is stopped (default: defaultMemoryBudget()). */
  memoryBudget?: number;
}

/** Requests that run in slices (runSliced), answering others meanwhile: their replies come later. */
type SlicedOp = 'capture.write' | 'capture.bytes' | 'exercise.run';

/** What `handle` gives back: the result, or for a sliced request its promise. */
export type Handled<K extends EngineOpName> = K extends SlicedOp
  ? Promise<EngineOpResult<K>>
  : EngineOpResult<K>;

type Handlers = {
  [K in EngineOpName]: (args: EngineOpParsedArgs<K>) => Handled<K>;
};

export class Engine {
  private state: LabState;
  private readonly runner: Runner;
  /** The frames on the wire since the last `wire` event (pushed with each `stats`). */
  private wire: WireFeeds;
  private lastStats = 0;
  /** Each host's `net` view as last pushed (JSON): a push carries only those that changed. */
  private netSent = new Map<string, string>();
  /** What the UI was last told of unsaved changes (with the lab, or by an `unsaved` event). */
  private toldUnsaved = false;
  private nextJob = 1;
  private scanTimer: ReturnType<typeof setImmediate> | null = null;
  /** While the lab has ports: pushes their counters when datagrams move with the clock paused. */
  private portWatch: ReturnType<typeof setInterval> | null = null;
  /** Shell output printed since the last flush, by job. */
  private readonly pendingOutput = new Map<number, { host: string; lines: string[] }>();
  /** The student's attempt at the lab's exercise (null: the lab has none). */
  private attempt: Attempt | null = null;
  /** Replaying a journal (`netlab grade`): `exercise.run` marks the run, the journal moves the clock. */
  private replaying = false;
  private readonly memoryBudget: number;
  private lastMemoryCheck = 0;

  constructor(
    private readonly emit: Emit,
    private readonly options: EngineOptions = {},
  ) {
    this.memoryBudget = options.memoryBudget ?? defaultMemoryBudget();
    this.state = new LabState(newLabSpec('untitled'), '');
    this.runner = new Runner(
      () => this.state.lab,
      () => this.afterSlice(),
    );
    this.wire = new WireFeeds(this.state.lab);
    this.syncWire();
  }

  /**
   * Runs one validated request. Throws ApiError for a request the lab cannot honour (a sliced
   * request's promise rejects with it instead).
   */
  handle<K extends EngineOpName>(op: K, args: EngineOpParsedArgs<K>): Handled<K> {
    const attempt = effectOf(op) === 'journal' ? this.attempt : null;
    const at = this.state.lab.now;
    const events = this.state.lab.sched.dispatched;
    const result = (this.handlers[op] as (a: EngineOpParsedArgs<K>) => Handled<K>)(args);
    // Recorded once it was accepted: a refused request changed nothing.
    if (attempt !== null && attempt === this.attempt)
      attempt.record(at, events, op, args as Record<string, unknown>);
    this.flushShellOutput();
    this.flushDriverReports();
    this.tellUnsaved();
    if (effectOf(op) !== 'read' && !this.runner.state().running) this.pushStats();
    this.scheduleScan();
    return result;
  }

  /** Stops the clock and releases the lab (the worker is closing). */
  close(): void {
    if (this.scanTimer !== null) clearImmediate(this.scanTimer);
    this.watchPorts(false);
    this.runner.pause();
    this.wire.close();
    this.state.close();
  }

  private readonly handlers: Handlers = {
    'lab.new': (a) => this.replace(new LabState(newLabSpec(a.name ?? 'untitled'), ''), null),
    'lab.load': (a) => {
      const parsed = parseLabSpec(a.text, a.fileName);
      if (parsed.errors)
        throw new ApiError({
          code: 'invalid-lab',
          message: formatSpecErrors(parsed.errors),
          field: 'args.text',
          details: parsed.errors,
        });
      let next: LabState;
      try {
        next = new LabState(
          parsed.spec,
          baseName(a.fileName),
          undefined,
          driverReaderOf(a.drivers ?? {}),
        );
      } catch (e) {
        throw apiError(
          'invalid-lab',
          `${a.fileName}: the lab could not be built: ${(e as Error).message}`,
          'args.text',
        );
      }
      return this.replace(
        next,
        new Attempt(parsed.spec, baseName(a.fileName), next.driverSources()),
      );
    },
    'lab.get': () => labView(this.state, this.runner.state(), this.attempt),
    'lab.text': (a) => ({
      text: saveLabSpec(this.state.spec, a.format),
      name: `${stem(this.state.fileName) || this.state.spec.name || 'lab'}.${a.format === 'yaml' ? 'yaml' : 'json'}`,
      revision: this.state.saved.issue(this.state.spec),
    }),
    'lab.saved': (a) => {
      this.state.saved.written(a.revision);
      return { unsaved: this.state.unsaved };
    },

    'host.add': (a) => this.rebuild(topologyEdits['host.add'](this.state.spec, a)),
    'host.remove': (a) => this.rebuild(topologyEdits['host.remove'](this.state.spec, a)),
    'nic.add': (a) => this.rebuild(topologyEdits['nic.add'](this.state.spec, a)),
    'nic.remove': (a) => this.rebuild(topologyEdits['nic.remove'](this.state.spec, a)),
    'nic.setSegment': (a) => this.rebuild(topologyEdits['nic.setSegment'](this.state.spec, a)),
    'segment.add': (a) => this.rebuild(topologyEdits['segment.add'](this.state.spec, a)),
    'segment.remove': (a) => this.rebuild(topologyEdits['segment.remove'](this.state.spec, a)),
    'bridge.add': (a) => this.rebuild(topologyEdits['bridge.add'](this.state.spec, a)),
    'bridge.remove': (a) => this.rebuild(topologyEdits['bridge.remove'](this.state.spec, a)),
    'host.setForwarding': (a) =>
      this.rebuild(topologyEdits['host.setForwarding'](this.state.spec, a)),
    'route.add': (a) => this.rebuild(topologyEdits['route.add'](this.state.spec, a)),
    'route.remove': (a) => this.rebuild(topologyEdits['route.remove'](this.state.spec, a)),

    'driver.list': () => driverOps['driver.list'](this.state),
    'driver.get': (a) => driverOps['driver.get'](this.state, a),
    'driver.reload': (a) => driverOps['driver.reload'](this.state, a),

    'iface.get': (a) => {
      const { host, nic } = this.state.card(a.host, a.dev);
      return interfaceView(this.state, host, nic);
    },
    'iface.up': (a) => ifaceOps['iface.up'](this.state, a),
    'iface.down': (a) => ifaceOps['iface.down'](this.state, a),
    'iface.setMac': (a) => ifaceOps['iface.setMac'](this.state, a),
    'iface.setMtu': (a) => ifaceOps['iface.setMtu'](this.state, a),
    'iface.setTxQueueLen': (a) => ifaceOps['iface.setTxQueueLen'](this.state, a),
    'iface.setMap': (a) => ifaceOps['iface.setMap'](this.state, a),
    'iface.setFlag': (a) => ifaceOps['iface.setFlag'](this.state, a),
    'iface.addMulti': (a) => ifaceOps['iface.addMulti'](this.state, a),
    'iface.delMulti': (a) => ifaceOps['iface.delMulti'](this.state, a),
    'iface.join': (a) => ifaceOps['iface.join'](this.state, a),
    'iface.leave': (a) => ifaceOps['iface.leave'](this.state, a),
    'iface.ioctl': (a) => ifaceOps['iface.ioctl'](this.state, a),

    'shell.exec': (a) => this.exec(a.host, a.line),
    'shell.interrupt': (a) => {
      const shell = this.state.shell(a.host);
      const n = shell.running.length;
      shell.interruptAll();
      return { interrupted: n };
    },

    'proc.read': (a) => {
      const text = procRead(this.state.host(a.host).kernel, a.path);
      if (typeof text === 'number')
        throw apiError('file', `${a.path}: ${strerror(text)}`, 'args.path');
      return { text };
    },

    'generators.list': () => generatorViews(this.state),
    'generators.set': (a) => generatorView(this.state, this.state.setGenerator(a)),
    'generators.start': (a) => {
      const i = this.state.generatorIndex(a.name);
      if (!this.state.session.generators[i].active) this.state.restartGenerator(i);
      return generatorView(this.state, i);
    },
    'generators.stop': (a) => {
      const i = this.state.generatorIndex(a.name);
      this.state.session.generators[i].stop();
      return generatorView(this.state, i);
    },

    'run.start': (a) => {
      this.realtimeOnly(a.speed);
      this.runner.start(a.speed);
      return this.runState();
    },
    'run.pause': () => {
      this.runner.pause();
      return this.runState();
    },
    'run.step': (a) => {
      const { events, frameEnded } = this.runner.step(a.unit);
      return { ...this.runState(), stepped: events, frameEnded };
    },
    'run.speed': (a) => {
      this.realtimeOnly(a.speed);
      this.runner.setSpeed(a.speed);
      return this.runState();
    },
    'run.state': () => this.runner.state(),

    'ports.open': (a) => {
      const state = this.state;
      const exposure = state.ports.consent(a.exposed === true);
      if (exposure.length > 0)
        throw new ApiError({
          code: 'needs-consent',
          message: `not opened: ${exposure.join('; ')}. Open them with exposed: true only if you mean it`,
          field: 'args.exposed',
          details: exposure,
        });
      if (state.ports.opening) void this.openPorts(state, Promise.resolve());
      return state.ports.views();
    },

    'stats.get': () => statsView(this.state, this.runner.state()),

    'capture.start': (a) => {
      this.state.capture.start(a.points, a.snaplen, a.limit);
      return this.state.capture.state();
    },
    'capture.stop': () => {
      this.state.capture.stop();
      return this.state.capture.state();
    },
    'capture.clear': () => {
      this.state.capture.clear();
      return this.state.capture.state();
    },
    'capture.rows': (a) => this.state.capture.rows(a.from, a.count),
    'capture.sort': (a) => {
      this.state.capture.setSort(a.column, a.descending ?? false);
      return this.state.capture.state();
    },
    'capture.position': (a) => ({ index: this.state.capture.position(a.no) }),
    'capture.row': (a) => this.state.capture.detail(a.no),
    'capture.follow': (a) => this.state.capture.follow(a.no, socketNamer(this.state)),
    'capture.filter': (a) => {
      this.state.capture.setFilter(a.text);
      return this.state.capture.state();
    },
    'capture.write': async (a) => {
      let file: AtomicFile;
      try {
        file = new AtomicFile(a.path);
      } catch (e) {
        // Node's message names the temporary file, which the user never chose.
        const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
        throw apiError('file', `could not write ${baseName(a.path)}: ${why}`, 'args.path');
      }
      try {
        const frames = await runSliced(
          this.state.capture.export(a.format, file.write, a),
          this.options.requestSliceMs,
        );
        file.commit();
        return { frames, bytes: file.bytes };
      } catch (e) {
        file.abort();
        throw e instanceof ApiError
          ? e
          : apiError('file', `export failed: ${(e as Error).message}`);
      }
    },
    'capture.bytes': async (a) => {
      const chunks: Uint8Array[] = [];
      let size = 0;
      const exporting = this.state.capture.export(
        a.format,
        (chunk) => {
          size += chunk.length;
          if (size > MAX_DOWNLOAD_BYTES)
            throw apiError(
              'refused',
              `the capture is over ${MAX_DOWNLOAD_BYTES >> 20} MiB: too big to download; export it to a file, or clear it and capture less`,
            );
          chunks.push(chunk);
        },
        a,
      );
      const frames = await runSliced(exporting, this.options.requestSliceMs).catch((e: unknown) => {
        throw e instanceof ApiError
          ? e
          : apiError('file', `export failed: ${(e as Error).message}`);
      });
      const bytes = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) {
        bytes.set(c, at);
        at += c.length;
      }
      const point = a.point === undefined ? '' : `-${a.point.replace(/[^A-Za-z0-9_.-]/g, '-')}`;
      const name = `${stem(this.state.fileName) || 'capture'}${point}.${a.format}`;
      return { bytes, frames, name };
    },

    'capture.load': (a) => {
      const r = this.state.capture.import(a.bytes, a.fileName);
      return { capture: this.state.capture.state(), ...r };
    },

    'exercise.check': () => checkExercise(this.state, this.ownAttempt()),
    'exercise.answer': (a) => answerQuestion(this.state, this.ownAttempt(), a),
    'exercise.run': () => {
      const attempt = this.ownAttempt();
      const runNs = exerciseRunNs(exerciseOf(this.state.spec));
      attempt.ran = true;
      if (this.replaying) return Promise.resolve(checkExercise(this.state, attempt));
      const state = this.state;
      const reached = this.runner.runTo(state.lab.now + runNs);
      this.runState();
      return reached.then((done) => {
        this.flushShellOutput();
        this.emit('run', this.runner.state());
        this.pushStats();
        if (!done || this.state !== state)
          throw apiError(
            'refused',
            'the exercise run was interrupted (paused, or the lab changed)',
          );
        return checkExercise(state, attempt);
      });
    },
    'exercise.hint': (a) => showHint(this.state.spec, this.ownAttempt(), a.index),
    'exercise.solution': () => showSolution(this.state, this.ownAttempt()),
    'exercise.reset': () => {
      const attempt = this.ownAttempt();
      let next: LabState;
      try {
        next = new LabState(
          attempt.base,
          attempt.fileName,
          undefined,
          this.state.readDriver,
          this.state.driverEdits,
        );
      } catch (e) {
        throw apiError('invalid-lab', `the lab could not be built: ${(e as Error).message}`);
      }
      attempt.restart();
      // Reloads before the Reset are in the lab it rebuilt: the attempt starts from them.
      attempt.drivers = next.driverSources();
      return this.replace(next, attempt);
    },
    'exercise.handIn': (a) =>
      handIn(this.state, this.ownAttempt(), a.student, {
        at: this.state.lab.now,
        events: this.state.lab.sched.dispatched,
      }),

    'debug.crash': () => {
      if (!this.options.debug) throw apiError('unknown-op', 'debug operations are disabled', 'op');
      // Thrown outside the request, as a bug in the simulation would be: the worker dies.
      setImmediate(() => {
        throw new Error('debug.crash: the engine was told to crash');
      });
      return {};
    },
  };

  /** The attempt at the lab's exercise, or the error a lab without one gets. */
  private ownAttempt(): Attempt {
    exerciseOf(this.state.spec);
    return this.attempt!;
  }

  /** The clock and event count now (where a journal entry or a hand-in happens). */
  get position(): { at: number; events: number } {
    return { at: this.state.lab.now, events: this.state.lab.sched.dispatched };
  }

  /**
   * Replays one journal entry of an attempt (`netlab grade`): runs the clock to where it
   * happened, then does it through the same handler the window's request went to. Throws a
   * message naming the entry when it is not a valid request, or when the lab did not reach the
   * same point (the replay no longer follows the attempt).
   */
  async replay(entry: JournalEntry, where: string): Promise<void> {
    this.advanceTo(entry.at, entry.events, where);
    const op = entry.op === 'shell' ? 'shell.exec' : entry.op;
    if (!isEngineOp(op) || effectOf(op) !== 'journal')
      throw new Error(`${where}: op "${entry.op}" cannot be replayed`);
    const args = entry.op === 'shell' ? { host: entry.host, line: entry.line } : (entry.args ?? {});
    const parsed = engineOps[op].args.safeParse(args);
    if (!parsed.success)
      throw new Error(
        `${where}: bad arguments for ${entry.op}: ${parsed.error.issues[0]?.message}`,
      );
    this.replaying = true;
    try {
      await this.handle(op as EngineOpName, parsed.data as never);
    } catch (e) {
      throw new Error(`${where}: ${entry.op} was refused: ${(e as Error).message}`, { cause: e });
    } finally {
      this.replaying = false;
    }
  }

  /** Runs the paused clock to simulated time `at`, with exactly `events` events dispatched. */
  advanceTo(at: number, events: number, where: string): void {
    const sched = this.state.lab.sched;
    if (!(at >= sched.now) || !(events >= sched.dispatched))
      throw new Error(`${where}: the clock is already past ${at} ns (${events} events)`);
    sched.runUntil(at, events - sched.dispatched);
    if (sched.now < at) sched.now = at;
    if (sched.dispatched !== events)
      throw new Error(
        `${where}: the replay diverged: ${sched.dispatched} events by ${at} ns, the attempt had ${events}`,
      );
  }

  private runState() {
    const s = this.runner.state();
    this.syncWire();
    this.emit('run', s);
    return s;
  }

  /** Frames are listed (and their first bytes kept) unless the clock runs at 'max'. */
  private syncWire(): void {
    const s = this.runner.state();
    this.wire.detailed = !(s.running && s.speed === 'max');
  }

  /** The same lab file, edited: built afresh under the same file name. */
  private rebuild(spec: LabSpec) {
    let next: LabState;
    try {
      next = new LabState(
        spec,
        this.state.fileName,
        this.state.saved,
        this.state.readDriver,
        this.state.driverEdits,
      );
    } catch (e) {
      throw apiError(
        'invalid-lab',
        `the edited lab could not be built: ${(e as Error).message}`,
        'args',
      );
    }
    return this.replace(next, this.attempt, true);
  }

  /**
   * Swaps in a new lab (built before the old one is closed, so a failure changes nothing), with
   * the attempt at its exercise: a new one for a lab loaded, the same one for a lab edited.
   * `edited`: the same lab file, edited (its ports stay open if they were).
   */
  private replace(next: LabState, attempt: Attempt | null, edited = false) {
    this.attempt = next.spec.exercise ? attempt : null;
    this.runner.reset();
    this.watchPorts(false);
    const previous = this.state;
    this.wire.close();
    previous.close();
    this.state = next;
    this.wire = new WireFeeds(next.lab);
    this.syncWire();
    this.pendingOutput.clear();
    this.netSent.clear();
    // A lab file's ports wait for the user's consent (ports.open); a rebuilt lab's ports that
    // were open are opened again, once the old sockets are closed (they share the addresses).
    const closed = previous.ports.close();
    if (edited && previous.ports.agreed && next.ports.count > 0) {
      next.ports.consent(true);
      void this.openPorts(next, closed);
    }
    const view = labView(next, this.runner.state(), this.attempt);
    this.toldUnsaved = view.unsaved;
    this.emit('lab', view);
    return view;
  }

  /** Says so when the lab gained or lost unsaved changes without a new lab view (generators.set, a save). */
  private tellUnsaved(): void {
    const unsaved = this.state.unsaved;
    if (unsaved === this.toldUnsaved) return;
    this.toldUnsaved = unsaved;
    this.emit('unsaved', { unsaved });
  }

  /** While ports are open the clock runs at 1×: another speed is refused, saying why. */
  private realtimeOnly(speed: Speed | undefined): void {
    if (speed === undefined || speed === 1 || !this.runner.realtimeOnly) return;
    const names = this.state.ports.opened.map((p) => p.name).join(', ');
    throw apiError(
      'refused',
      `the lab's external ports (${names}) are open: it runs in real time at 1×, as the outside lives on the wall clock`,
      'args.speed',
    );
  }

  /**
   * Binds a new lab's ports once the old lab's sockets are closed (a rebuilt lab listens on the
   * same addresses), then runs its clock at 1× and pushes the ports' state: open, or failed with
   * the reason.
   */
  private async openPorts(state: LabState, previousClosed: Promise<void>): Promise<void> {
    await previousClosed;
    if (this.state !== state) return;
    await state.ports.open();
    if (this.state !== state || state.ports.closed) return;
    this.runner.setInputs(state.ports.opened);
    this.syncWire();
    this.watchPorts(true);
    this.pushStats();
    this.emit('run', this.runner.state());
  }

  private watchPorts(on: boolean): void {
    if (this.portWatch !== null) clearInterval(this.portWatch);
    this.portWatch = null;
    if (!on) return;
    let seen = this.state.ports.activity();
    this.portWatch = setInterval(() => {
      const now = this.state.ports.activity();
      if (now === seen) return;
      seen = now;
      if (!this.runner.state().running) this.pushStats();
    }, PORT_WATCH_MS);
    this.portWatch.unref();
  }

  private exec(hostName: string, line: string) {
    const shell = this.state.shell(hostName);
    const job: ShellJob = shell.exec(line);
    const id = this.nextJob++;
    const result = {
      job: id,
      output: [...job.output],
      done: job.done,
      exitCode: job.exitCode,
      prompt: shell.prompt,
    };
    if (!job.done) {
      // A job that runs on in simulated time (ping): its later lines go out as events.
      job.onOutput.push((text) => {
        const pending = this.pendingOutput.get(id) ?? { host: hostName, lines: [] };
        pending.lines.push(text);
        this.pendingOutput.set(id, pending);
      });
      job.onDone.push(() => {
        this.flushShellOutput();
        this.emit('shell.done', {
          host: hostName,
          job: id,
          exitCode: job.exitCode,
          prompt: shell.prompt,
        });
      });
    }
    return result;
  }

  private flushShellOutput(): void {
    for (const [job, { host, lines }] of this.pendingOutput) {
      if (lines.length > 0) this.emit('shell.output', { host, job, lines });
    }
    this.pendingOutput.clear();
  }

  private afterSlice(): void {
    this.watchMemory();
    this.flushShellOutput();
    if (performance.now() - this.lastStats >= STATS_INTERVAL_MS) this.pushStats();
    this.scheduleScan();
  }

  /**
   * Tests captured frames against the display filter in the background, a few milliseconds at
   * a time between requests and slices, until every frame held has been tested.
   */
  private scheduleScan(): void {
    if (this.scanTimer !== null || this.state.capture.busy === 0) return;
    this.scanTimer = setImmediate(() => {
      this.scanTimer = null;
      if (!this.state.capture.scan(SCAN_SLICE_MS)) this.scheduleScan();
      else if (!this.runner.state().running) this.pushStats();
    });
  }

  /**
   * Stops the lab (its clock and capture) once the process uses more memory than its budget,
   * saying why: the frames held stay, to be looked at, exported or cleared.
   */
  private watchMemory(): void {
    const now = performance.now();
    if (now - this.lastMemoryCheck < MEMORY_CHECK_MS) return;
    this.lastMemoryCheck = now;
    const why = overBudget(memoryNow(), this.memoryBudget);
    if (why === null) return;
    this.runner.pause();
    const held = this.state.capture.state();
    this.state.capture.stop();
    const capture =
      held.count > 0
        ? ` The capture was stopped with ${held.count} frames (${Math.round(held.bytes / 2 ** 20)} MiB): clear it, or lower its limit, before running on.`
        : '';
    this.emit('engine', { state: 'stopped', message: `The lab was stopped: ${why}.${capture}` });
    this.emit('run', this.runner.state());
    this.pushStats();
  }

  /** The driver reports made since the last push, as the window shows them. */
  private flushDriverReports(): void {
    const pending = this.state.driverReports;
    if (pending.length === 0) return;
    const reports = pending.map((d) => ({
      host: d.host,
      dev: d.dev,
      file: d.file,
      card: d.card,
      oops: oopsView(d.report),
    }));
    pending.length = 0;
    this.emit('driver.report', { reports });
  }

  private pushStats(): void {
    this.flushDriverReports();
    this.lastStats = performance.now();
    const run = this.runner.state();
    this.emit('stats', statsView(this.state, run, this.netSent));
    const realtime = run.running && run.speed !== 'max' ? run.speed : null;
    this.emit('wire', this.wire.push(socketNamer(this.state), undefined, realtime));
  }
}

/** A lab with one host and one interface: where `lab.new` starts. */
export function newLabSpec(name: string): LabSpec {
  const r = validateLabData({
    name,
    hosts: [{ name: 'h0', interfaces: [{ name: 'eth0', nic: 'hash64', ip: '10.0.0.1/24' }] }],
  });
  if (r.errors) throw apiError('invalid-lab', formatSpecErrors(r.errors), 'args.name');
  return r.spec;
}

function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() ?? fileName;
}

function stem(fileName: string): string {
  return fileName.replace(/\.(ya?ml|json)$/i, '');
}
