// First contact (issue 17): a new window names no lab it has not loaded. Before anything is
// chosen the start screen is up, the title says no lab is loaded, and the Built-in selector names
// none (Load waits for a choice); once a lab is loaded the selector, the title and the lab agree,
// and a lab that is not a built-in one leaves the selector saying so. This spec has its own web
// host, so its first page is a first start.
import { expect, test } from './support/lab-test';

test('the selector, the title and the loaded lab agree, from the first start on', async ({
  page,
  web,
  errors,
}) => {
  await page.goto(web.url);
  const name = page.getByTestId('lab-name');
  const picker = page.getByLabel('Built-in lab');
  const load = page.getByRole('button', { name: 'Load', exact: true });
  await expect(page.getByRole('heading', { name: 'Start with an exercise' })).toBeVisible();
  await expect(name).toHaveText('no lab loaded');
  await expect(picker).toHaveValue('');
  await expect(picker.locator('option:checked')).toHaveText('not a built-in lab');
  await expect(load).toBeDisabled();

  // An exercise from the start screen: its lab is loaded, named, and selected.
  await page.getByTestId('start-irq-clash').click();
  await expect(name).toHaveText('irq-clash');
  await expect(picker).toHaveValue('irq-clash');
  await expect(load).toBeEnabled();

  // A lab file is not a built-in lab: the selector says so instead of naming one.
  await page.getByTestId('open-lab-file').setInputFiles({
    name: 'mine.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(
      'name: mine\nhosts:\n  - name: h0\n    interfaces: [{ name: eth0, nic: nofilter, ip: 10.0.0.1/24 }]\n',
    ),
  });
  await expect(name).toHaveText('mine');
  await expect(picker).toHaveValue('');
  await expect(load).toBeDisabled();

  // A built-in lab chosen and loaded; after a reload all three still agree.
  await picker.selectOption('allmulti-who-asked');
  await load.click();
  await expect(name).toHaveText('allmulti-who-asked');
  await page.reload();
  await expect(name).toHaveText('allmulti-who-asked');
  await expect(picker).toHaveValue('allmulti-who-asked');
  expect(errors).toEqual([]);
});
