// The interface panel's state: which interface is selected, its latest view, and what the kernel
// answered each control. Every change goes through the API's interface operations (dev_ioctl,
// as ifconfig does); a refusal is kept by control so the panel shows it next to that control.
import { defineStore } from 'pinia';
import type { InterfaceView, OpArgs, OpName } from '../../../src-main/ipc/api';
import { useApi } from '../api';
import { explainRefusal } from '../lib/errno';
import { onLabLoaded, useLabStore } from './lab';

/** The interface operations that answer with the interface afterwards or a refusal. */
export type IfaceOp =
  | 'iface.up'
  | 'iface.down'
  | 'iface.setMac'
  | 'iface.setMtu'
  | 'iface.setTxQueueLen'
  | 'iface.setMap'
  | 'iface.setFlag'
  | 'iface.addMulti'
  | 'iface.delMulti'
  | 'iface.join'
  | 'iface.leave';

type Extra<K extends OpName> = Omit<OpArgs<K>, 'host' | 'dev' | 'user'>;

export const useInterfacesStore = defineStore('interfaces', {
  state: () => ({
    host: '',
    dev: '',
    view: null as InterfaceView | null,
    /** Run the operations as the unprivileged user (no CAP_NET_ADMIN). */
    asUser: false,
    /** The refusal or error each control got last, by control: `mac`, `up`, `join`… */
    refusals: {} as Record<string, string>,
    /** What the last private ioctl answered. */
    ioctlResult: '',
    busy: false,
  }),
  getters: {
    selected: (s) => (s.host === '' ? null : { host: s.host, dev: s.dev }),
    isUp: (s) => s.view?.flags.includes('UP') ?? false,
  },
  actions: {
    init(): void {
      const api = useApi();
      onLabLoaded((view) => {
        const first = view.hosts.find((h) => h.interfaces.length > 0);
        const keep = view.hosts
          .find((h) => h.name === this.host)
          ?.interfaces.some((i) => i.name === this.dev);
        if (!keep) {
          this.host = first?.name ?? '';
          this.dev = first?.interfaces[0]?.name ?? '';
        }
        this.refusals = {};
        this.ioctlResult = '';
        this.view =
          view.hosts
            .find((h) => h.name === this.host)
            ?.interfaces.find((i) => i.name === this.dev) ?? null;
      });
      // Changes made elsewhere (the shell, a running lab) show up in the pushed stats.
      api.on('stats', () => {
        if (this.host !== '' && !this.busy) void this.refresh();
      });
    },

    async select(host: string, dev: string): Promise<void> {
      if (host === this.host && dev === this.dev && this.view) return;
      this.host = host;
      this.dev = dev;
      this.refusals = {};
      this.ioctlResult = '';
      this.view =
        useLabStore()
          .lab?.hosts.find((h) => h.name === host)
          ?.interfaces.find((i) => i.name === dev) ?? null;
      await this.refresh();
    },

    async refresh(): Promise<void> {
      if (this.host === '') return;
      const { host, dev } = this;
      try {
        const view = await useApi().call('iface.get', { host, dev });
        if (host === this.host && dev === this.dev) this.view = view;
        useLabStore().patchInterface(view);
      } catch {
        // The lab changed under us; the next `lab` event selects again.
      }
    },

    /** Runs an interface operation for `control`; true if the kernel agreed. */
    async run<K extends IfaceOp>(control: string, op: K, extra: Extra<K>): Promise<boolean> {
      const args = {
        host: this.host,
        dev: this.dev,
        ...extra,
        ...(this.asUser ? { user: true } : {}),
      };
      this.busy = true;
      // The user may pick another interface before the reply: it speaks of this one only.
      const still = () => args.host === this.host && args.dev === this.dev;
      try {
        const r = await useApi().call(op, args as OpArgs<K>);
        if (r.ok) {
          useLabStore().patchInterface(r.iface);
          if (still()) {
            delete this.refusals[control];
            this.view = r.iface;
          }
          return true;
        }
        if (still()) this.refusals[control] = explainRefusal(op, r);
        return false;
      } catch (e) {
        if (still()) this.refusals[control] = (e as Error).message;
        return false;
      } finally {
        this.busy = false;
      }
    },

    /** SIOCDEVPRIVATE + cmd with optional JSON data. */
    async ioctl(cmd: number, dataText: string): Promise<void> {
      let data: unknown;
      try {
        data = dataText.trim() === '' ? undefined : JSON.parse(dataText);
      } catch {
        this.refusals['ioctl'] = 'the data is not JSON';
        return;
      }
      try {
        const r = await useApi().call('iface.ioctl', {
          host: this.host,
          dev: this.dev,
          cmd,
          ...(data === undefined ? {} : { data: data as never }),
          ...(this.asUser ? { user: true } : {}),
        });
        if (r.ok) {
          delete this.refusals['ioctl'];
          this.ioctlResult = JSON.stringify(r.data, null, 2);
          await this.refresh();
        } else {
          this.refusals['ioctl'] = explainRefusal('iface.ioctl', r);
          this.ioctlResult = '';
        }
      } catch (e) {
        this.refusals['ioctl'] = (e as Error).message;
      }
    },
  },
});
