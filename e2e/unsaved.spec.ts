// Nothing lost (issue 10): a change the lab file would hold marks the lab unsaved, in the toolbar
// and the window's title; what Save would not write (the clock, an interface brought down) does
// not. Loading, opening or starting another lab asks first: Cancel (or Escape) keeps the lab,
// Don't Save replaces it, Save saves it and then replaces it. Save clears the mark. While the
// mark shows, closing the page is warned about (beforeunload); once saved, it closes at once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download, Page } from '@playwright/test';
import { expect, openBuiltin, test } from './support/lab-test';

const labFile = join(import.meta.dirname, '..', 'resources', 'labs', 'irq-clash.yaml');

async function addHost(page: Page, name: string): Promise<void> {
  await page.getByLabel('New host name').fill(name);
  await page.getByRole('button', { name: 'Add host' }).click();
  await expect(
    page.getByRole('img', { name: /Topology/ }).getByRole('button', { name: `${name} eth0` }),
  ).toBeVisible();
}

async function savedText(download: Download): Promise<string> {
  return readFileSync(await download.path(), 'utf8');
}

test('unsaved changes are marked, and neither replaced nor closed without a warning', async ({
  page,
  web,
  errors,
}) => {
  await openBuiltin(page, web, 'hash-collisions');
  const marker = page.getByTestId('unsaved-marker');
  const labName = page.getByTestId('lab-name');
  const question = page.getByRole('dialog', { name: /^Save the changes to/ });
  await expect(page).toHaveTitle('netlab');
  await expect(marker).toHaveCount(0);

  // The clock and an interface are not in the lab file: nothing to save.
  await page.getByRole('button', { name: 'Step frame' }).click();
  await page
    .getByRole('img', { name: /Topology/ })
    .getByRole('button', { name: 'h1 eth0' })
    .click();
  await page.getByRole('button', { name: 'Bring down' }).click();
  await expect(page.getByTestId('iface-state')).toHaveText('DOWN');
  await expect(marker).toHaveCount(0);

  // A host added is: the lab is unsaved, and says so beside its name and in the title.
  await page.getByText('Edit topology').click();
  await addHost(page, 'h3');
  await expect(marker).toHaveAccessibleName('unsaved changes');
  await expect(page).toHaveTitle('• hash-collisions — netlab');
  await page.locator('header.toolbar').screenshot({ path: 'test-results/unsaved-toolbar.png' });

  // Loading a built-in lab asks first; Cancel keeps the lab, h3 and all.
  await page.getByLabel('Built-in lab').selectOption('irq-clash');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(question).toBeVisible();
  await expect(question).toContainText('Save the changes to hash-collisions?');
  await page.screenshot({ path: 'test-results/unsaved-question.png' });
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(question).toBeHidden();
  await expect(labName).toHaveText('hash-collisions');
  await expect(page.getByRole('button', { name: 'h3 eth0' })).toBeVisible();
  await expect(marker).toBeVisible();

  // New asks too; Escape is Cancel.
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await expect(question).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(question).toBeHidden();
  await expect(labName).toHaveText('hash-collisions');

  // So does opening a file (asked once it is picked: its text is read in the page).
  await page.getByTestId('open-lab-file').setInputFiles(labFile);
  await expect(question).toBeVisible();
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(labName).toHaveText('hash-collisions');
  await expect(marker).toBeVisible();

  // Closing the page now is warned about; dismissing the warning keeps the page and the lab.
  const warned = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const beforeUnload = await warned;
  expect(beforeUnload.type()).toBe('beforeunload');
  await beforeUnload.dismiss();
  expect(page.isClosed()).toBe(false);
  await expect(marker).toBeVisible();

  // Save offers the file (this host has no dialogs), with h3 in it; the mark goes.
  const [saved] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save', exact: true }).click(),
  ]);
  expect(saved.suggestedFilename()).toBe('hash-collisions.yaml');
  expect(await savedText(saved)).toContain('name: h3');
  await expect(marker).toHaveCount(0);
  await expect(page).toHaveTitle('netlab');

  // Saved: another lab replaces it without a question.
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(labName).toHaveText('irq-clash');
  await expect(question).toBeHidden();

  // Don't Save replaces a changed lab, changes and all.
  await addHost(page, 'h8');
  await expect(marker).toBeVisible();
  await page.getByLabel('Built-in lab').selectOption('hash-collisions');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await question.getByRole('button', { name: "Don't Save" }).click();
  await expect(labName).toHaveText('hash-collisions');
  await expect(marker).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'h8 eth0' })).toHaveCount(0);

  // Save in the question saves first, then the new lab replaces it.
  await addHost(page, 'h9');
  await page.getByRole('button', { name: 'New', exact: true }).click();
  const [savedFirst] = await Promise.all([
    page.waitForEvent('download'),
    question.getByRole('button', { name: 'Save', exact: true }).click(),
  ]);
  expect(await savedText(savedFirst)).toContain('name: h9');
  await expect(labName).toHaveText('untitled');
  await expect(marker).toHaveCount(0);
  expect(errors).toEqual([]);

  // Nothing unsaved: the page closes without a warning.
  let asked = false;
  page.on('dialog', (d) => {
    asked = true;
    void d.dismiss();
  });
  const closed = page.waitForEvent('close');
  await page.close({ runBeforeUnload: true });
  await closed;
  expect(asked).toBe(false);
});
