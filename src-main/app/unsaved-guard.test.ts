// The close / replace prompt's decision, as Electron's main process takes it (Electron itself
// cannot run here: the dialog's answer is given by the test).
import { describe, expect, it } from 'vitest';
import {
  answerOf,
  CANCEL_BUTTON,
  mayLoseLab,
  UNSAVED_BUTTONS,
  unsavedMessage,
  type UnsavedAnswer,
} from './unsaved-guard';

/** A question answered `answer`, whose save reports `saved`; it records what was done. */
function question(unsaved: boolean, answer: UnsavedAnswer, saved = true) {
  const done: string[] = [];
  return {
    done,
    q: {
      unsaved,
      ask: async () => {
        done.push('asked');
        return answer;
      },
      save: async () => {
        done.push('saved');
        return saved;
      },
    },
  };
}

describe('asking before unsaved changes are lost', () => {
  it('a lab without unsaved changes goes without a question', async () => {
    const { q, done } = question(false, 'cancel');
    expect(await mayLoseLab(q)).toBe(true);
    expect(done).toEqual([]);
  });

  it("Don't Save lets it go unsaved", async () => {
    const { q, done } = question(true, 'discard');
    expect(await mayLoseLab(q)).toBe(true);
    expect(done).toEqual(['asked']);
  });

  it('Cancel keeps the lab', async () => {
    const { q, done } = question(true, 'cancel');
    expect(await mayLoseLab(q)).toBe(false);
    expect(done).toEqual(['asked']);
  });

  it('Save saves, then lets it go', async () => {
    const { q, done } = question(true, 'save');
    expect(await mayLoseLab(q)).toBe(true);
    expect(done).toEqual(['asked', 'saved']);
  });

  it('Save whose file dialog is cancelled (or fails) keeps the lab', async () => {
    const { q, done } = question(true, 'save', false);
    expect(await mayLoseLab(q)).toBe(false);
    expect(done).toEqual(['asked', 'saved']);
  });

  it("the dialog's buttons answer in order; Escape is Cancel", () => {
    expect(UNSAVED_BUTTONS.map((b) => b.label)).toEqual(['Save', "Don't Save", 'Cancel']);
    expect([0, 1, 2].map(answerOf)).toEqual(['save', 'discard', 'cancel']);
    expect(answerOf(CANCEL_BUTTON)).toBe('cancel');
    expect(answerOf(-1)).toBe('cancel');
    expect(answerOf(7)).toBe('cancel');
  });

  it('the message names the lab and what would be lost', () => {
    expect(unsavedMessage('hash-collisions', 'close')).toEqual({
      message: 'Save the changes to hash-collisions?',
      detail:
        'The lab has changes its file does not hold. If you close without saving, they are lost.',
    });
    expect(unsavedMessage('', 'replace').message).toBe('Save the changes to the lab?');
    expect(unsavedMessage('x', 'replace').detail).toMatch(/another lab replaces it/);
  });
});
