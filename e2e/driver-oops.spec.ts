// An oops while the lab runs, seen without asking: a student puts a wait-for-the-card loop in the
// Tulip's interrupt handler, reloads, runs the exercise from its tab, and the status bar says
// which device oopsed and why, at which line of their file; the Driver tab's badge counts it, and
// Show in Driver opens the editor on that line, marked, with the kernel's report and stack.
import { expect, test, loadBuiltin } from './support/lab-test';

test('an interrupt handler that locks up is reported live, with its line', async ({
  page,
  web,
  errors,
}) => {
  test.setTimeout(120_000);
  await page.goto(web.url);
  await loadBuiltin(page, 'driver-tulip-stats');

  await page.getByRole('tab', { name: 'Driver' }).click();
  const editor = page.getByTestId('driver-editor');
  await editor.locator('.cm-content').click();
  // Find the interrupt handler as a student would: the editor's search.
  await page.keyboard.press('Control+f');
  await page.keyboard.type('interrupt(k, dev) {');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  // The bug: waiting in the handler for a status bit the card never sets.
  await page.keyboard.type('while (!(k.ioread32(dev.base_addr + CSR5) & 0x80000000)) k.udelay(1);');
  await page.keyboard.press('Escape');
  // The line the cursor is on, as the editor's gutter numbers it.
  const line = Number(await editor.locator('.cm-lineNumbers .cm-activeLineGutter').innerText());
  expect(line).toBeGreaterThan(300);
  await page.getByRole('button', { name: 'Reload into lab' }).click();
  await expect(page.getByTestId('driver-status')).toContainText("Loaded into h1's eth0");

  // The student runs the exercise from its own tab, and sees the oops there.
  await page.getByRole('tab', { name: 'Exercise' }).click();
  await page.getByRole('button', { name: 'Run exercise' }).click();
  const notice = page.getByTestId('driver-report');
  await expect(notice).toContainText('h1 eth0: Oops: watchdog: hard LOCKUP in interrupt', {
    timeout: 60_000,
  });
  await expect(notice).toContainText(`(driver-tulip-stats.js:${line})`);
  await expect(page.getByTestId('driver-badge')).toBeVisible();
  // The notice fits the narrowest window the app supports, its action in view.
  await page.setViewportSize({ width: 1024, height: 700 });
  await expect(notice.getByRole('button', { name: 'Show in Driver' })).toBeInViewport();
  await page.screenshot({ path: test.info().outputPath('driver-oops-notice-1024x700.png') });
  await expect(page.getByRole('button', { name: 'Run exercise' })).toBeEnabled({
    timeout: 60_000,
  });

  await notice.getByRole('button', { name: 'Show in Driver' }).click();
  await expect(page.getByRole('tab', { name: /Driver/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('driver-badge')).toHaveCount(0);
  const oops = page.getByTestId('oops');
  await expect(oops).toContainText('hard LOCKUP in interrupt');
  await expect(oops).toContainText('on h1 eth0');
  await expect(oops.getByTestId('oops-line')).toHaveText(`driver-tulip-stats.js:${line}`);
  await expect(oops).toContainText(`at interrupt (driver-tulip-stats.js:${line}:`);
  await expect(editor.locator('.cm-oops-line')).toHaveCount(1);
  await expect(editor.locator('.cm-oops-line')).toContainText('while (!(k.ioread32');

  for (const [width, height] of [
    [1024, 700],
    [1366, 768],
  ]) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: test.info().outputPath(`driver-oops-${width}x${height}.png`) });
  }
  expect(errors).toEqual([]);
});
