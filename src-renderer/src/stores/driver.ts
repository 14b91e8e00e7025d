// The driver editor: which student drivers the lab has, the one open, its text as edited, what
// the lab runs, and the oopses it caused. Reload puts the edited text into the running lab.
import { defineStore } from 'pinia';
import type { DriverRef, DriverSourceView, EventData, OopsView } from '../../../src-main/ipc/api';
import { useApi } from '../api';
import { base64Encode, download } from '../lib/download';
import { useExerciseStore } from './exercise';
import { onLabLoaded } from './lab';
import { useUiStore } from './ui';

/** A report the kernel pushed while the lab ran: the device, its driver and what it said. */
export type LiveReport = EventData<'driver.report'>['reports'][number];

/** Reports the window keeps to show (the newest). */
const MAX_LIVE = 8;

const sameOops = (a: OopsView | null, b: OopsView) =>
  a !== null && a.message === b.message && a.timeNs === b.timeNs && a.line === b.line;

export const useDriverStore = defineStore('driver', {
  state: () => ({
    drivers: [] as DriverRef[],
    /** `host/dev` of the driver open in the editor ('' when none). */
    current: '',
    source: null as DriverSourceView | null,
    /** The editor's text: what Save writes and Reload loads. */
    text: '',
    /** The text last saved or loaded from the file, to tell whether there is something to save. */
    savedText: '',
    /** The oops shown under the editor, with its line highlighted (the newest, or a reload's). */
    oops: null as OopsView | null,
    /** What drivers reported while the lab ran, newest last: the status bar shows the newest. */
    live: [] as LiveReport[],
    /** Reports made while the Driver tab was not in view: its badge. */
    unseen: 0,
    busy: false,
    /** What the last action did, for the status line under the editor. */
    notice: '',
    error: '',
  }),
  getters: {
    /** The text differs from what the lab runs: Reload would change something. */
    changed: (s) => s.source !== null && s.text !== s.source.text,
    unsaved: (s) => s.source !== null && s.text !== s.savedText,
  },
  actions: {
    init(): void {
      onLabLoaded(() => {
        this.live = [];
        this.unseen = 0;
        void this.refresh();
      });
      useApi().on('driver.report', (e) => this.receive(e.reports));
    },

    /**
     * Reports pushed while the lab ran: kept for the status bar and the Driver tab's badge; one
     * from the driver open in the editor is shown there at once, its line marked.
     */
    receive(reports: readonly LiveReport[]): void {
      const inView = useUiStore().tab === 'driver';
      for (const r of reports) {
        const cur = this.source;
        const open = cur !== null && cur.host === r.host && cur.dev === r.dev;
        if (open && sameOops(this.oops, r.oops)) continue; // a reload's own reply said it
        this.live.push(r);
        if (open) this.oops = r.oops;
        if (!inView) this.unseen++;
      }
      if (this.live.length > MAX_LIVE) this.live.splice(0, this.live.length - MAX_LIVE);
    },

    /** The Driver tab is in view: its reports have been seen. */
    seen(): void {
      this.unseen = 0;
    },

    /** Shows report `r` in the Driver tab: its driver in the editor, its line marked. */
    async show(r: LiveReport): Promise<void> {
      const ui = useUiStore();
      if (!this.source || this.source.host !== r.host || this.source.dev !== r.dev)
        await this.open(r.host, r.dev);
      this.oops = r.oops;
      ui.tab = 'driver';
      this.unseen = 0;
    },

    /** Lists the lab's student drivers and opens the first (or keeps the open one). */
    async refresh(): Promise<void> {
      try {
        this.drivers = await useApi().call('driver.list', {});
      } catch (e) {
        this.drivers = [];
        this.error = (e as Error).message;
      }
      const keep = this.drivers.find((d) => `${d.host}/${d.dev}` === this.current);
      const first = keep ?? this.drivers[0];
      if (first) await this.open(first.host, first.dev);
      else {
        this.current = '';
        this.source = null;
        this.text = this.savedText = '';
        this.oops = null;
      }
    },

    async open(host: string, dev: string): Promise<void> {
      this.error = '';
      try {
        const src = await useApi().call('driver.get', { host, dev });
        this.current = `${host}/${dev}`;
        this.source = src;
        this.text = this.savedText = src.text;
        this.oops = src.oopses.at(-1) ?? null;
        this.notice = '';
      } catch (e) {
        this.error = (e as Error).message;
      }
    },

    /** Fetches the driver again (after the lab ran): its oopses, if any were new. */
    async poll(): Promise<void> {
      if (!this.source) return;
      try {
        const src = await useApi().call('driver.get', {
          host: this.source.host,
          dev: this.source.dev,
        });
        this.source = src;
        this.oops = src.oopses.at(-1) ?? this.oops;
      } catch (e) {
        this.error = (e as Error).message;
      }
    },

    /**
     * Puts `text` (an exercise's solution driver) in the editor for `host`'s `dev`, in the
     * Driver tab: the student reads it there and reloads it (Save writes it as their file).
     */
    async loadText(host: string, dev: string, text: string, what: string): Promise<void> {
      if (!this.source || this.source.host !== host || this.source.dev !== dev)
        await this.open(host, dev);
      if (!this.source) return;
      this.text = text;
      this.notice = `${what} is in the editor: Reload into lab to run it`;
      useUiStore().tab = 'driver';
    },

    /** Loads the editor's text into the running lab. */
    async reload(): Promise<boolean> {
      const src = this.source;
      if (!src || this.busy) return false;
      this.busy = true;
      this.error = '';
      try {
        const r = await useApi().call('driver.reload', {
          host: src.host,
          dev: src.dev,
          text: this.text,
        });
        if (r.ok) {
          this.source = r.driver;
          this.oops = r.driver.oopses.at(-1) ?? null;
          this.notice = `Loaded into ${src.host}'s ${src.dev}`;
          const exercise = useExerciseStore();
          if (exercise.ran) {
            exercise.reloadedAfterRun = true;
            this.notice +=
              '. The exercise already ran and its traffic is over: Reset (Exercise tab) runs it again from the start with this driver';
          }
          return true;
        }
        this.oops = r.oops;
        this.notice = 'Not loaded: the device stays down until a driver that loads is reloaded';
        return false;
      } catch (e) {
        this.error = (e as Error).message;
        return false;
      } finally {
        this.busy = false;
      }
    },

    async save(): Promise<void> {
      const src = this.source;
      if (!src) return;
      this.error = '';
      try {
        const r = await useApi().call('driver.save', {
          host: src.host,
          dev: src.dev,
          text: this.text,
        });
        if (r.saved) this.notice = `Saved ${r.file}`;
        else {
          download({
            fileName: r.fileName,
            mime: 'text/javascript',
            base64: base64Encode(r.text),
          });
          this.notice = `Downloaded ${r.fileName}`;
        }
        this.savedText = this.text;
      } catch (e) {
        this.error = (e as Error).message;
      }
    },
  },
});
