// Following a frame across the hosts, as a student does it in the hash-collisions exercise: h2
// joins 239.1.1.2 and h0 sends it a few datagrams. One of them, picked on the segment and
// followed, was delivered to h2's socket while h1's hash filter kept it out (bin 19 is not set);
// a frame of the flood, followed from the packet list's menu, was let in by h1's hash bin 4 and
// dropped by IP; "Go to frame" jumps to h1's own capture of it. Screenshot:
// test-results/follow-panel.png.
import { expect, test, openBuiltin } from './support/lab-test';

test('follow a frame across the hosts: delivered on h2, kept out by h1’s hash filter', async ({
  page,
  web,
  errors,
}) => {
  test.setTimeout(90_000);
  await openBuiltin(page, web, 'hash-collisions');

  // h2 joins 239.1.1.2 (its sink listens on port 5000 on every address); h0 sends it five.
  const topology = page.getByRole('img', { name: /Topology/ });
  await topology.getByRole('button', { name: 'h2 eth0' }).click();
  await page.getByLabel('Group to join').fill('239.1.1.2');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByTestId('groups')).toContainText('239.1.1.2');
  await page.getByRole('tab', { name: 'Generators' }).click();
  await page.getByRole('button', { name: 'New generator…' }).click();
  const form = page.getByRole('form', { name: 'Generator' });
  await form.getByLabel('Name').fill('probe');
  await form.getByLabel('From').selectOption('h0');
  await form.getByLabel('To', { exact: true }).fill('239.1.1.2:5000');
  await form.getByLabel('Rate').fill('1000pps');
  await form.getByLabel('Count').fill('5');
  await form.getByRole('button', { name: 'Create and start' }).click();
  await expect(form).toHaveCount(0);
  const probe = page.getByTestId('generators').locator('[data-generator="probe"]');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect
    .poll(async () => (await probe.locator('.sent').textContent())?.trim(), { timeout: 20_000 })
    .toBe('5');
  // Let the last datagram reach h2's socket before pausing.
  await page.waitForTimeout(300);
  await page.getByRole('button', { name: 'Pause' }).click();

  // On the segment: the datagrams to 239.1.1.2. h1's card kept them out, so only the segment
  // captured them.
  await page.getByRole('tab', { name: 'Capture' }).click();
  const filter = page.getByLabel('Display filter');
  await filter.fill('ip.dst == 239.1.1.2 && udp');
  await filter.press('Enter');
  const list = page.getByTestId('packet-list');
  await expect(list.getByRole('row')).toHaveCount(5);
  await expect(list.getByRole('row').first()).toContainText('segment');
  await list.getByRole('row').nth(1).click();
  await page.getByRole('button', { name: 'Follow across hosts' }).click();

  const panel = page.getByTestId('follow-panel');
  await expect(panel).toContainText('across the segment');
  await expect(panel).toContainText('h0:eth0 → 01:00:5e:01:01:02');
  const h0 = panel.locator('[data-station="h0:eth0"]');
  const h1 = panel.locator('[data-station="h1:eth0"]');
  const h2 = panel.locator('[data-station="h2:eth0"]');
  await expect(h0).toContainText('sent');
  await expect(h2).toContainText('delivered to socket');
  await expect(h2).toContainText('sink h2:239.1.1.1:5000, 0.0.0.0:5000');
  await expect(h2).toContainText('card: perfect-filter entry for 01:00:5e:01:01:02');
  await expect(h1.locator('.c-fate')).toHaveText('hardware filter');
  await expect(h1).toContainText('hash bin 19 not set (bins set: 4, 31)');
  await expect(h1).toContainText('not captured');
  // Coloured as the Fate column colours them: the drop in red tones, the delivery as UDP.
  await expect(h1).toHaveClass(/row-drop/);
  await expect(h2).toHaveClass(/row-udp/);
  // Each step with its time after the frame went on the wire.
  await expect(h2.locator('.steps li')).toHaveCount(3);
  await expect(h2.locator('.steps li').first()).toHaveText('+0 ns went on the wire');
  await expect(h2.locator('.steps .decisive')).toContainText('delivered to socket');
  await page.screenshot({ path: 'test-results/follow-panel.png' });

  // A frame of the flood, followed from the packet list's menu: a hash false positive at h1.
  await filter.fill('ip.dst == 239.1.1.24 && udp');
  await filter.press('Enter');
  await expect(list.getByRole('row').first()).toContainText('239.1.1.24');
  const onSegment = list.getByRole('row').filter({ hasText: 'segment' }).nth(2);
  const segmentNo = (await onSegment.locator('.c-no').textContent())?.trim();
  await onSegment.click({ button: 'right' });
  await page.getByRole('menuitem', { name: /Follow across hosts/ }).click();
  await expect(panel).toContainText(`Frame ${segmentNo} across the segment`);
  await expect(h1.locator('.c-fate')).toHaveText('group not joined');
  await expect(h1).toContainText('IP dropped it: the host has not joined the group');
  await expect(h1).toContainText('card: hash bin 4 set (bins set: 4, 31)');
  await expect(h2).toContainText('no perfect-filter entry for 01:00:5e:01:01:18');
  await page.screenshot({ path: 'test-results/follow-panel-flood.png' });

  // h1 captured its copy: jump to it in the packet list.
  const jump = h1.getByRole('button', { name: /^Go to frame \d+$/ });
  const h1No = ((await jump.textContent()) ?? '').replace(/\D/g, '');
  await jump.click();
  await expect(page.getByTestId('frame-fate')).toContainText(`Frame ${h1No} at h1:eth0`);
  await expect(page.getByTestId('frame-fate')).toContainText('group not joined');
  await expect(list.locator('[aria-selected="true"]')).toContainText('h1:eth0');

  // F in the packet list follows the frame selected there: now h1's copy.
  await list.press('f');
  await expect(panel).toContainText(`Frame ${h1No} across the segment`);
  await expect(h1.getByRole('button', { name: `Go to frame ${h1No}` })).toBeVisible();

  await panel.getByRole('button', { name: 'Close the follow panel' }).click();
  await expect(panel).toHaveCount(0);
  expect(errors).toEqual([]);
});
