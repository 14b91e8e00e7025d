// The statistics view while the hash-collisions flood runs: counters rising with their deltas and
// rates, the live charts, the CPU h1 spends on frames it did not want, the sinks, and /proc.
import { expect, test, loadBuiltin } from './support/lab-test';

const digits = (text: string | null) => parseInt((text ?? '').replace(/\D/g, ''), 10);

test('counters rise, charts stream, h1 wastes CPU on the flood', async ({ page, web, errors }) => {
  await page.goto(web.url);
  await loadBuiltin(page, 'hash-collisions');
  await page.getByRole('tab', { name: 'Statistics' }).click();
  await page.getByLabel('Counters of').selectOption('h1:eth0');
  const rx = page.getByTestId('counters').locator('[data-counter="rx_packets"]');
  await expect(rx.locator('.value')).toHaveText('0');

  await page.getByRole('button', { name: 'Run' }).click();
  // While the flood runs (real time), rx_packets moves: a delta and a rate of about 10 k/s.
  await expect(rx).toHaveClass(/moved/, { timeout: 10_000 });
  await expect(rx.locator('td').nth(3)).toContainText('k/s');
  await expect
    .poll(async () => digits(await rx.locator('.value').textContent()))
    .toBeGreaterThan(1000);

  // Three live charts, each a canvas drawn by uPlot with a series per host.
  for (const metric of ['rx', 'tx', 'drops']) {
    const chart = page.getByTestId(`chart-${metric}`);
    await expect(chart.locator('canvas')).toHaveCount(1);
    await expect(chart.locator('.u-legend')).toContainText('h1');
  }

  // h1's hash filter lets the flood in and its kernel pays for it; h2's perfect filter does not.
  const cpu = page.getByTestId('cpu');
  await expect(cpu.locator('[data-host="h1"] .wasted')).not.toHaveText('0 ns');
  await expect(cpu.locator('[data-host="h2"] .wasted')).toHaveText('0 ns');

  await expect(page.getByTestId('sinks')).toContainText('h1:239.1.1.1:5000');
  await page.getByLabel('/proc of host').selectOption('h1');
  await expect(page.getByTestId('proc-text')).toContainText('eth0:');
  await page.getByLabel('/proc file').selectOption('/proc/interrupts');
  await expect(page.getByTestId('proc-text')).toContainText('eth0');

  await page.waitForTimeout(1500);
  await page.screenshot({ path: 'test-results/window-statistics.png' });
  await page.getByRole('button', { name: 'Pause' }).click();
  expect(errors).toEqual([]);
});
