// The preload script runs in the renderer's sandbox before the page loads. It is the only bridge
// between the page and Electron: it exposes `window.netlab`, a `NetlabBridge` (src-main/ipc/api.ts)
// with three members — where it runs, a request function and an event subscription — and nothing
// else: no ipcRenderer, no Node. The main process validates every request it forwards.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { NetlabBridge } from '../ipc/api';
import { EVENT_CHANNEL, REQUEST_CHANNEL } from './channels';

const bridge: NetlabBridge = {
  host: 'electron',
  request: (op, args) => ipcRenderer.invoke(REQUEST_CHANNEL, op, args),
  onEvent: (listener) => {
    const handler = (_e: IpcRendererEvent, event: string, data: unknown) => listener(event, data);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('netlab', bridge);
