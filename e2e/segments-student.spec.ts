// What a student meets first in labs of many hosts and segments: the Shell tab's host choice
// with 66 hosts at 1024×700 (the buttons wrap in a scrolling box under a filter box), the
// caption and Step frame naming the segment each stepped frame is on, a further segment's
// follow rows going to their captured frame, and an external port drawn on its segment.
// Screenshots in test-results/segments-student/.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, openBuiltin, shell } from './support/lab-test';

const SHOTS = 'test-results/segments-student';

async function shot(page: Page, name: string): Promise<void> {
  for (const [width, height] of [
    [1024, 700],
    [1366, 768],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/${name}-${width}x${height}.png` });
  }
}

/**
 * Nothing in the capture is cut at this size: the packet list's rows fit its width (no column,
 * Point the last, past its right edge), the Point cells hold their text whole, and the bytes
 * pane shows its ASCII column without a sideways scroll.
 */
async function expectCaptureUncut(page: Page, where: string): Promise<void> {
  const m = await page.evaluate(() => {
    interface El {
      getBoundingClientRect(): { left: number; right: number };
      scrollWidth: number;
      clientWidth: number;
      dataset: Record<string, string>;
    }
    const doc = (
      globalThis as unknown as {
        document: { querySelector(s: string): El; querySelectorAll(s: string): El[] };
      }
    ).document;
    const list = doc.querySelector('[data-testid="packet-list"]');
    const hex = doc.querySelector('[data-testid="hex-pane"]');
    const listRight = list.getBoundingClientRect().left + list.clientWidth;
    const points = [...doc.querySelectorAll('.packet-list [role="row"].row .c-point')].map((c) => ({
      right: c.getBoundingClientRect().right,
      scroll: c.scrollWidth,
      client: c.clientWidth,
    }));
    return {
      list: { scroll: list.scrollWidth, client: list.clientWidth, right: listRight },
      points,
      hex: {
        scroll: hex.scrollWidth,
        client: hex.clientWidth,
        perRow: Number(hex.dataset['perRow']),
      },
      asciiRows: doc.querySelectorAll('[data-testid="hex-pane"] .ascii').length,
    };
  });
  expect(m.list.scroll, `${where}: the packet list scrolls sideways`).toBeLessThanOrEqual(
    m.list.client,
  );
  expect(m.points.length, `${where}: no rows listed`).toBeGreaterThan(0);
  for (const p of m.points) {
    expect(p.right, `${where}: a Point cell past the list's edge`).toBeLessThanOrEqual(
      m.list.right + 0.5,
    );
    expect(p.scroll, `${where}: a Point cell's text cut`).toBeLessThanOrEqual(p.client);
  }
  expect(m.asciiRows, `${where}: no frame's bytes shown`).toBeGreaterThan(0);
  expect(m.hex.scroll, `${where}: the bytes pane's ASCII cut off`).toBeLessThanOrEqual(
    m.hex.client,
  );
  expect(m.hex.perRow).toBeGreaterThanOrEqual(4);
}

test('66 hosts: the Shell host choice stays inside the window and filters', async ({
  page,
  web,
  errors,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1024, height: 700 });
  await openBuiltin(page, web, 'router-ttl');
  // Few hosts: no filter box, the buttons as before.
  await page.getByRole('tab', { name: 'Shell' }).click();
  await expect(page.getByLabel('Filter hosts')).toHaveCount(0);

  await page
    .getByTestId('open-lab-file')
    .setInputFiles(join(import.meta.dirname, '..', 'bench', 'labs', 'p5-bridged-64.yaml'));
  await expect(page.getByRole('img', { name: /Topology/ }).locator('[data-host]')).toHaveCount(66);
  await page.getByRole('tab', { name: 'Shell' }).click();
  const hosts = page.getByRole('navigation', { name: 'Host' });
  await expect(page.getByTestId('host-count')).toHaveText('66 of 66 hosts');
  // Every button lies inside the window's width (they wrap; the box scrolls down).
  const right = await hosts
    .getByRole('button')
    .evaluateAll((bs) => Math.max(...bs.map((b) => b.getBoundingClientRect().right)));
  expect(right).toBeLessThanOrEqual(1024);
  const box = await hosts.boundingBox();
  expect(box!.height).toBeLessThan(120);
  await shot(page, 'shell-66-hosts');
  await page.setViewportSize({ width: 1024, height: 700 });

  // Type a name: the row narrows to it; Enter opens its terminal.
  const filter = page.getByLabel('Filter hosts');
  const last = await hosts.getByRole('button').last().textContent();
  const name = (last ?? '').trim();
  await filter.fill(name);
  await expect(hosts.getByRole('button', { name, exact: true })).toBeVisible();
  await filter.press('Enter');
  await expect(hosts.getByRole('button', { name, exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  const input = page.getByLabel(`Command for ${name}`);
  await input.fill('ip link');
  await input.press('Enter');
  await expect(page.getByTestId(`terminal-${name}`)).toContainText('eth0');
  await shot(page, 'shell-66-hosts-filtered');
  expect(errors).toEqual([]);
});

test('router-ttl: Step frame stops on either LAN, and the caption names the segment', async ({
  page,
  web,
  errors,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await openBuiltin(page, web, 'router-ttl');
  await shell(page, 'r', ['sysctl -w net.ipv4.ip_forward=1']);
  await expect(page.getByTestId('terminal-r')).toContainText('net.ipv4.ip_forward = 1');

  const caption = page.getByTestId('wire-caption');
  const seen = new Set<string>();
  for (let i = 0; i < 40 && !seen.has('lan2'); i++) {
    const before = await caption.textContent();
    await page.getByRole('button', { name: 'Step frame' }).click();
    await expect(caption).not.toHaveText(before ?? '');
    const text = (await caption.textContent()) ?? '';
    // Every stepped frame is named by its LAN.
    expect(text).toMatch(/^(lan1|lan2): (Frame \d+ from|\d+ frames collided)/);
    seen.add(text.slice(0, 4));
  }
  // r's forwarded copy on lan2 ends a step of its own, named as lan2's.
  expect([...seen]).toEqual(['lan1', 'lan2']);
  await expect(caption).toContainText(/lan2: Frame \d+ from r:eth1/);
  await shot(page, 'router-ttl-stepped-lan2');
  expect(errors).toEqual([]);
});

test('router-ttl: a followed datagram’s lan2 rows go to lan2’s captured copies', async ({
  page,
  web,
  errors,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await openBuiltin(page, web, 'router-ttl');
  await shell(page, 'r', ['sysctl -w net.ipv4.ip_forward=1']);
  await shell(page, 'h2', ['ip route add 10.0.1.0/24 via 10.0.2.1']);
  await page.getByRole('tab', { name: 'Capture' }).click();
  await page.getByLabel('Capture points').fill('lan1, lan2, h2:eth0');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('capture-points')).toContainText('h2:eth0');
  await page.getByLabel('Speed').selectOption('0.1');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('sim-time')).toHaveText(/^0\.[2-9]/, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Pause' }).click();

  const filter = page.getByLabel('Display filter');
  await filter.fill('udp.dstport == 5000');
  await filter.press('Enter');
  const list = page.getByTestId('packet-list');
  await list.getByRole('row').filter({ hasText: 'lan1' }).nth(3).click();
  await page.getByRole('button', { name: 'Follow across hosts' }).click();
  const panel = page.getByTestId('follow-panel');
  const hop = panel.locator('tbody[data-hop="lan2"]');
  await expect(hop).toContainText('sent on by r:eth1');
  await shot(page, 'router-ttl-follow-lan2-copies');
  // The window opened at 1366 px (its topology panel wider) and shown at 1024×700, and as opened.
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.waitForTimeout(300);
  await expectCaptureUncut(page, '1024x700 after 1366x768');
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.waitForTimeout(300);
  await expectCaptureUncut(page, '1366x768');

  // lan2's own capture holds r's forwarded copy: its header goes there.
  const onLan2 = hop.getByRole('button', { name: /^On lan2: frame \d+$/ });
  await onLan2.click();
  await expect(list.locator('[aria-selected="true"]')).toContainText('lan2');
  await expect(list.locator('[aria-selected="true"]')).toContainText('10.0.1.2');
  // h2's card captured it too: its row goes to h2's copy.
  const h2 = hop.locator('[data-station="lan2/h2:eth0"]');
  await expect(h2.locator('.c-fate')).toHaveText('delivered');
  await h2.getByRole('button', { name: /^Go to frame \d+$/ }).click();
  await expect(list.locator('[aria-selected="true"]')).toContainText('h2:eth0');
  // r's card on lan2 has no capture point.
  await expect(hop.locator('[data-station="lan2/r:eth1"]')).toContainText('not captured');
  expect(errors).toEqual([]);
});

test('an external port is drawn on the segment it joins', async ({ page, web, errors }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openBuiltin(page, web, 'router-ttl');
  const file = join(import.meta.dirname, '..', 'test-results', 'two-lans-ports.yaml');
  writeFileSync(
    file,
    `name: two-lans-ports
segments: [{ name: lan1 }, { name: lan2 }]
hosts:
  - name: h1
    interfaces: [{ name: eth0, nic: perfect, ip: 10.0.1.2/24, segment: lan1 }]
  - name: r
    interfaces:
      - { name: eth0, nic: perfect, ip: 10.0.1.1/24, segment: lan1 }
      - { name: eth1, nic: perfect, ip: 10.0.2.1/24, segment: lan2 }
ports:
  - { name: vm1, listen: 17001, remote: 127.0.0.1:17002 }
  - { name: vm2, listen: 17003, remote: 127.0.0.1:17004, segment: lan2 }
`,
  );
  await page.getByTestId('open-lab-file').setInputFiles(file);
  await expect(page.getByTestId('lab-name')).toHaveText('two-lans-ports');
  const topology = page.getByRole('img', { name: 'Topology: hosts on 2 segments' });
  const laneX = async (name: string) =>
    Number(await topology.locator(`line.lane[data-segment="${name}"]`).getAttribute('x1'));
  const cableX = async (port: string) =>
    Number(await topology.locator(`[data-port="${port}"] line.cable`).getAttribute('x1'));
  expect(await laneX('lan1')).not.toBe(await laneX('lan2'));
  expect(await cableX('vm1')).toBe(await laneX('lan1'));
  expect(await cableX('vm2')).toBe(await laneX('lan2'));
  await shot(page, 'ports-on-their-segments');
  expect(errors).toEqual([]);
});
