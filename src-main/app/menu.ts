// The application menu. File actions go through the same API as the renderer's requests
// (ApiServer.handle), so a menu item and a button cannot behave differently; their results reach
// the window as the engine's `lab` events. Failures are shown in an error box.
import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { LINUX_FOLLOWED } from '../lab/kernel/version';
import type { ApiServer } from '../server/api-server';
import type { RecentFiles } from '../server/recent-files';

export interface MenuContext {
  api: ApiServer;
  recent: RecentFiles;
  window: () => BrowserWindow | null;
  /** Rebuilds the menu (the recent-files list changed). */
  onRecentChange: () => void;
  /** Asks before unsaved changes are lost; resolves true when the lab may be replaced. */
  mayReplaceLab: () => Promise<boolean>;
}

export function buildMenu(ctx: MenuContext): Menu {
  const run =
    (op: string, args: unknown = {}) =>
    async () => {
      const reply = await ctx.api.handle({ id: 0, op, args });
      if (!reply.ok) dialog.showErrorBox('netlab', reply.error.message);
      ctx.onRecentChange();
    };
  /** New, Open and Open Recent replace the lab: they ask first if it has unsaved changes. */
  const replace =
    (op: string, args: unknown = {}) =>
    async () => {
      if (await ctx.mayReplaceLab()) await run(op, args)();
    };
  const recent = ctx.recent.list();

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: '&New Lab', accelerator: 'CmdOrCtrl+N', click: replace('lab.new') },
      { label: '&Open Lab…', accelerator: 'CmdOrCtrl+O', click: replace('lab.open') },
      {
        label: 'Open &Recent',
        enabled: recent.length > 0,
        submenu: recent.map((r) => ({
          label: r.name,
          click: replace('lab.load', { recent: r.token }),
        })),
      },
      { type: 'separator' },
      { label: '&Save', accelerator: 'CmdOrCtrl+S', click: run('lab.save') },
      {
        label: 'Save &As…',
        accelerator: 'CmdOrCtrl+Shift+S',
        click: run('lab.save', { as: true }),
      },
      { type: 'separator' },
      {
        label: '&Export Capture (pcapng)…',
        accelerator: 'CmdOrCtrl+E',
        click: run('capture.export', { format: 'pcapng' }),
      },
      { label: 'Export Capture (pcap)…', click: run('capture.export', { format: 'pcap' }) },
      { label: '&Import Capture…', accelerator: 'CmdOrCtrl+I', click: run('capture.open') },
      { type: 'separator' },
      { role: 'quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      // Developer tools only when running from source.
      ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } as MenuItemConstructorOptions]),
    ],
  };

  const help: MenuItemConstructorOptions = {
    label: '&Help',
    submenu: [
      {
        label: '&About netlab',
        click: () => {
          const w = ctx.window();
          const options = {
            title: 'About netlab',
            message: `netlab ${app.getVersion()}`,
            detail:
              'A desktop lab for the Linux network-driver model. It follows Linux ' +
              `${LINUX_FOLLOWED}: outputs, errors and numbers are that kernel's, checked side by ` +
              'side with it (npm run fidelity). Where the 1996 model differs (a driver setting ' +
              'IFF_PROMISC itself), the lab shows both and says which is which.',
          };
          void (w ? dialog.showMessageBox(w, options) : dialog.showMessageBox(options));
        },
      },
    ],
  };

  return Menu.buildFromTemplate([file, { role: 'editMenu' }, view, help]);
}
