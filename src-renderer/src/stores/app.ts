// App-wide state. For now only which host the renderer runs in.
import { defineStore } from 'pinia';
import { describeHost } from '../host';

export const useAppStore = defineStore('app', {
  state: () => describeHost(window.netlab),
});
