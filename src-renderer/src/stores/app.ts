// App-wide state: which host the renderer runs in (Electron or a browser) and the app's version.
import { defineStore } from 'pinia';
import { useApi } from '../api';

export const useAppStore = defineStore('app', {
  state: () => ({
    host: useApi().host as 'electron' | 'web',
    version: null as string | null,
    /** Whether the host shows file dialogs (Electron) or the window picks files itself (a browser). */
    dialogs: false,
  }),
  actions: {
    async load(): Promise<void> {
      const info = await useApi().call('app.info', {});
      this.version = info.version;
      this.dialogs = info.dialogs;
    },
  },
});
