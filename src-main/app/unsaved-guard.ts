// Asking before unsaved changes are lost: when the window closes, and before the File menu's New,
// Open or Open Recent replaces the lab. The decision is a plain function of the answers, without
// Electron, so it is tested here where Electron cannot run; unsaved-prompt.ts shows the dialog.

export type UnsavedAnswer = 'save' | 'discard' | 'cancel';

/** The dialog's buttons in order, and what each answers. Escape and closing it is Cancel. */
export const UNSAVED_BUTTONS: readonly { label: string; answer: UnsavedAnswer }[] = [
  { label: 'Save', answer: 'save' },
  { label: "Don't Save", answer: 'discard' },
  { label: 'Cancel', answer: 'cancel' },
];

export const CANCEL_BUTTON = UNSAVED_BUTTONS.findIndex((b) => b.answer === 'cancel');

/** The answer of the button the dialog reports (anything else, as Escape: Cancel). */
export function answerOf(response: number): UnsavedAnswer {
  return UNSAVED_BUTTONS[response]?.answer ?? 'cancel';
}

export interface UnsavedQuestion {
  /** Whether the lab has changes its file does not hold. */
  unsaved: boolean;
  ask(): Promise<UnsavedAnswer>;
  /** Saves the lab; true when it was written (false: the Save dialog was cancelled, or it failed). */
  save(): Promise<boolean>;
}

/**
 * Whether the lab may go: at once when nothing is unsaved; otherwise as the user answers, and
 * after Save only if the lab was really saved (a cancelled Save dialog keeps the lab open).
 */
export async function mayLoseLab(q: UnsavedQuestion): Promise<boolean> {
  if (!q.unsaved) return true;
  const answer = await q.ask();
  if (answer === 'discard') return true;
  if (answer === 'cancel') return false;
  return q.save();
}

/** What the dialog says, closing the window or replacing the lab. */
export function unsavedMessage(
  labName: string,
  action: 'close' | 'replace',
): { message: string; detail: string } {
  return {
    message: `Save the changes to ${labName || 'the lab'}?`,
    detail:
      action === 'close'
        ? 'The lab has changes its file does not hold. If you close without saving, they are lost.'
        : 'The lab has changes its file does not hold. If another lab replaces it without saving, they are lost.',
  };
}
