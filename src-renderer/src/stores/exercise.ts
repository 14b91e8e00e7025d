// The exercise panel's state: the built-in exercises in curriculum order with the student's
// progress on each (done / tried / new, kept in localStorage across restarts), and for the lab
// loaded now its answers, Run exercise, the checks (pending until the run), hints, the solution,
// Reset and Hand in. The engine keeps the attempt (answers, what was run and shown): this store
// mirrors it, so a window reloaded or reconnected shows the same.
import { defineStore } from 'pinia';
import type { ExerciseView, OpResult } from '../../../src-main/ipc/api';
import { useApi } from '../api';
import { bytesBase64, download } from '../lib/download';
import { parseNetlabLink } from '../lib/netlab-links';
import { useCaptureStore } from './capture';
import { useInterfacesStore } from './interfaces';
import { onLabLoaded, useLabStore } from './lab';
import { useShellStore } from './shell';
import { useUiStore } from './ui';

type CheckResult = OpResult<'exercise.check'>['results'][number];
export type Progress = 'done' | 'tried' | 'new';

/** Wall time between two automatic checks while the lab runs. */
const AUTO_MS = 1000;
const PROGRESS_KEY = 'netlab.exercise-progress';

function storage(): Storage | null {
  return typeof localStorage === 'undefined' ? null : localStorage;
}

function loadProgress(): Record<string, Progress> {
  try {
    const data = JSON.parse(storage()?.getItem(PROGRESS_KEY) ?? '{}') as unknown;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return {};
    return Object.fromEntries(
      Object.entries(data).filter(([, v]) => v === 'done' || v === 'tried'),
    ) as Record<string, Progress>;
  } catch {
    return {};
  }
}

export interface ExerciseEntry {
  id: string;
  title: string;
  summary: string;
  level: string;
  kind: string;
  order: number;
}

export const useExerciseStore = defineStore('exercise', {
  state: () => ({
    results: [] as CheckResult[],
    passed: 0,
    ran: false,
    explanation: '',
    /** Answers as the engine holds them. */
    answers: {} as Record<string, string | number>,
    /** Why the engine refused what was typed in a field, by question id. */
    fieldErrors: {} as Record<string, string>,
    hints: [] as string[],
    solution: null as OpResult<'exercise.solution'> | null,
    running: false,
    error: '',
    lastCheck: 0,
    handedIn: '',
    progress: loadProgress(),
    /** The user chose a lab (or dismissed the start screen): the start screen stays away. */
    chosen: false,
    /**
     * A driver was reloaded after the exercise ran: the lab's traffic is over, so running on
     * checks the old driver's results, and only Reset runs the new one from the start.
     */
    reloadedAfterRun: false,
  }),
  getters: {
    exercise(): ExerciseView | null {
      return useLabStore().lab?.exercise ?? null;
    },
    done(): boolean {
      return this.ran && this.results.length > 0 && this.passed === this.results.length;
    },
    /** The built-in labs that have an exercise, in curriculum order. */
    list(): ExerciseEntry[] {
      return useLabStore()
        .builtins.flatMap((b) => (b.exercise ? [{ id: b.id, ...b.exercise }] : []))
        .sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
    },
    /** The built-in exercise loaded now (by its file and title), or ''. */
    currentId(): string {
      const lab = useLabStore().lab;
      if (!lab?.exercise) return '';
      const id = lab.fileName.replace(/\.ya?ml$/, '');
      return this.list.some((e) => e.id === id && e.title === lab.exercise!.title) ? id : '';
    },
    /** The window opened on the engine's blank lab and nothing was chosen yet. */
    showStart(): boolean {
      const lab = useLabStore();
      const view = lab.lab;
      return (
        !this.chosen &&
        view !== null &&
        view.fileName === '' &&
        view.name === 'untitled' &&
        !view.unsaved &&
        view.run.simTimeNs === 0 &&
        lab.generation <= 1
      );
    },
  },
  actions: {
    init(): void {
      onLabLoaded((view) => {
        if (useLabStore().generation > 1) this.chosen = true;
        this.results = [];
        this.passed = 0;
        this.ran = view.exercise?.attempt.ran ?? false;
        this.reloadedAfterRun = false;
        this.explanation = '';
        this.answers = { ...(view.exercise?.attempt.answers ?? {}) };
        this.fieldErrors = {};
        this.hints = [];
        this.solution = null;
        this.error = '';
        this.handedIn = '';
        if (view.exercise) void this.restore(view.exercise);
      });
      useApi().on('stats', () => {
        if (this.exercise && !this.running && performance.now() - this.lastCheck >= AUTO_MS)
          void this.check();
      });
    },

    /** Brings back what the engine's attempt holds: the hints and solution already shown. */
    async restore(exercise: ExerciseView): Promise<void> {
      await this.attempt(async () => {
        const api = useApi();
        for (let i = 0; i < exercise.attempt.hintsShown; i++)
          this.hints.push((await api.call('exercise.hint', { index: i })).text);
        if (exercise.attempt.solutionShown) this.solution = await api.call('exercise.solution', {});
      });
      await this.check();
    },

    apply(r: OpResult<'exercise.check'>): void {
      this.results = r.results;
      this.passed = r.passed;
      this.ran = r.ran;
      this.explanation = r.explanation;
      const id = this.currentId;
      if (id === '' || !r.ran) return;
      const now: Progress = r.passed === r.results.length ? 'done' : 'tried';
      if (this.progress[id] === 'done' || this.progress[id] === now) return;
      this.progress = { ...this.progress, [id]: now };
      storage()?.setItem(PROGRESS_KEY, JSON.stringify(this.progress));
    },

    async check(): Promise<void> {
      this.lastCheck = performance.now();
      await this.attempt(async () => this.apply(await useApi().call('exercise.check', {})));
    },

    /** Sends what was typed in question `id`'s field ('' clears it); a refusal shows beside it. */
    async answer(id: string, value: string): Promise<void> {
      try {
        const r = await useApi().call('exercise.answer', { id, value });
        this.answers = r.answers;
        delete this.fieldErrors[id];
      } catch (e) {
        this.fieldErrors = { ...this.fieldErrors, [id]: (e as Error).message };
        return;
      }
      await this.check();
    },

    /** Run exercise: the lab runs for the exercise's time at full speed, pauses, and is checked. */
    async run(): Promise<void> {
      this.running = true;
      try {
        await this.attempt(async () => this.apply(await useApi().call('exercise.run', {})));
      } finally {
        this.running = false;
      }
    },

    async nextHint(): Promise<void> {
      await this.attempt(async () => {
        const r = await useApi().call('exercise.hint', { index: this.hints.length });
        this.hints.push(r.text);
      });
    },

    async showSolution(): Promise<void> {
      await this.attempt(async () => {
        this.solution = await useApi().call('exercise.solution', {});
      });
    },

    /** The exercise's lab as shipped, answers cleared (the hints and solution shown stay shown). */
    async reset(): Promise<void> {
      await this.attempt(() => useLabStore().replaceLab(() => useApi().call('exercise.reset', {})));
    },

    /** Hand in: the attempt file, offered as a download. */
    async handIn(student: string): Promise<void> {
      await this.attempt(async () => {
        const r = await useApi().call('exercise.handIn', { student });
        download({
          fileName: r.fileName,
          mime: 'application/yaml',
          base64: bytesBase64(new TextEncoder().encode(r.text)),
        });
        this.handedIn = r.fileName;
      });
    },

    /** Opens what a `netlab:` link in the exercise's text points at. */
    async openLink(href: string): Promise<void> {
      const link = parseNetlabLink(href);
      if ('error' in link) {
        this.error = link.error;
        return;
      }
      const ui = useUiStore();
      switch (link.view) {
        case 'capture':
          ui.tab = 'capture';
          if (link.filter !== null) await useCaptureStore().applyFilter(link.filter);
          break;
        case 'iface':
          ui.tab = 'interface';
          await useInterfacesStore().select(link.host, link.dev);
          break;
        case 'stats':
          ui.tab = 'stats';
          break;
        case 'skb':
          ui.tab = 'skb';
          break;
        case 'shell': {
          const shell = useShellStore();
          shell.host = link.host;
          shell.drafts = { ...shell.drafts, [link.host]: link.cmd };
          ui.tab = 'shell';
          break;
        }
      }
    },

    /** Start with the blank lab: the start screen goes away. */
    dismissStart(): void {
      this.chosen = true;
    },

    async attempt(action: () => Promise<void>): Promise<void> {
      try {
        this.error = '';
        await action();
      } catch (e) {
        this.error = (e as Error).message;
      }
    },
  },
});
