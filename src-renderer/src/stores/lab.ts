// The loaded lab and its clock, kept current by the API's pushed events: `lab` when a lab is
// loaded (or restored after an engine restart), `run` and `stats` as the clock moves. The run
// controls (run, pause, step, speed) live here too.
import { defineStore } from 'pinia';
import type {
  InterfaceView,
  LabView,
  OpArgs,
  OpResult,
  RunState,
  Speed,
} from '../../../src-main/ipc/api';
import { useApi } from '../api';
import { download } from '../lib/download';
import { SpeedMeter } from '../lib/speeds';

/** The operations that edit the lab's file form and rebuild it (the topology editor's). */
export type TopologyOp =
  | 'host.add'
  | 'host.remove'
  | 'nic.add'
  | 'nic.remove'
  | 'nic.setSegment'
  | 'segment.add'
  | 'segment.remove'
  | 'bridge.add'
  | 'bridge.remove'
  | 'host.setForwarding'
  | 'route.add'
  | 'route.remove';

/** Measures the speed achieved from the clock the engine pushes (outside Vue's reactivity). */
const meter = new SpeedMeter();

const labListeners = new Set<(view: LabView) => void>();

/**
 * Calls `listener` with every lab the window shows: the one there at startup, each one loaded,
 * and one restored after an engine restart. Stores that keep per-lab state reset on it.
 */
export function onLabLoaded(listener: (view: LabView) => void): () => void {
  labListeners.add(listener);
  return () => labListeners.delete(listener);
}

/** A built-in lab: its id, name and description, and its exercise's place in the curriculum. */
type BuiltinLab = OpResult<'lab.builtins'>[number];

export const useLabStore = defineStore('lab', {
  state: () => ({
    builtins: [] as BuiltinLab[],
    lab: null as LabView | null,
    run: null as RunState | null,
    /** The lab has changes Save would write and its file does not hold (the engine says). */
    unsaved: false,
    /** The engine's last word on itself (crashed, restarted), shown until the next lab loads. */
    engineMessage: '',
    error: '',
    /** What the last step did when it did nothing visible (no frame was left to step to). */
    notice: '',
    /** Simulated seconds per wall second while running, measured; null until known. */
    achievedSpeed: null as number | null,
    /** Increases with every lab loaded: views that keep per-lab state reset on it. */
    generation: 0,
  }),
  getters: {
    running: (s) => s.run?.running ?? false,
    simTimeNs: (s) => s.run?.simTimeNs ?? 0,
    speed: (s): Speed => s.run?.speed ?? 1,
    /** The built-in lab the window shows, by id ('' for a lab from a file or a new one). */
    builtinId: (s): string => s.builtins.find((b) => s.lab?.fileName === `${b.id}.yaml`)?.id ?? '',
    hostNames: (s) => s.lab?.hosts.map((h) => h.name) ?? [],
    /** Every interface as `{ host, dev }`, in the lab's order. */
    interfaces: (s) =>
      s.lab?.hosts.flatMap((h) => h.interfaces.map((i) => ({ host: h.name, dev: i.name }))) ?? [],
  },
  actions: {
    /** Subscribes to the API's events and fetches what the first screen needs. */
    async init(): Promise<void> {
      const api = useApi();
      api.on('lab', (view) => this.setLab(view));
      api.on('unsaved', (e) => (this.unsaved = e.unsaved));
      api.on('run', (run) => this.setRun(run));
      api.on('stats', (stats) => this.setRun(stats.run));
      api.on('engine', (e) => (this.engineMessage = e.message));
      await this.attempt(async () => {
        this.builtins = await api.call('lab.builtins', {});
        const view = await api.call('lab.get', {});
        if (this.generation === 0) this.setLab(view);
      });
    },

    /**
     * Applies the lab a request answered with, unless the engine's `lab` event
     * already brought it: the engine sends that event before its reply, and
     * applying the lab twice would wipe what the user did in between (a chosen
     * row, a typed command, a selected option).
     */
    async replaceLab(request: () => Promise<LabView | null>): Promise<void> {
      const generation = this.generation;
      const view = await request();
      if (view !== null && this.generation === generation) this.setLab(view);
    },

    /** A new run state: while it runs at one speed, the clock's pace is measured. */
    setRun(run: RunState, wallMs = performance.now()): void {
      const before = this.run;
      if (!run.running || before?.running !== true || before.speed !== run.speed) meter.reset();
      if (run.running) {
        meter.sample(run.simTimeNs, wallMs);
        this.notice = '';
      }
      this.achievedSpeed = run.running ? meter.speed : null;
      this.run = run;
    },

    setLab(view: LabView): void {
      this.lab = view;
      this.setRun(view.run);
      this.notice = '';
      this.unsaved = view.unsaved;
      this.generation++;
      for (const listener of labListeners) listener(view);
    },

    async loadBuiltin(id: string): Promise<void> {
      await this.attempt(async () => {
        await this.replaceLab(() => useApi().call('lab.load', { builtin: id }));
        this.engineMessage = '';
      });
    },

    /** A lab file the user picked (its text: the renderer never sees a path). */
    async loadText(text: string, fileName: string): Promise<void> {
      await this.attempt(async () => {
        await this.replaceLab(() => useApi().call('lab.load', { text, fileName }));
        this.engineMessage = '';
      });
    },

    /** Electron's Open dialog (the host reads the file; the window never sees its path). */
    async openDialog(): Promise<void> {
      await this.attempt(async () => {
        await this.replaceLab(async () => {
          const r = await useApi().call('lab.open', {});
          return 'cancelled' in r ? null : r;
        });
      });
    },

    /** A new lab: one host with one card (lab.new). */
    async newLab(): Promise<void> {
      await this.attempt(async () => {
        await this.replaceLab(() => useApi().call('lab.new', {}));
        this.engineMessage = '';
      });
    },

    /**
     * Saves the lab file: to its file or through a dialog (Electron), or as a download. Resolves
     * true when it was saved (false: the Save dialog was cancelled, or saving failed).
     */
    async save(): Promise<boolean> {
      let saved = false;
      await this.attempt(async () => {
        const r = await useApi().call('lab.save', {});
        if ('download' in r) {
          download(r.download);
          // Saved once the browser has the file, not when the host sent it.
          if (r.download.revision !== undefined)
            await useApi().call('lab.downloaded', { revision: r.download.revision });
        }
        saved = !('cancelled' in r);
      });
      return saved;
    },

    /**
     * Edits the topology (a host, card, segment, bridge, ip_forward or route): the lab is
     * rebuilt from its file and its clock starts over. Returns the refusal's message, or ''.
     */
    async editTopology<K extends TopologyOp>(op: K, args: OpArgs<K>): Promise<string> {
      try {
        await this.replaceLab(async () => (await useApi().call(op, args)) as LabView);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    },

    async start(): Promise<void> {
      await this.attempt(async () => {
        this.setRun(await useApi().call('run.start', {}));
      });
    },

    async pause(): Promise<void> {
      await this.attempt(async () => {
        this.setRun(await useApi().call('run.pause', {}));
      });
    },

    async toggleRun(): Promise<void> {
      await (this.running ? this.pause() : this.start());
    },

    async step(unit: 'event' | 'frame'): Promise<void> {
      await this.attempt(async () => {
        const r = await useApi().call('run.step', { unit });
        this.setRun({
          running: r.running,
          speed: r.speed,
          simTimeNs: r.simTimeNs,
          events: r.events,
        });
        this.notice =
          unit === 'frame' && !r.frameEnded
            ? r.stepped === 0
              ? 'Step frame: nothing is left to happen in this lab (no frame, no timer)'
              : 'Step frame: no frame was left on the wire; the clock moved to the last event'
            : '';
      });
    },

    async setSpeed(speed: Speed): Promise<void> {
      await this.attempt(async () => {
        this.setRun(await useApi().call('run.speed', { speed }));
      });
    },

    /** Replaces one interface's view after an operation changed it. */
    patchInterface(view: InterfaceView): void {
      const host = this.lab?.hosts.find((h) => h.name === view.host);
      if (!host) return;
      const i = host.interfaces.findIndex((x) => x.name === view.name);
      if (i >= 0) host.interfaces[i] = view;
    },

    async attempt(action: () => Promise<void>): Promise<void> {
      try {
        this.error = '';
        await action();
      } catch (e) {
        this.error = e instanceof Error ? e.message : String(e);
      }
    },
  },
});
