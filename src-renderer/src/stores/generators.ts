// Traffic generators: the list as the pushed stats report it, and start/stop by name.
import { defineStore } from 'pinia';
import type { GeneratorView, OpArgs } from '../../../src-main/ipc/api';
import { ApiCallError, useApi } from '../api';
import { onLabLoaded } from './lab';

export const useGeneratorsStore = defineStore('generators', {
  state: () => ({
    list: [] as GeneratorView[],
    error: '',
    /** The form's last refusal: the message and the field it names (`rate`, `from`…). */
    formError: null as { message: string; field: string } | null,
  }),
  actions: {
    init(): void {
      const api = useApi();
      onLabLoaded((view) => (this.list = view.generators));
      api.on('stats', (stats) => (this.list = stats.generators));
    },

    /** Creates or replaces a generator; true when the engine took it. */
    async save(entry: OpArgs<'generators.set'>): Promise<boolean> {
      try {
        const view = await useApi().call('generators.set', entry);
        this.formError = null;
        const i = this.list.findIndex((g) => g.name === view.name);
        if (i >= 0) this.list[i] = view;
        else this.list.push(view);
        return true;
      } catch (e) {
        const field = e instanceof ApiCallError ? e.arg : '';
        this.formError = { message: (e as Error).message, field };
        return false;
      }
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
