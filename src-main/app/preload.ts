// The preload script runs in the renderer's sandbox before the page loads. It is the only bridge
// between the page and Electron: it exposes the small `NetlabApi` object as `window.netlab` and
// nothing else (no ipcRenderer, no Node).
import { contextBridge } from 'electron';
import type { NetlabApi } from '../ipc/api';

// The main process passes the version on the command line (see webPreferences.additionalArguments
// in main.ts), because a sandboxed preload cannot read package.json.
const versionArg = process.argv.find((arg) => arg.startsWith('--netlab-version='));

const api: NetlabApi = {
  version: versionArg ? versionArg.slice('--netlab-version='.length) : 'unknown',
  host: 'electron',
};

contextBridge.exposeInMainWorld('netlab', api);
