// Files too big for the web host are refused in the page, saying the limit, before they are read
// or sent (issue 16: a 40 MB capture or a 50 MB lab file used to go whole and kill the host). The
// host is untouched: the lab stays loaded and answers. A Save in the browser counts once the page
// has handed the file to the browser.
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { expect, loadBuiltin, test } from './support/lab-test';

test('a capture or lab file over the limit is refused in the page, naming the limit', async ({
  page,
  web,
  errors,
}) => {
  await page.goto(web.url);
  await loadBuiltin(page, 'hash-collisions');
  await expect(page.getByTestId('lab-name')).toHaveText('hash-collisions');

  // Sparse files just over each limit (Playwright hands the page a file by its path).
  mkdirSync('test-results', { recursive: true });
  const sparse = (name: string, bytes: number) => {
    const path = `test-results/${name}`;
    writeFileSync(path, '');
    truncateSync(path, bytes);
    return path;
  };
  test.setTimeout(120_000);
  await page.getByTestId('import-capture-file').setInputFiles(sparse('big.pcap', 33 * 2 ** 20));
  // The whole message (the alert also holds its dismiss button).
  await expect(page.getByRole('alert').filter({ hasText: 'big.pcap' })).toContainText(
    'big.pcap is 33 MiB: a capture opened here can be at most 32 MiB (cut it with editcap, or open it in Wireshark)',
  );

  await page.getByTestId('open-lab-file').setInputFiles(sparse('huge.yaml', 2 * 2 ** 20));
  await expect(page.getByRole('alert').filter({ hasText: 'huge.yaml' })).toContainText(
    'huge.yaml is 2 MiB: a lab file opened here can be at most 1 MiB',
  );
  // The host lives on, with the same lab: a step still runs.
  await expect(page.getByTestId('lab-name')).toHaveText('hash-collisions');
  await page.getByRole('button', { name: 'Step frame' }).click();
  await expect(page.getByTestId('sim-time')).not.toHaveText('0.000000000 s');

  // A change, then Save: the lab is saved once the browser has the download.
  await page.getByText('Edit topology').click();
  await page.getByLabel('New host name').fill('h3');
  await page.getByRole('button', { name: 'Add host' }).click();
  await expect(page.getByTestId('unsaved-marker')).toHaveCount(1);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save', exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('hash-collisions.yaml');
  await expect(page.getByTestId('unsaved-marker')).toHaveCount(0);
  expect(errors).toEqual([]);
});
