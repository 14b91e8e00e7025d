// The web host end to end: `npm run web` on a random port, the built renderer (out/renderer) in
// Debian's Chromium, and the lab driven through the window as a user would: load the built-in
// lab, press Run, watch the simulated time advance, pause. Run `npx electron-vite build` first
// (`npm run e2e` does).
import { expect, test, loadBuiltin } from './support/lab-test';

test('loads the built-in lab, runs it, and shows the simulated time advancing', async ({
  page,
  web,
  errors,
}) => {
  await page.goto(web.url);
  await expect(page).toHaveTitle('netlab');
  await expect(page.getByText('Host: web')).toBeVisible();
  await expect(page.getByText(/version \d+\.\d+\.\d+/)).toBeVisible();

  await loadBuiltin(page, 'hash-collisions');
  const topology = page.getByRole('img', { name: /Topology/ });
  for (const name of ['h0 eth0', 'h1 eth0', 'h2 eth0'])
    await expect(topology.getByRole('button', { name })).toBeVisible();

  const time = page.getByTestId('sim-time');
  await expect(time).toHaveText('0.000000000 s');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  // Real time (1×): pushed stats move the clock on about ten times a second.
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

test('refuses the API to a page opened without the token', async ({ page, web }) => {
  await page.goto(web.url.replace(/\?token=.*/, ''));
  await expect(page.getByRole('alert')).toContainText('no API token in the address');
});
