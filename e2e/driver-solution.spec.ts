// Show the solution for a driver exercise: after the hints, the student sees what the reference
// driver changes in their starter (diff -u style, read-only), loads it into the editor, reloads
// it into the lab, and the exercise passes.
import { expect, test, loadBuiltin, runExercise } from './support/lab-test';

test('a driver exercise’s solution is shown as a diff and loads into the editor', async ({
  page,
  web,
  errors,
}) => {
  test.setTimeout(120_000);
  await page.goto(web.url);
  await loadBuiltin(page, 'driver-8390-multicast');
  await page.getByRole('tab', { name: 'Exercise' }).click();
  const help = page.getByRole('region', { name: 'Help' });
  for (let i = 1; i <= 3; i++)
    await help.getByRole('button', { name: `Show hint ${i} of 3` }).click();
  await help.getByRole('button', { name: 'Show the solution' }).click();

  const solution = page.getByTestId('solution-driver');
  await expect(solution).toContainText(
    "h1 eth0 runs the card's driver ne2k.js in place of your driver-8390-multicast.js",
  );
  const diff = solution.getByLabel('Changes the solution makes');
  await expect(diff).toContainText('@@ -');
  await expect(
    diff.locator('.add', { hasText: 'const crc = k.ether_crc(6, ha.addr);' }),
  ).toHaveCount(1);
  await expect(diff.locator('.del', { hasText: 'TODO: for every address' })).toHaveCount(1);
  await solution
    .getByRole('button', { name: 'Load the solution into the editor' })
    .scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('driver-solution.png') });

  await solution.getByRole('button', { name: 'Load the solution into the editor' }).click();
  await expect(page.getByRole('tab', { name: 'Driver' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('driver-status')).toContainText('Edited: not yet in the lab');
  await expect(page.getByTestId('driver-status')).toContainText(
    'The solution (ne2k.js) is in the editor',
  );
  await page.getByRole('button', { name: 'Reload into lab' }).click();
  await expect(page.getByTestId('driver-status')).toContainText("Loaded into h1's eth0");

  await runExercise(page);
  await expect(page.getByTestId('checks-score')).toHaveText('3 of 3 pass');
  // The student's driver is now the solution: nothing left to change.
  await expect(solution).toContainText('your driver is the same');
  expect(errors).toEqual([]);
});

test('the AT1700 exercise in the window: the starter fails, its solution passes', async ({
  page,
  web,
  errors,
}) => {
  test.setTimeout(120_000);
  await page.goto(web.url);
  await loadBuiltin(page, 'driver-promisc-only');
  // The student's card is drawn with the others, named by its kind.
  await expect(page.getByRole('button', { name: 'h1 eth0' })).toContainText('at1700');
  // As shipped, the starter's setMulticastList keeps the card in mode 2: no group gets in.
  await runExercise(page);
  await expect(page.getByTestId('checks-score')).toHaveText('0 of 3 pass');

  const help = page.getByRole('region', { name: 'Help' });
  for (let i = 1; i <= 3; i++)
    await help.getByRole('button', { name: `Show hint ${i} of 3` }).click();
  await help.getByRole('button', { name: 'Show the solution' }).click();
  const solution = page.getByTestId('solution-driver');
  await expect(solution).toContainText('at1700.js');
  await expect(
    solution.getByLabel('Changes the solution makes').locator('.add', { hasText: 'IFF_PROMISC' }),
  ).not.toHaveCount(0);
  await solution.getByRole('button', { name: 'Load the solution into the editor' }).click();
  await page.getByRole('button', { name: 'Reload into lab' }).click();
  await expect(page.getByTestId('driver-status')).toContainText("Loaded into h1's eth0");
  // The first run's traffic is over: running on would check what the old driver did.
  await expect(page.getByTestId('driver-status')).toContainText('The exercise already ran');
  await page.getByRole('tab', { name: 'Exercise' }).click();
  await expect(page.getByTestId('reset-note')).toContainText('Press Reset');
  await page.screenshot({ path: test.info().outputPath('driver-reset-note.png') });
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.getByTestId('reset-note')).toHaveCount(0);

  await runExercise(page);
  await expect(page.getByTestId('checks-score')).toHaveText('3 of 3 pass');
  expect(errors).toEqual([]);
});
