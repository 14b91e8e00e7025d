// Traffic generators: the list as the pushed stats report it, and start/stop by name.
import { defineStore } from 'pinia';
import type { GeneratorView } from '../../../src-main/ipc/api';
import { useApi } from '../api';
import { onLabLoaded } from './lab';

export const useGeneratorsStore = defineStore('generators', {
  state: () => ({
    list: [] as GeneratorView[],
    error: '',
  }),
  actions: {
    init(): void {
      const api = useApi();
      onLabLoaded((view) => (this.list = view.generators));
      api.on('stats', (stats) => (this.list = stats.generators));
    },

    async setActive(name: string, active: boolean): Promise<void> {
      try {
        this.error = '';
        const view = await useApi().call(active ? 'generators.start' : 'generators.stop', { name });
        const i = this.list.findIndex((g) => g.name === name);
        if (i >= 0) this.list[i] = view;
      } catch (e) {
        this.error = (e as Error).message;
      }
    },
  },
});
