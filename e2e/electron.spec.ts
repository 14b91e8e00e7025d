// The real Electron app: out/main, out/preload and out/renderer, as `npm start` runs them.
// Run `npx electron-vite build` first (`npm run e2e` does).
//
// The spec needs Electron's own binary, which npm downloads on first use. Where it is absent
// (machines without access to Electron's downloads), the spec is skipped, and says so.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

const repoRoot = join(import.meta.dirname, '..');

/**
 * The Electron executable, or null if it is not installed. This reads the electron package's
 * path.txt instead of calling `require('electron')`, which would try to download the binary.
 */
function installedElectron(): string | null {
  const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : null;
}

const executablePath = installedElectron();
const skipReason = 'Electron binary not installed on this machine; the Electron spec did not run';

// The list reporter does not show skip reasons, so the spec also prints it.
if (executablePath === null) console.log(skipReason);
test.skip(executablePath === null, skipReason);

test('the app opens one locked-down window titled "netlab"', async () => {
  const app = await electron.launch({
    executablePath: executablePath!,
    // Chromium refuses to run as root (as on CI) unless its OS sandbox is off.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), repoRoot],
  });
  try {
    const window = await app.firstWindow();
    await expect(window).toHaveTitle('netlab');
    await expect(window.getByRole('heading', { name: 'netlab' })).toBeVisible();
    await expect(window.getByText('Host: electron')).toBeVisible();

    const windows = await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((w) => w.getTitle()),
    );
    expect(windows).toEqual(['netlab']);

    // What the page can see of its lockdown: no Node (nodeIntegration off, sandbox on), the
    // preload's API present (contextBridge works only with contextIsolation on), and no new
    // windows (the window-open handler denies them).
    const page = await window.evaluate(() => {
      const scope = globalThis as unknown as Record<string, unknown> & {
        netlab?: Record<string, unknown>;
        open(url: string): unknown;
      };
      return {
        require: typeof scope['require'],
        process: typeof scope['process'],
        netlabHost: scope.netlab?.['host'],
        // The bridge and nothing else: no ipcRenderer, no send/invoke of arbitrary channels.
        netlabKeys: Object.keys(scope.netlab ?? {}).sort(),
        opened: scope.open('about:blank'),
      };
    });
    expect(page).toEqual({
      require: 'undefined',
      process: 'undefined',
      netlabHost: 'electron',
      netlabKeys: ['host', 'onEvent', 'request'],
      opened: null,
    });
  } finally {
    await app.close();
  }
});

test('the API works over IPC: load the built-in lab, run it, see the time advance', async () => {
  const app = await electron.launch({
    executablePath: executablePath!,
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), repoRoot],
  });
  try {
    const window = await app.firstWindow();
    // The same steps as e2e/web.spec.ts (see e2e/support/web-host.ts), over IPC instead.
    await window.getByLabel('Built-in lab').selectOption('hash-collisions');
    await window.getByRole('button', { name: 'Load', exact: true }).click();
    const topology = window.getByRole('img', { name: /Topology/ });
    for (const name of ['h0 eth0', 'h1 eth0', 'h2 eth0'])
      await expect(topology.getByRole('button', { name })).toBeVisible();
    await window.getByRole('button', { name: 'Run' }).click();
    await expect
      .poll(async () => parseFloat((await window.getByTestId('sim-time').textContent()) ?? '0'))
      .toBeGreaterThan(0.2);
    await window.getByRole('button', { name: 'Pause' }).click();
    // A request the contract refuses comes back as an error reply naming the field.
    const reply = await window.evaluate(() =>
      (
        globalThis as unknown as {
          netlab: { request(op: string, args: unknown): Promise<unknown> };
        }
      ).netlab.request('iface.setMtu', { host: 'h1', dev: 'eth0', mtu: 'big' }),
    );
    expect(reply).toMatchObject({ ok: false, error: { field: 'args.mtu' } });
    await window.screenshot({ path: 'test-results/electron.png' });
  } finally {
    await app.close();
  }
});
