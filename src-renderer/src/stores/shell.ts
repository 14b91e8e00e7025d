// One terminal per host: its scrollback, the prompt, the command history (up/down), and the job
// still running (ping), whose output arrives later as `shell.output` events.
import { defineStore } from 'pinia';
import { useApi } from '../api';
import { onLabLoaded } from './lab';

/** Lines a terminal keeps; older ones scroll away. */
export const SCROLLBACK = 5000;

export interface Terminal {
  lines: string[];
  prompt: string;
  history: string[];
  /** The job whose output still streams in, or null. */
  job: number | null;
}

function newTerminal(prompt: string): Terminal {
  return { lines: [], prompt, history: [], job: null };
}

function append(t: Terminal, lines: readonly string[]): void {
  t.lines.push(...lines);
  if (t.lines.length > SCROLLBACK) t.lines.splice(0, t.lines.length - SCROLLBACK);
}

export const useShellStore = defineStore('shell', {
  state: () => ({
    terminals: {} as Record<string, Terminal>,
    host: '',
    /** A command put on a host's input line for the user to run (an exercise's link), by host. */
    drafts: {} as Record<string, string>,
  }),
  actions: {
    init(): void {
      const api = useApi();
      onLabLoaded((view) => {
        this.terminals = Object.fromEntries(view.hosts.map((h) => [h.name, newTerminal(h.prompt)]));
        if (!view.hosts.some((h) => h.name === this.host)) this.host = view.hosts[0]?.name ?? '';
      });
      api.on('shell.output', (e) => {
        const t = this.terminals[e.host];
        if (t) append(t, e.lines);
      });
      api.on('shell.done', (e) => {
        const t = this.terminals[e.host];
        if (!t) return;
        t.prompt = e.prompt;
        if (t.job === e.job) t.job = null;
      });
    },

    terminal(host: string): Terminal {
      return (this.terminals[host] ??= newTerminal(`root@${host}:~# `));
    },

    async exec(host: string, line: string): Promise<void> {
      const t = this.terminal(host);
      append(t, [`${t.prompt}${line}`]);
      if (line.trim() !== '' && t.history.at(-1) !== line) t.history.push(line);
      if (line.trim() === 'clear') {
        t.lines = [];
        return;
      }
      try {
        const r = await useApi().call('shell.exec', { host, line });
        append(t, r.output);
        t.prompt = r.prompt;
        t.job = r.done ? null : r.job;
      } catch (e) {
        append(t, [`netlab: ${(e as Error).message}`]);
      }
    },

    async interrupt(host: string): Promise<void> {
      const t = this.terminal(host);
      append(t, ['^C']);
      try {
        await useApi().call('shell.interrupt', { host });
      } catch (e) {
        append(t, [`netlab: ${(e as Error).message}`]);
      }
    },
  },
});
