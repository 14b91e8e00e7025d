import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listenErrorMessage } from './listen-error';

const repoRoot = join(import.meta.dirname, '..', '..');

describe('the web host on a port in use', () => {
  it('names the port and what to do', () => {
    const e = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    expect(listenErrorMessage(e, 8080)).toMatch(/port 8080 is in use.*--port N/);
  });

  it('`npm run web -- --port N` on a taken port prints one line and exits 1, with no stack', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    const renderer = mkdtempSync(join(tmpdir(), 'netlab-renderer-'));
    writeFileSync(join(renderer, 'index.html'), '<!doctype html>');
    try {
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'src-main/web/main.ts', '--port', String(port), '--renderer', renderer],
        { cwd: repoRoot, encoding: 'utf8', timeout: 30_000, input: '' },
      );
      expect(r.stderr).toBe(
        `netlab web: port ${port} is in use (another netlab web, or another program): choose another with --port N, or leave out --port for a free one\n`,
      );
      expect(r.status).toBe(1);
    } finally {
      taken.close();
      rmSync(renderer, { recursive: true, force: true });
    }
  }, 40_000);
});
