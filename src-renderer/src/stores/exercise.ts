// The exercise's automatic checks, evaluated by the engine against the lab as it is now: after
// the lab loads, on demand, and with the pushed stats (at most once a second) so each check turns
// green as soon as it passes.
import { defineStore } from 'pinia';
import type { OpResult } from '../../../src-main/ipc/api';
import { useApi } from '../api';
import { onLabLoaded } from './lab';

type CheckResult = OpResult<'exercise.check'>['results'][number];

/** Wall time between two automatic checks. */
const AUTO_MS = 1000;

export const useExerciseStore = defineStore('exercise', {
  state: () => ({
    hasExercise: false,
    results: [] as CheckResult[],
    passed: 0,
    error: '',
    lastCheck: 0,
  }),
  getters: {
    done: (s) => s.hasExercise && s.results.length > 0 && s.passed === s.results.length,
  },
  actions: {
    init(): void {
      onLabLoaded((view) => {
        this.hasExercise = view.exercise !== null;
        this.results = [];
        this.passed = 0;
        this.error = '';
        if (this.hasExercise) void this.check();
      });
      useApi().on('stats', () => {
        if (this.hasExercise && performance.now() - this.lastCheck >= AUTO_MS) void this.check();
      });
    },

    async check(): Promise<void> {
      this.lastCheck = performance.now();
      try {
        const r = await useApi().call('exercise.check', {});
        this.results = r.results;
        this.passed = r.passed;
        this.error = '';
      } catch (e) {
        this.error = (e as Error).message;
      }
    },
  },
});
