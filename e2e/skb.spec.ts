// The sk_buff inspector on the skb-data-pointer exercise: capture h1's card, open a 1000-byte
// datagram and a small one, and see the buffer drawn with its data pointer at each layer (64,
// 78, 98, 106) and its truesize (2304 for the ring's MTU-sized buffer, 832 for a copy), as the
// socket's last read records them.
import { type Page } from '@playwright/test';
import { expect, test, loadBuiltin } from './support/lab-test';

async function openFrame(page: Page, filter: string): Promise<void> {
  await page.getByRole('tab', { name: 'Capture' }).click();
  const input = page.getByLabel('Display filter');
  await input.fill(filter);
  await input.press('Enter');
  const first = page.getByTestId('packet-list').getByRole('row').first();
  // The filter is tested in the background: wait until the list shows its matches, not the
  // unfiltered first frame, before opening one.
  await expect(first).toContainText(`→ ${filter.replace(/.*== */, '')}`);
  await expect(first).toContainText('h1:eth0');
  await first.click();
  await expect(page.getByTestId('frame-fate')).toContainText('delivered');
  await page.getByRole('tab', { name: 'sk_buff' }).click();
}

test('a datagram in its sk_buff, layer by layer', async ({ page, web, errors }) => {
  await page.goto(web.url);
  await loadBuiltin(page, 'skb-data-pointer');
  await page.getByRole('tab', { name: 'sk_buff' }).click();
  await expect(page.getByText('Select a frame in the')).toBeVisible();

  // The lab captures nothing by itself: capture h1's card, then run until the ten datagrams are in.
  await page.getByRole('tab', { name: 'Capture' }).click();
  await page.getByLabel('Capture points').fill('h1:eth0');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('capture-points')).toHaveAttribute('title', 'capturing on h1:eth0');
  await page.getByLabel('Speed').selectOption('max');
  await page.getByRole('button', { name: 'Run' }).click();
  await page.waitForTimeout(1500);
  await page.getByRole('button', { name: 'Pause' }).click();

  // A 1000-byte datagram: handed up in the ring's MTU-sized buffer.
  await openFrame(page, 'udp.dstport == 7001');
  const stages = page.getByTestId('skb-stages').getByRole('listitem');
  await expect(stages).toHaveCount(4);
  for (const [i, layer, data] of [
    [0, 'driver', 64],
    [1, 'eth_type_trans', 78],
    [2, 'ip_rcv', 98],
    [3, 'udp_rcv', 106],
  ] as const) {
    await expect(stages.nth(i)).toContainText(layer);
    await expect(stages.nth(i).getByRole('img')).toHaveAttribute(
      'aria-label',
      new RegExp(`data at ${data},`),
    );
  }
  await expect(page.getByTestId('truesize')).toHaveText('2304');
  await expect(page.getByText("passed up in the ring's MTU-sized buffer")).toBeVisible();
  await page.screenshot({ path: 'test-results/window-skb.png', fullPage: true });

  // A small one is copied into a buffer of its own: truesize 832 (the small-head cache).
  await openFrame(page, 'udp.dstport == 7000');
  await expect(page.getByTestId('truesize')).toHaveText('832');
  await expect(page.getByText('small enough to copy')).toBeVisible();
  expect(errors).toEqual([]);
});
