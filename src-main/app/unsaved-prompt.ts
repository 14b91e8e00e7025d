// Electron's side of unsaved-guard.ts: the native Save / Don't Save / Cancel box, Save through
// the API (to the lab's file, or through the Save dialog), and the window's close held until the
// user has answered.
import { dialog, type BrowserWindow } from 'electron';
import type { ApiServer } from '../server/api-server';
import {
  answerOf,
  CANCEL_BUTTON,
  mayLoseLab,
  UNSAVED_BUTTONS,
  unsavedMessage,
} from './unsaved-guard';

/** Resolves true when the lab may be closed or replaced (asking first if it has unsaved changes). */
export async function askBeforeLosingLab(
  server: ApiServer,
  window: BrowserWindow | null,
  action: 'close' | 'replace',
): Promise<boolean> {
  const lab = server.lab;
  return mayLoseLab({
    unsaved: lab.unsaved,
    ask: async () => {
      const options: Electron.MessageBoxOptions = {
        type: 'warning',
        buttons: UNSAVED_BUTTONS.map((b) => b.label),
        defaultId: 0,
        cancelId: CANCEL_BUTTON,
        noLink: true,
        ...unsavedMessage(lab.name, action),
      };
      const r = window
        ? await dialog.showMessageBox(window, options)
        : await dialog.showMessageBox(options);
      return answerOf(r.response);
    },
    save: async () => {
      const reply = await server.handle({ id: 0, op: 'lab.save', args: {} });
      if (!reply.ok) {
        dialog.showErrorBox('netlab', reply.error.message);
        return false;
      }
      return !('cancelled' in (reply.result as object));
    },
  });
}

/** Holds the window's `close` while the lab has unsaved changes, until the user answers. */
export function guardClose(window: BrowserWindow, server: ApiServer): void {
  let mayClose = false;
  let asking = false;
  window.on('close', (event) => {
    if (mayClose || !server.lab.unsaved) return;
    event.preventDefault();
    if (asking) return; // the question is on screen already
    asking = true;
    askBeforeLosingLab(server, window, 'close')
      .catch(() => false)
      .then((ok) => {
        asking = false;
        if (!ok || window.isDestroyed()) return;
        mayClose = true;
        window.close();
      });
  });
}
