// The Electron main process: opens the one netlab window, keeps it locked down, and serves it the
// API (src-main/ipc) over IPC. The lab itself runs in the engine's worker thread, never here, so
// the window cannot freeze however busy the lab is.
//
// The renderer is untrusted web content: it runs sandboxed, with context isolation and without
// Node, and it may neither navigate away nor open new windows. It reaches the app only through
// the preload script's `window.netlab` bridge, and every request it sends is validated here.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  session,
  type IpcMainInvokeEvent,
} from 'electron';
import { join } from 'node:path';
import { ApiServer } from '../server/api-server';
import { BuiltinLabs } from '../server/builtin-labs';
import { EngineClient } from '../server/client';
import { RecentFiles } from '../server/recent-files';
import { EVENT_CHANNEL, REQUEST_CHANNEL } from './channels';
import { electronDialogs } from './dialogs';
import { denyAllPermissions, devServerUrl } from './hardening';
import { buildMenu } from './menu';
import { askBeforeLosingLab, guardClose } from './unsaved-prompt';

// Set by `electron-vite dev` to the renderer's dev server; ignored in a packaged app.
const devServer = devServerUrl(app.isPackaged, process.env);

/** resources/ beside the app: in the repository when run from it, in the package's resources when packaged. */
const resourcesDir = app.isPackaged
  ? join(process.resourcesPath, 'resources')
  : join(import.meta.dirname, '..', '..', 'resources');

let window: BrowserWindow | null = null;
let engine: EngineClient | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    title: 'netlab',
    width: 1280,
    height: 800,
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
    },
  });

  win.once('ready-to-show', () => win.show());

  if (devServer) {
    void win.loadURL(devServer);
  } else {
    void win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  }
  return win;
}

/**
 * Only the app's own page may call the API: its window's top frame (navigation is blocked, so
 * that frame is always the app's page), never a subframe.
 */
function fromOurPage(event: IpcMainInvokeEvent): boolean {
  return (
    window !== null &&
    event.sender === window.webContents &&
    event.senderFrame !== null &&
    event.senderFrame.parent === null
  );
}

function startApi(): ApiServer {
  engine = new EngineClient();
  const recent = new RecentFiles(join(app.getPath('userData'), 'recent-labs.json'));
  const server = new ApiServer({
    host: 'electron',
    version: app.getVersion(),
    engine,
    builtins: new BuiltinLabs(join(resourcesDir, 'labs')),
    recent,
    dialogs: electronDialogs(() => window),
  });

  ipcMain.handle(REQUEST_CHANNEL, async (event, op: unknown, args: unknown) => {
    if (!fromOurPage(event))
      return { ok: false, error: { code: 'transport', message: 'not allowed' } };
    // The envelope's id is Electron's own invoke bookkeeping here; the reply keeps only its body.
    const reply = await server.handle({ id: 0, op, args });
    return reply.ok ? { ok: true, result: reply.result } : { ok: false, error: reply.error };
  });

  server.onEvent((event, data) => {
    if (window && !window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event, data);
    // The renderer shows the engine's fate too; a dialog makes sure it is not missed.
    if (event === 'engine' && (data as { state: string }).state === 'failed' && window)
      void dialog.showMessageBox(window, {
        type: 'error',
        message: (data as { message: string }).message,
      });
  });

  const menu = () =>
    Menu.setApplicationMenu(
      buildMenu({
        api: server,
        recent,
        window: () => window,
        onRecentChange: menu,
        mayReplaceLab: () => askBeforeLosingLab(server, window, 'replace'),
      }),
    );
  menu();

  // The last lab reopens where the user left it.
  const last = recent.last();
  if (last !== null) void server.loadPath(last).then(menu, () => {});
  return server;
}

// No page may navigate its window elsewhere or open a new window.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  void engine?.close();
});

void app.whenReady().then(() => {
  // No web permission (camera, notifications, geolocation…) is ever granted to a page.
  denyAllPermissions(session.defaultSession);
  const server = startApi();
  const open = () => {
    window = createWindow();
    // Closing with unsaved changes asks first: Save, Don't Save or Cancel.
    guardClose(window, server);
    window.on('closed', () => (window = null));
  };
  open();
  // macOS: clicking the dock icon with no window open opens one again.
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
});
