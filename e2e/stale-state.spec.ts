// Nothing in the window outlives the lab it was about (issue 17): the filter box, the Interface
// form, the import banner and the Built-in selector follow the lab loaded; and the answers that
// used to mislead (Which bin? on a promiscuous card, a Step frame with no frame left, a bad lab
// file's error) now say what happened.
import { expect, test, loadBuiltin } from './support/lab-test';

test('a new lab resets the filter box, the Interface form, the import banner and the selector', async ({
  page,
  web,
  errors,
}) => {
  await page.goto(web.url);
  await loadBuiltin(page, 'hash-collisions');
  const filter = page.getByLabel('Display filter');
  await filter.fill('arp');
  await filter.press('Enter');
  await expect(filter).toHaveClass(/applied/);
  await filter.fill('udp && ip.dst == 239.1.1.');

  // The Interface form starts from the card shown: h1's MAC, as the topology draws it.
  const topology = page.getByRole('img', { name: /Topology/ });
  await topology.getByRole('button', { name: 'h1 eth0' }).click();
  await page.getByRole('tab', { name: 'Interface' }).click();
  const mac = page.getByLabel('MAC address');
  await expect(mac).toHaveValue('02:00:00:00:00:02');

  // A capture file imported: its banner.
  await page.getByRole('tab', { name: 'Capture' }).click();
  await page.getByRole('button', { name: 'Step frame' }).click();
  await page.getByRole('button', { name: 'Step frame' }).click();
  await page.getByRole('button', { name: 'Export…' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('menuitem', { name: /^All .* frames as pcapng$/ }).click(),
  ]);
  const path = 'test-results/stale-state.pcapng';
  await download.saveAs(path);
  await page.getByTestId('import-capture-file').setInputFiles(path);
  await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toBeVisible();

  // Another lab: its h1 has another MAC; nothing of the old lab stays.
  await loadBuiltin(page, 'perfect-overflow');
  await expect(filter).toHaveValue('');
  await expect(filter).not.toHaveClass(/applied|invalid/);
  await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toHaveCount(0);
  const drawn = await topology.getByRole('button', { name: 'h1 eth0' }).textContent();
  await page.getByRole('tab', { name: 'Interface' }).click();
  const now = await mac.inputValue();
  expect(now).not.toBe('02:00:00:00:00:02');
  expect(drawn).toContain(now);

  // After a reload the selector names the lab loaded, not the first in its list.
  await page.reload();
  await expect(page.getByTestId('lab-name')).toHaveText('perfect-overflow');
  await expect(page.getByLabel('Built-in lab')).toHaveValue('perfect-overflow');
  expect(errors).toEqual([]);
});

test('answers that used to mislead: Which bin?, Step frame with nothing left, a bad file', async ({
  page,
  web,
  errors,
}) => {
  await page.goto(web.url);
  await loadBuiltin(page, 'hash-collisions');

  // h1's hash card, made promiscuous: every group gets in, whatever its bin.
  await page.getByRole('tab', { name: 'Shell' }).click();
  await page.getByRole('button', { name: 'h1', exact: true }).click();
  const input = page.getByLabel('Command for h1');
  await input.fill('ip link set eth0 promisc on');
  await input.press('Enter');
  const topology = page.getByRole('img', { name: /Topology/ });
  await topology.getByRole('button', { name: 'h1 eth0' }).click();
  await page.getByRole('tab', { name: 'Interface' }).click();
  await expect(page.getByTestId('filter-mode')).toHaveText('promisc');
  await page.getByPlaceholder('239.1.1.24 or 01:00:5e:01:01:18').fill('239.1.1.77');
  await expect(page.getByTestId('probe-result')).toContainText('promiscuous');
  await expect(page.getByTestId('probe-result')).not.toContainText('kept out');

  // A new one-host lab: a few frames, then Step frame has none left, and says so.
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await expect(page.getByTestId('lab-name')).toHaveText('untitled');
  const notice = page.getByTestId('run-notice');
  for (let i = 0; i < 20 && !(await notice.isVisible()); i++)
    await page.getByRole('button', { name: 'Step frame' }).click();
  await expect(notice).toContainText('Step frame:');

  // A lab file with errors: every one of them, in full, until dismissed.
  await page.getByTestId('open-lab-file').setInputFiles({
    name: 'broken.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(
      'name: broken\nhosts:\n  - name: h0\n    interfaces: [{ nic: nosuchcard }]\n',
    ),
  });
  const panel = page.getByTestId('error-panel');
  await expect(panel).toContainText('broken.yaml');
  await expect(panel).toContainText('nosuchcard');
  await page.getByRole('button', { name: 'Dismiss the error' }).click();
  await expect(panel).toHaveCount(0);
  expect(errors).toEqual([]);
});
