// Issue 8's "done means", as a student does it: open the hash-collisions exercise, bring an
// interface down and up, join a group, run the flood, watch the counters rise, filter the capture
// to dropped frames, open one and see its fate and bytes, export the capture and check it with
// tshark, answer the exercise's questions (predictions first), and see every check pass.
// Screenshots of each view go to test-results/student-*.png.
import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect, test, loadBuiltin } from './support/lab-test';

const digits = (text: string | null) => parseInt((text ?? '').replace(/\D/g, ''), 10);

/** Types an answer into one of the exercise panel's number or text fields. */
async function answer(page: Page, id: string, value: string) {
  const box = page.getByTestId(`question-${id}`).getByRole('textbox');
  await box.fill(value);
  await box.press('Enter');
}

test('the hash-collisions exercise from start to finish', async ({ page, web, errors }) => {
  test.setTimeout(120_000);
  await page.goto(web.url);
  await loadBuiltin(page, 'hash-collisions');

  // Read the exercise: five checks, not all passing yet.
  await page.getByRole('tab', { name: 'Exercise' }).click();
  await expect(page.getByRole('heading', { name: 'Hash-filter false positives' })).toBeVisible();
  await expect(page.getByTestId('checks').getByRole('listitem')).toHaveCount(5);
  await expect(page.getByTestId('checks-score')).not.toHaveText('5 of 5 pass');
  // The predictions, typed before anything runs: h1's hash lets the whole flood in for its
  // kernel to drop; h2's perfect filter keeps it out.
  await answer(page, 'h1-dropped', '10000');
  await answer(page, 'h2-dropped', '0');
  await page.screenshot({ path: 'test-results/student-exercise-before.png' });

  // h2's card: down, up again, and one more group joined.
  const topology = page.getByRole('img', { name: /Topology/ });
  await topology.getByRole('button', { name: 'h2 eth0' }).click();
  await page.getByRole('button', { name: 'Bring down' }).click();
  await expect(topology.getByRole('button', { name: 'h2 eth0' })).toContainText('DOWN');
  await page.getByRole('button', { name: 'Bring up' }).click();
  await expect(topology.getByRole('button', { name: 'h2 eth0' })).toContainText('UP');
  await page.getByLabel('Group to join').fill('239.1.1.2');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByTestId('groups')).toContainText('239.1.1.2');

  // Run the flood and watch h1's counters rise.
  await page.getByRole('tab', { name: 'Statistics' }).click();
  await page.getByLabel('Counters of').selectOption('h1:eth0');
  await page.getByRole('button', { name: 'Run' }).click();
  const rx = page.getByTestId('counters').locator('[data-counter="rx_packets"] .value');
  await expect.poll(async () => digits(await rx.textContent())).toBeGreaterThan(2000);
  await page.screenshot({ path: 'test-results/student-statistics.png' });
  // The flood lasts one simulated second.
  await expect
    .poll(async () => parseFloat((await page.getByTestId('sim-time').textContent()) ?? '0'), {
      timeout: 30_000,
    })
    .toBeGreaterThan(1.05);
  await page.getByRole('button', { name: 'Pause' }).click();
  expect(digits(await rx.textContent())).toBeGreaterThanOrEqual(10_000);

  // The capture, filtered to dropped frames; one opened: its fate, its fields, its bytes.
  await page.getByRole('tab', { name: 'Capture' }).click();
  const filter = page.getByLabel('Display filter');
  await filter.fill('fate == "dropped" && udp');
  await filter.press('Enter');
  const list = page.getByTestId('packet-list');
  await expect(list.getByRole('row').first()).toContainText('group not joined');
  await list.getByRole('row').nth(4).click();
  await expect(page.getByTestId('frame-fate')).toContainText('group not joined');
  await expect(page.getByTestId('detail-tree')).toContainText('Destination Address: 239.1.1.24');
  const bytes = page.getByTestId('hex-pane').locator('.byte');
  await expect(bytes.first()).toHaveText('01');
  expect((await bytes.allTextContents()).slice(0, 6).join(':')).toBe('01:00:5e:01:01:18');
  await page.screenshot({ path: 'test-results/student-capture.png' });

  // Export the whole capture as pcapng (both points in one file); tshark finds the flood in it.
  await page.getByRole('button', { name: 'Export…' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('menuitem', { name: /^All .* frames as pcapng$/ }).click(),
  ]);
  const path = 'test-results/student-hash-collisions.pcapng';
  await download.saveAs(path);
  const flood = execFileSync(
    'tshark',
    [
      '-r',
      path,
      '-Y',
      'ip.dst == 239.1.1.24 && udp.dstport == 5000',
      '-T',
      'fields',
      '-e',
      'frame.number',
    ],
    { encoding: 'utf8' },
  )
    .trim()
    .split('\n');
  expect(flood.length).toBeGreaterThanOrEqual(20_000); // at h1:eth0 and on the segment

  // The diagnosis, answered once the flood has shown it; then every check passes.
  await page.getByRole('tab', { name: 'Exercise' }).click();
  await answer(page, 'bin', '4');
  await page.getByTestId('question-bin-mate').getByRole('combobox').selectOption('239.2.1.5');
  await page.getByTestId('question-same-mac').getByRole('combobox').selectOption('239.129.1.1');
  await page.getByRole('button', { name: 'Check now' }).click();
  await expect(page.getByTestId('checks-score')).toHaveText('5 of 5 pass');
  await expect(page.getByTestId('checks').locator('li.pass')).toHaveCount(5);
  await page.screenshot({ path: 'test-results/student-exercise-done.png' });
  expect(errors).toEqual([]);
});
