// App-wide state: which host the renderer runs in (Electron or a browser) and the app's version.
import { defineStore } from 'pinia';
import { useApi } from '../api';

export const useAppStore = defineStore('app', {
  state: () => ({
    host: useApi().host as 'electron' | 'web',
    version: null as string | null,
  }),
  actions: {
    async load(): Promise<void> {
      this.version = (await useApi().call('app.info', {})).version;
    },
  },
});
