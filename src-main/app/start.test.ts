import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { downloadFailedMessage } from './start';

const repoRoot = join(import.meta.dirname, '..', '..');

describe('npm start where Electron cannot be downloaded', () => {
  it('says why and points to the web host', () => {
    const text = downloadFailedMessage('HTTPError: Response code 404 (Not Found)\n    at x');
    expect(text).toMatch(/could not be downloaded \(HTTPError: Response code 404/);
    expect(text).toMatch(/npm run build && npm run web/);
    expect(text).not.toMatch(/\n\s+at /);
  });

  it('prints that, not a stack, and exits 1, when the download fails', () => {
    const cache = mkdtempSync(join(tmpdir(), 'netlab-electron-cache-'));
    try {
      // A mirror on a closed local port: the download fails at once, with no network involved.
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/app/start.ts'], {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          ELECTRON_MIRROR: 'http://127.0.0.1:9/',
          electron_config_cache: cache,
          ELECTRON_OVERRIDE_DIST_PATH: join(cache, 'none'),
        },
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^netlab: Electron's binary could not be downloaded/);
      expect(r.stderr).toMatch(/npm run web/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }, 70_000);
});
