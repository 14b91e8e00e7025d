// Following a frame across the segment: the fate of one wire frame at every host's interface
// (capture.follow), shown in the follow panel until closed, a new lab, or a cleared capture.
import { defineStore } from 'pinia';
import { watch } from 'vue';
import type { CapturedCopy, FrameFollow } from '../../../src-main/ipc/api';
import { useApi } from '../api';
import { useCaptureStore } from './capture';
import { onLabLoaded } from './lab';

export const useFollowStore = defineStore('follow', {
  state: () => ({
    result: null as FrameFollow | null,
    /** The followed frame's protocol, to colour the verdicts as the packet list does. */
    protocol: '',
    /** The frame being followed (while its answer is on the way, too). */
    following: null as number | null,
    error: '',
    loading: false,
  }),
  getters: {
    open: (s) => s.following !== null,
  },
  actions: {
    init(): void {
      onLabLoaded(() => this.close());
      // A new display filter, a cleared or shifted list: the copies' rows have moved. Ask again.
      const capture = useCaptureStore();
      watch(
        () => capture.epoch,
        () => {
          if (this.following !== null && !this.loading)
            void this.follow(this.following, this.protocol);
        },
      );
    },

    /** Follows frame `no`; `protocol` is its Protocol column (for colours). */
    async follow(no: number, protocol = ''): Promise<void> {
      this.following = no;
      this.protocol = protocol;
      this.error = '';
      this.loading = true;
      try {
        const result = await useApi().call('capture.follow', { no });
        if (this.following !== no) return;
        this.result = result;
      } catch (e) {
        if (this.following !== no) return;
        this.result = null;
        this.error = (e as Error).message;
      } finally {
        // A later follow's request is still loading.
        if (this.following === no) this.loading = false;
      }
    },

    /** Brings a station's copy of the frame into view in the packet list, and opens it. */
    jump(copy: CapturedCopy): Promise<void> {
      return useCaptureStore().reveal(copy.no, copy.index);
    },

    close(): void {
      this.following = null;
      this.result = null;
      this.error = '';
    },
  },
});
