// Asking before unsaved changes are lost when another lab replaces this one (Load, Open…, New):
// the window's own dialog (components/toolbar/UnsavedDialog.vue) asks Save, Don't Save or
// Cancel, as Electron's native box does when the window closes (src-main/app/unsaved-guard.ts).
import { defineStore } from 'pinia';
import { useLabStore } from './lab';

export type UnsavedAnswer = 'save' | 'discard' | 'cancel';

/** Resolves the question on screen (one at a time). */
let answerNow: ((answer: UnsavedAnswer) => void) | null = null;

export const useUnsavedStore = defineStore('unsaved', {
  state: () => ({
    /** The question is on screen. */
    asking: false,
  }),
  actions: {
    /**
     * Runs `replace` (which loads another lab) unless that would lose unsaved changes the user
     * wants to keep. Resolves whether it ran.
     */
    async replaceLab(replace: () => Promise<void>): Promise<boolean> {
      if (!(await this.mayReplace())) return false;
      await replace();
      return true;
    },

    /**
     * Whether the lab may go: at once when nothing is unsaved; otherwise as the user answers,
     * and after Save only if it was saved (a cancelled Save dialog keeps the lab).
     */
    async mayReplace(): Promise<boolean> {
      const lab = useLabStore();
      if (!lab.unsaved) return true;
      const answer = await this.ask();
      if (answer === 'discard') return true;
      if (answer === 'cancel') return false;
      return lab.save();
    },

    ask(): Promise<UnsavedAnswer> {
      answerNow?.('cancel'); // a second question replaces the first, which is cancelled
      this.asking = true;
      return new Promise((resolve) => (answerNow = resolve));
    },

    answer(answer: UnsavedAnswer): void {
      this.asking = false;
      const resolve = answerNow;
      answerNow = null;
      resolve?.(answer);
    },
  },
});
