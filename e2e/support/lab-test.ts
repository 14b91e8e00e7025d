// The fixtures every web spec shares, so a spec holds only what it tests:
//   web     the web host (`npm run web` on a random port), one per spec file, as if each file
//           were a fresh start of the app; the tests of one file share it (and its lab).
//   page    Playwright's own, in Debian's Chromium at 1280×800 (see playwright.config.ts).
//   errors  script errors and CSP violations the page logged; a test ends with
//           `expect(errors).toEqual([])`.
import { expect, test as base, type Page } from '@playwright/test';
import { collectErrors, loadBuiltin, startWebHost, stopWebHost, type WebHost } from './web-host';

export { expect } from '@playwright/test';
export { loadBuiltin, type WebHost } from './web-host';

/** The web host of the spec file the worker runs now. */
interface CurrentHost {
  file: string | null;
  host: WebHost | null;
}

export const test = base.extend<{ web: WebHost; errors: string[] }, { currentHost: CurrentHost }>({
  currentHost: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's needs from this pattern
    async ({}, use) => {
      const current: CurrentHost = { file: null, host: null };
      await use(current);
      await stopWebHost(current.host ?? undefined);
    },
    { scope: 'worker' },
  ],
  web: async ({ currentHost }, use, testInfo) => {
    // A worker runs spec files one after another: the first test of a file starts a new host.
    if (currentHost.file !== testInfo.file || currentHost.host === null) {
      await stopWebHost(currentHost.host ?? undefined);
      currentHost.host = null;
      currentHost.host = await startWebHost();
      currentHost.file = testInfo.file;
    }
    await use(currentHost.host);
  },
  errors: async ({ page }, use) => {
    await use(collectErrors(page));
  },
});

/** Opens the window on the web host and loads a built-in lab. */
export async function openBuiltin(page: Page, web: WebHost, id: string): Promise<void> {
  await page.goto(web.url);
  await loadBuiltin(page, id);
}

/** Types each line into HOST's shell (Shell tab) and waits for the terminal to echo it. */
export async function shell(page: Page, host: string, lines: string[]): Promise<void> {
  await page.getByRole('tab', { name: 'Shell' }).click();
  await page.getByRole('button', { name: host, exact: true }).click();
  const input = page.getByLabel(`Command for ${host}`);
  for (const line of lines) {
    await input.fill(line);
    await input.press('Enter');
    await expect(page.getByTestId(`terminal-${host}`)).toContainText(line);
  }
}

/** Run exercise from its tab, and waits until the run is over (the button is back). */
export async function runExercise(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Exercise' }).click();
  await page.getByRole('button', { name: 'Run exercise' }).click();
  await expect(page.getByRole('button', { name: 'Run exercise' })).toBeEnabled({
    timeout: 60_000,
  });
}
