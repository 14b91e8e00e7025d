// The loaded lab as the UI shows it, kept current by the API's pushed events: `lab` when a lab
// is loaded (or restored after an engine restart), `run` and `stats` as the clock moves.
import { defineStore } from 'pinia';
import type { LabView, RunState } from '../../../src-main/ipc/api';
import { useApi } from '../api';

interface BuiltinLab {
  id: string;
  name: string;
  description: string;
}

export const useLabStore = defineStore('lab', {
  state: () => ({
    builtins: [] as BuiltinLab[],
    lab: null as LabView | null,
    run: null as RunState | null,
    /** The engine's last word on itself (crashed, restarted), shown until the next lab loads. */
    engineMessage: '',
    error: '',
  }),
  getters: {
    running: (s) => s.run?.running ?? false,
    simTimeNs: (s) => s.run?.simTimeNs ?? 0,
  },
  actions: {
    /** Subscribes to the API's events and fetches what the first screen needs. */
    async init(): Promise<void> {
      const api = useApi();
      api.on('lab', (view) => {
        this.lab = view;
        this.run = view.run;
      });
      api.on('run', (run) => (this.run = run));
      api.on('stats', (stats) => (this.run = stats.run));
      api.on('engine', (e) => (this.engineMessage = e.message));
      await this.attempt(async () => {
        this.builtins = await api.call('lab.builtins', {});
      });
    },

    async loadBuiltin(id: string): Promise<void> {
      await this.attempt(async () => {
        const view = await useApi().call('lab.load', { builtin: id });
        this.lab = view;
        this.run = view.run;
        this.engineMessage = '';
      });
    },

    async toggleRun(): Promise<void> {
      await this.attempt(async () => {
        const api = useApi();
        this.run = this.running ? await api.call('run.pause', {}) : await api.call('run.start', {});
      });
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
