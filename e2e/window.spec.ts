// The lab's window as a student uses it, in Debian's Chromium against the web host: the toolbar
// and topology, then the capture's three panes. Each test loads its own lab; screenshots of each
// view go to test-results/.
import { execFileSync } from 'node:child_process';
import { type Download, type Page } from '@playwright/test';
import { expect, test, openBuiltin } from './support/lab-test';

const seconds = async (page: Page) =>
  parseFloat((await page.getByTestId('sim-time').textContent()) ?? '0');

/** Runs the lab as fast as it goes until the capture holds `frames`, then pauses. */
async function runUntilFrames(page: Page, frames: number): Promise<void> {
  await page.getByLabel('Speed').selectOption('max');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect
    .poll(
      async () =>
        parseInt(
          ((await page.getByTestId('capture-count').textContent()) ?? '0').replace(/\D/g, ''),
          10,
        ),
      {
        timeout: 20_000,
      },
    )
    .toBeGreaterThan(frames);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Run' })).toBeVisible();
  // The statistics pushed after the pause may still be on their way: wait for the count to settle.
  const count = page.getByTestId('capture-count');
  let last = '';
  await expect
    .poll(
      async () => {
        const now = (await count.textContent()) ?? '';
        const settled = now === last;
        last = now;
        return settled;
      },
      { intervals: [300] },
    )
    .toBe(true);
}

test('toolbar and topology: the hosts with their badges; run, pause, step and speed', async ({
  page,
  web,
  errors,
}) => {
  await openBuiltin(page, web, 'hash-collisions');
  const topology = page.getByRole('img', { name: /Topology/ });
  const h1 = topology.getByRole('button', { name: 'h1 eth0' });
  await expect(h1).toContainText('hash64');
  await expect(h1).toContainText('UP');
  await expect(h1).toContainText('hash');
  await expect(topology.getByRole('button', { name: 'h2 eth0' })).toContainText('perfect');

  await expect(page.getByTestId('sim-time')).toHaveText('0.000000000 s');
  // Frame steps, each to the end of a frame on the wire. The hosts boot apart (seeded: h1 at
  // 120 µs, h2 at 130 µs, h0 at 180 µs) and announce nothing as they come up (no gratuitous
  // ARP: arp_notify is 0, as on Linux). h0's flood datagrams of 0 and 100 µs waited in its qdisc
  // for its boot: the first (72 bytes with its preamble, 5.76 µs, and 0.5 µs to the far end)
  // ends at 186.26 µs, the second, after the 0.96 µs gap, at 192.98 µs. (h1's and h2's first
  // IGMPv3 reports wait for the second tick of each host's own jiffies: about 4 ms later.)
  const events = page.getByTestId('events');
  await page.getByRole('button', { name: 'Step frame' }).click();
  await expect(page.getByTestId('sim-time')).toHaveText('0.000186260 s');
  await expect(events).not.toHaveText('0 events');
  await page.getByRole('button', { name: 'Step frame' }).click();
  await expect(page.getByTestId('sim-time')).toHaveText('0.000192980 s');
  const afterFrame = await seconds(page);
  const eventsBefore = await events.textContent();
  await page.getByRole('button', { name: 'Step event' }).click();
  await expect(events).not.toHaveText(eventsBefore!);

  await page.getByLabel('Speed').selectOption('0.01');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByRole('button', { name: 'Step frame' })).toBeDisabled();
  await page.waitForTimeout(1000);
  // A hundredth of real time: about 10 ms of simulated time in a second.
  expect(await seconds(page)).toBeLessThan(afterFrame + 0.05);
  await page.getByLabel('Speed').selectOption('max');
  await expect.poll(() => seconds(page), { timeout: 10_000 }).toBeGreaterThan(0.2);
  await page.getByRole('button', { name: 'Pause' }).click();

  // The hosts boot apart and then only h0 sends: this lab has no collisions.
  await expect(page.getByTestId('collisions')).toHaveText('0');
  await expect(page.getByTestId('utilisation')).toContainText('%');
  await page.screenshot({ path: 'test-results/window-topology.png' });
  expect(errors).toEqual([]);
});

test('topology: add a host and a card, be refused a duplicate, remove them', async ({
  page,
  web,
  errors,
}) => {
  await openBuiltin(page, web, 'hash-collisions');
  const topology = page.getByRole('img', { name: /Topology/ });
  await page.getByText('Edit topology').click();
  await page.getByLabel('New host name').fill('h3');
  await page.getByLabel('New host card').selectOption('perfect');
  await page.getByLabel('New host address').fill('10.0.0.4/24');
  await page.getByRole('button', { name: 'Add host' }).click();
  await expect(topology.getByRole('button', { name: 'h3 eth0' })).toContainText('perfect');

  await page.getByLabel('Host for the new card').selectOption('h3');
  await page.getByLabel('New card', { exact: true }).selectOption('nofilter');
  await page.getByRole('button', { name: 'Add card' }).click();
  await expect(topology.getByRole('button', { name: 'h3 eth1' })).toContainText('nofilter');

  // A second h3 is refused with the lab file's own error.
  await page.getByLabel('New host name').fill('h3');
  await page.getByRole('button', { name: 'Add host' }).click();
  await expect(page.getByTestId('topology-error')).toContainText('h3');
  await page.screenshot({ path: 'test-results/window-topology-edit.png' });

  await page.getByLabel('What to remove').selectOption('h3:eth1');
  await page.getByRole('button', { name: 'Remove' }).click();
  await expect(topology.getByRole('button', { name: 'h3 eth1' })).toHaveCount(0);
  await page.getByLabel('What to remove').selectOption('h3');
  await page.getByRole('button', { name: 'Remove' }).click();
  await expect(topology.getByRole('button', { name: 'h3 eth0' })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('capture: filter with validation, a dropped frame, its fields and bytes', async ({
  page,
  web,
  errors,
}) => {
  await openBuiltin(page, web, 'hash-collisions');
  await runUntilFrames(page, 2000);

  // A filter that does not compile: the error and where.
  const filter = page.getByLabel('Display filter');
  await filter.fill('udp && ip.dst ==');
  await filter.press('Enter');
  await expect(page.getByRole('alert')).toContainText("expected a value after '=='");
  // The filter is shown whole with the place at fault marked (the value missing at its end).
  const fault = page.getByTestId('filter-fault');
  await expect(fault).toContainText('udp && ip.dst ==');
  await expect(fault.locator('mark')).toHaveCount(1);
  expect(await fault.locator('mark').evaluate((m) => m.previousSibling?.textContent)).toMatch(
    /^udp && ip\.dst ==?/,
  );
  await expect(filter).toHaveAttribute('aria-invalid', 'true');

  await filter.fill('fate == "dropped"');
  await filter.press('Enter');
  await expect(filter).toHaveAttribute('aria-invalid', 'false');
  await expect(page.getByTestId('capture-count')).toContainText('displayed');
  const list = page.getByTestId('packet-list');
  const first = list.getByRole('row').first();
  await expect(first).toHaveClass(/row-(drop|wire)/);

  // Open a frame h1's kernel dropped.
  await filter.fill('point == "h1:eth0" && fate == "group not joined"');
  await filter.press('Enter');
  await expect(list.getByRole('row').first()).toContainText('h1:eth0');
  await list.getByRole('row').nth(2).click();
  await expect(page.getByTestId('frame-fate')).toContainText('group not joined');
  const tree = page.getByTestId('detail-tree');
  await expect(tree).toContainText('Internet Protocol Version 4');
  await expect(tree).toContainText('User Datagram Protocol');

  // A field highlights its bytes: ip.dst is four bytes, in hex and in ASCII.
  await tree.getByRole('treeitem').filter({ hasText: 'Internet Protocol Version 4' }).click();
  await page.keyboard.press('ArrowRight');
  await tree.locator('[data-field="ip.dst"]').click();
  const hex = page.getByTestId('hex-pane');
  await expect(hex.locator('.byte.hl')).toHaveCount(4);
  await expect(hex.locator('.char.hl')).toHaveCount(4);
  await expect(hex.locator('.byte.hl').first()).toHaveText('ef');

  // A byte selects its field: offset 36 is the UDP destination port.
  await hex.locator('.byte[data-offset="36"]').click();
  await expect(tree.locator('[aria-selected="true"]')).toHaveAttribute('data-field', 'udp.dstport');
  await expect(hex.locator('.byte.hl')).toHaveCount(2);

  // The keyboard moves through the list.
  const selectedNo = async () =>
    list.locator('[role="row"][aria-selected="true"] [role="gridcell"]').first().textContent();
  const before = await selectedNo();
  await list.focus();
  await page.keyboard.press('ArrowDown');
  await expect.poll(selectedNo).not.toBe(before);

  await page.screenshot({ path: 'test-results/window-capture.png' });

  // The dark theme, kept across a reload.
  await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.screenshot({ path: 'test-results/window-capture-dark.png' });
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('button', { name: 'Switch to the light theme' }).click();
  expect(errors).toEqual([]);
});

test('capture: export pcap as a download that tshark reads', async ({ page, web, errors }) => {
  await openBuiltin(page, web, 'hash-collisions');
  await runUntilFrames(page, 500);
  const count = parseInt(
    ((await page.getByTestId('capture-count').textContent()) ?? '').replace(/\D/g, ''),
    10,
  );
  // Classic pcap cannot say which point saw a frame: one file per capture point.
  await page.getByRole('button', { name: 'Export…' }).click();
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page
    .getByRole('menuitem', { name: 'All frames as pcap, a file per capture point' })
    .click();
  await expect.poll(() => downloads.length).toBe(2);
  expect(downloads.map((d) => d.suggestedFilename()).sort()).toEqual([
    'hash-collisions-h1-eth0.pcap',
    'hash-collisions-segment.pcap',
  ]);
  const counted = (path: string) =>
    execFileSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.number'], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n').length;
  const paths = [];
  for (const d of downloads) {
    const path = `test-results/window-export-${d.suggestedFilename()}`;
    await d.saveAs(path);
    paths.push(path);
  }
  expect(counted(paths[0]) + counted(paths[1])).toBe(count);
  await expect(page.getByRole('status').filter({ hasText: 'Downloaded' })).toBeVisible();

  // And back: the segment's file replaces the capture, frame for frame.
  const path = paths.find((p) => p.endsWith('segment.pcap'))!;
  const segment = counted(path);
  await page.getByRole('button', { name: 'Clear', exact: true }).first().click();
  await expect(page.getByTestId('capture-count')).toHaveText('0 frames');
  await page.getByTestId('import-capture-file').setInputFiles(path);
  await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toContainText(
    `Imported ${segment} frames (pcap)`,
  );
  await expect
    .poll(async () =>
      parseInt(
        ((await page.getByTestId('capture-count').textContent()) ?? '').replace(/\D/g, ''),
        10,
      ),
    )
    .toBe(segment);
  // pcap keeps neither fates nor capture points (pcapng does): the frames come from 'file'.
  await expect(page.getByTestId('packet-list').getByRole('row').first()).toContainText('file');
  expect(errors).toEqual([]);
});
