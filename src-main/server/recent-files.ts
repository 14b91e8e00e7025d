// Recently opened lab files, kept in a small JSON file (Electron: the user-data directory). A UI
// sees each as a name and an opaque token, never as a path; the token is good for this run only.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { writeFileAtomic } from '../files/atomic-file';

const MAX_RECENT = 10;

export class RecentFiles {
  private paths: string[] = [];
  private readonly tokens = new Map<string, string>();

  /** `store`: the JSON file to keep the list in, or null to keep it in memory only. */
  constructor(private readonly store: string | null) {
    if (store === null || !existsSync(store)) return;
    try {
      const data: unknown = JSON.parse(readFileSync(store, 'utf8'));
      if (Array.isArray(data))
        this.paths = data.filter((p) => typeof p === 'string').slice(0, MAX_RECENT);
    } catch {
      // A damaged list is forgotten, not fatal.
    }
  }

  /** Most recent first, with a token each. */
  list(): { token: string; name: string }[] {
    return this.paths.map((path) => ({ token: this.tokenFor(path), name: basename(path) }));
  }

  /** The most recent file that still exists (the lab to reopen on start), or null. */
  last(): string | null {
    return this.paths.find((p) => existsSync(p)) ?? null;
  }

  pathOf(token: string): string | null {
    return this.tokens.get(token) ?? null;
  }

  add(path: string): void {
    this.paths = [path, ...this.paths.filter((p) => p !== path)].slice(0, MAX_RECENT);
    if (this.store === null) return;
    try {
      writeFileAtomic(this.store, `${JSON.stringify(this.paths, null, 2)}\n`);
    } catch {
      // Not being able to remember recent files must not stop the user's work.
    }
  }

  private tokenFor(path: string): string {
    for (const [token, p] of this.tokens) if (p === path) return token;
    const token = randomBytes(9).toString('base64url');
    this.tokens.set(token, path);
    return token;
  }
}
