// The window's own state: the open tab and the theme.
import { defineStore } from 'pinia';

export const TABS = [
  { id: 'capture', label: 'Capture' },
  { id: 'interface', label: 'Interface' },
  { id: 'stats', label: 'Statistics' },
  { id: 'shell', label: 'Shell' },
  { id: 'generators', label: 'Generators' },
  { id: 'skb', label: 'sk_buff' },
  { id: 'driver', label: 'Driver' },
  { id: 'exercise', label: 'Exercise' },
] as const;

export type TabId = (typeof TABS)[number]['id'];
export type Theme = 'light' | 'dark';

const THEME_KEY = 'netlab.theme';

function initialTheme(): Theme {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(THEME_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches
    ? 'dark'
    : 'light';
}

export const useUiStore = defineStore('ui', {
  state: () => ({
    tab: 'capture' as TabId,
    theme: initialTheme(),
  }),
  actions: {
    toggleTheme(): void {
      this.theme = this.theme === 'light' ? 'dark' : 'light';
      localStorage.setItem(THEME_KEY, this.theme);
    },
  },
});
