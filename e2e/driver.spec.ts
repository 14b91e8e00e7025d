// The driver workbench: a student opens a driver exercise, sees its checks fail with the starter
// driver, finds the Tulip's CSR8 in the register map, types the missing lines into the editor,
// reloads the driver into the lab, and the checks turn green. A driver that does not load shows
// its oops with the line marked.
import { expect, test, loadBuiltin, runExercise } from './support/lab-test';

test('a student writes getStats in the editor and the exercise passes', async ({
  page,
  web,
  errors,
}) => {
  test.setTimeout(120_000);
  await page.goto(web.url);
  await loadBuiltin(page, 'driver-tulip-stats');

  // As shipped, the starter driver does not report the frames the card missed.
  await runExercise(page);
  await expect(page.getByTestId('checks-score')).toHaveText('1 of 2 pass');

  // The editor shows the driver the lab runs, the kernel API and the card's registers.
  await page.getByRole('tab', { name: 'Driver' }).click();
  const editor = page.getByTestId('driver-editor');
  await expect(editor).toContainText('// Exercise: getStats.');
  // getStats is near the end of the file: the editor draws only the lines in view.
  await editor.locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await expect(editor).toContainText('getStats(k, dev) {');
  const reference = page.getByRole('complementary', { name: 'Reference' });
  await expect(reference).toContainText('k.ioread32(addr)');
  await reference.getByRole('button', { name: 'tulip registers' }).click();
  await expect(reference).toContainText('CSR8');
  await expect(reference).toContainText('missed frames');

  // The student types the missing lines at the start of getStats' body.
  await editor.locator('.cm-line', { hasText: 'return dev.stats;' }).last().click();
  await page.keyboard.press('Home');
  // Brackets close themselves as they are typed; the typed ')' steps over them.
  await page.keyboard.type(
    'if (k.netif_running(dev)) dev.stats.rx_missed_errors += k.ioread32(dev.base_addr + CSR8) & 0xffff;',
  );
  await page.keyboard.press('Escape'); // no completion popup in the way
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('driver-status')).toContainText('Edited: not yet in the lab');
  await page.getByRole('button', { name: 'Reload into lab' }).click();
  await expect(page.getByTestId('driver-status')).toContainText("Loaded into h1's eth0");
  await expect(page.getByTestId('oops')).toHaveCount(0);

  // The flood of the first run is over: Reset brings the lab back, with the student's driver.
  await page.getByRole('tab', { name: 'Exercise' }).click();
  await page.getByRole('button', { name: 'Reset' }).click();
  await runExercise(page);
  await expect(page.getByTestId('checks-score')).toHaveText('2 of 2 pass');

  // A driver that does not load: its oops, with the line marked in the editor.
  await page.getByRole('tab', { name: 'Driver' }).click();
  await editor.locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await editor.locator('.cm-line', { hasText: 'return dev.stats;' }).last().click();
  await page.keyboard.press('End');
  await page.keyboard.type(' )');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Reload into lab' }).click();
  const oops = page.getByTestId('oops');
  await expect(oops).toContainText('syntax error');
  await expect(editor.locator('.cm-oops-line')).toHaveCount(1);
  expect(errors).toEqual([]);
});
