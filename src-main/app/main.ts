// The Electron main process: opens the one netlab window and keeps it locked down.
//
// The renderer is untrusted web content: it runs sandboxed, with context isolation and without
// Node, and it may neither navigate away nor open new windows. It reaches the app only through
// the preload script's `window.netlab` object (src-main/ipc/api.ts).
import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';

// Set by `electron-vite dev` to the renderer's dev server; absent in a built app.
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
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
      additionalArguments: [`--netlab-version=${app.getVersion()}`],
    },
  });

  window.once('ready-to-show', () => window.show());

  if (devServerUrl) {
    void window.loadURL(devServerUrl);
  } else {
    void window.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  }
  return window;
}

// No page may navigate its window elsewhere or open a new window.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

void app.whenReady().then(() => {
  createWindow();
  // macOS: clicking the dock icon with no window open opens one again.
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});
