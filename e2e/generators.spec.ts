// The generators view: the hash-collisions flood listed with what it sends, stopped and started
// again while the lab runs; a new generator created (after a refused rate), and the flood edited.
import { readFileSync } from 'node:fs';
import { expect, test, loadBuiltin } from './support/lab-test';

const digits = (text: string | null) => parseInt((text ?? '').replace(/\D/g, ''), 10);

test('list, stop, start, create and edit generators', async ({ page, web, errors }) => {
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

  // A new generator: a bad rate is refused with the field named; a good one starts sending.
  await page.getByRole('button', { name: 'New generator…' }).click();
  const form = page.getByRole('form', { name: 'Generator' });
  await form.getByLabel('Name').fill('probe');
  await form.getByLabel('From').selectOption('h2');
  await form.getByLabel('To', { exact: true }).fill('239.1.1.1:5000');
  await form.getByLabel('Rate').fill('10 furlongs');
  await form.getByLabel('Count').fill('3');
  await form.getByRole('button', { name: 'Create and start' }).click();
  await expect(page.getByTestId('generator-error')).toContainText('rate');
  await expect(form.getByLabel('Rate')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Rate').fill('100pps');
  await form.getByRole('button', { name: 'Create and start' }).click();
  await expect(form).toHaveCount(0);
  const probe = page.getByTestId('generators').locator('[data-generator="probe"]');
  await expect(probe).toContainText('h2:eth0');
  await expect(probe).toContainText('100pps');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect.poll(async () => digits(await probe.locator('.sent').textContent())).toBe(3);
  await page.getByRole('button', { name: 'Pause' }).click();

  // Edit the flood: half the rate.
  await flood.getByRole('button', { name: 'Edit' }).click();
  await expect(form.getByLabel('Name')).toHaveValue('flood');
  // The form holds the whole entry of the lab file, so saving it keeps what was not edited.
  await expect(form.getByLabel('Size')).toHaveValue('18');
  await expect(form.getByLabel('Stop')).toHaveValue('1s');
  await form.getByLabel('Rate').fill('5000pps');
  await page.screenshot({ path: 'test-results/window-generators.png' });
  await form.getByRole('button', { name: 'Save and restart' }).click();
  await expect(flood).toContainText('5000pps');
  await expect(flood).toContainText('sending');

  // The lab file saved (a download here) has both.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save', exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('hash-collisions.yaml');
  const saved = readFileSync(await download.path(), 'utf8');
  expect(saved).toMatch(/name: probe/);
  expect(saved).toMatch(/rate: 5000pps/);
  expect(saved).toMatch(/stop: 1s/);
  expect(errors).toEqual([]);
});
