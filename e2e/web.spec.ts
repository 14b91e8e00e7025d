// The web host end to end: `npm run web` on a random port, the built renderer (out/renderer) in
// Debian's Chromium, and the lab driven through the UI as a user would: load the built-in lab,
// see its hosts, press Run, watch the simulated time advance. Run `npx electron-vite build`
// first (`npm run e2e` does).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { chromium, expect, test, type Browser } from '@playwright/test';

const repoRoot = join(import.meta.dirname, '..');

let web: ChildProcess;
let url: string;
let browser: Browser;

/** Starts `npm run web` (as node directly: no npm wrapper between the test and the server). */
function startWebHost(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src-main/web/main.ts', '--port', '0'],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`the web host did not start:\n${out}${err}`)),
      30_000,
    );
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the web host exited (${code}):\n${out}${err}`));
    });
  });
}

test.beforeAll(async () => {
  ({ child: web, url } = await startWebHost());
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
});

test.afterAll(async () => {
  await browser?.close();
  if (web && web.exitCode === null) {
    const exited = new Promise((resolve) => web.once('exit', resolve));
    web.kill('SIGTERM');
    await exited;
  }
});

test('loads the built-in lab, runs it, and shows the simulated time advancing', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // Any script error or Content-Security-Policy violation shows up as a console error.
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));

  await page.goto(url);
  await expect(page).toHaveTitle('netlab');
  await expect(page.getByText('Host: web')).toBeVisible();
  await expect(page.getByText(/version \d+\.\d+\.\d+/)).toBeVisible();

  await page.getByLabel('Built-in lab').selectOption('hash-collisions');
  await page.getByRole('button', { name: 'Load' }).click();

  await expect(page.getByRole('heading', { name: 'hash-collisions' })).toBeVisible();
  const hosts = page.getByRole('list', { name: 'Hosts' }).getByRole('listitem');
  await expect(hosts).toHaveCount(3);
  for (const [i, name] of ['h0', 'h1', 'h2'].entries())
    await expect(hosts.nth(i).locator('strong')).toHaveText(name);
  await expect(hosts.nth(1)).toContainText('eth0 · hash64 · 10.0.0.2/24');

  const time = page.getByTestId('sim-time');
  await expect(time).toHaveText('0.000000 s');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  // Real time (1×): pushed stats move the clock on about ten times a second.
  await expect(time).not.toHaveText('0.000000 s');
  await expect
    .poll(async () => parseFloat((await time.textContent()) ?? '0'), { timeout: 10_000 })
    .toBeGreaterThan(0.5);
  await page.screenshot({ path: 'test-results/web.png' });

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Run' })).toBeVisible();
  const paused = await time.textContent();
  await page.waitForTimeout(300);
  await expect(time).toHaveText(paused!);

  expect(errors).toEqual([]);
});

test('refuses the API to a page opened without the token', async () => {
  const page = await browser.newPage();
  await page.goto(url.replace(/\?token=.*/, ''));
  await expect(page.getByRole('alert')).toContainText('no API token in the address');
});
