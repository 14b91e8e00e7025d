// The generators view: the hash-collisions flood listed with what it sends, stopped and started
// again while the lab runs.
import { expect, test, type Browser } from '@playwright/test';
import {
  collectErrors,
  launchChromium,
  loadBuiltin,
  startWebHost,
  stopWebHost,
  type WebHost,
} from './support/web-host';

let web: WebHost;
let browser: Browser;

test.beforeAll(async () => {
  web = await startWebHost();
  browser = await launchChromium();
});

test.afterAll(async () => {
  await browser?.close();
  await stopWebHost(web);
});

const digits = (text: string | null) => parseInt((text ?? '').replace(/\D/g, ''), 10);

test('list, stop and start a generator', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = collectErrors(page);
  await page.goto(web.url);
  await loadBuiltin(page, 'hash-collisions');
  await page.getByRole('tab', { name: 'Generators' }).click();
  const flood = page.getByTestId('generators').locator('[data-generator="flood"]');
  await expect(flood).toContainText('h0:eth0');
  await expect(flood).toContainText('239.1.1.24:5000');
  await expect(flood).toContainText('10000pps');
  await expect(flood).toContainText('sending');

  await page.getByLabel('Speed').selectOption('0.1');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect
    .poll(async () => digits(await flood.locator('.sent').textContent()))
    .toBeGreaterThan(10);
  await flood.getByRole('button', { name: 'Stop' }).click();
  await expect(flood).toContainText('stopped');
  const stoppedAt = digits(await flood.locator('.sent').textContent());
  await page.waitForTimeout(500);
  expect(digits(await flood.locator('.sent').textContent())).toBe(stoppedAt);

  // Started again: a new stream from now, counting from zero.
  await flood.getByRole('button', { name: 'Start' }).click();
  await expect(flood).toContainText('sending');
  await expect
    .poll(async () => digits(await flood.locator('.sent').textContent()))
    .toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.screenshot({ path: 'test-results/window-generators.png' });
  expect(errors).toEqual([]);
});
