// The two Electron IPC channels of the API: requests (ipcRenderer.invoke → ipcMain.handle) and
// events (webContents.send → ipcRenderer.on). Shared by main.ts and preload.ts.
export const REQUEST_CHANNEL = 'netlab:request';
export const EVENT_CHANNEL = 'netlab:event';
