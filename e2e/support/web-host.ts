// Shared by the web specs: `npm run web` on a random port (as node directly, no npm wrapper), and
// Debian's Chromium. Run `npx electron-vite build` first (`npm run e2e` does).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { chromium, expect, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './chromium';

const repoRoot = join(import.meta.dirname, '..', '..');

export interface WebHost {
  child: ChildProcess;
  url: string;
}

export function startWebHost(): Promise<WebHost> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src-main/web/main.ts', '--port', '0'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
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

export async function stopWebHost(web: WebHost | undefined): Promise<void> {
  const child = web?.child;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch(CHROMIUM_LAUNCH);
}

/** Collects script errors and Content-Security-Policy violations (both show as console errors). */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/**
 * Loads a built-in lab through the toolbar and waits until it is shown: a new
 * lab generation, not only its name (the same lab may be loaded already).
 */
export async function loadBuiltin(page: Page, id: string): Promise<void> {
  const name = page.getByTestId('lab-name');
  const before = await name.getAttribute('data-generation');
  await page.getByLabel('Built-in lab').selectOption(id);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  if (before !== null) await expect(name).not.toHaveAttribute('data-generation', before);
  await name.filter({ hasText: id }).waitFor();
}
