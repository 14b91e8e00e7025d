// Labs of several segments as a student sees them. router-ttl: two LANs drawn as lanes, r cabled
// to both with an address on each; made a router in its shell (ip_forward 1, h2's route back),
// every segment captured, a datagram followed from lan1 across r to h2 on lan2 (r's verdict
// "forwarded, TTL 63"), and lan2's capture exported alone and read with tshark. hub-vs-switch-
// flood: a hub and three cables; sw made a switch in its shell, its bridge drawn, and a flood
// frame followed through br0 to c2 and c3. Screenshots at three sizes in
// test-results/multi-segment/ (and p5-bridged-64, 64 hosts on 9 segments, loaded from its file).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, openBuiltin, shell } from './support/lab-test';

const SHOTS = 'test-results/multi-segment';
const SIZES = [
  [1024, 700],
  [1366, 768],
  [1920, 1080],
] as const;

/**
 * A screenshot at each size. `fresh`: the window opened at that size (the topology panel's width
 * is chosen from the window's at start), else the open window resized.
 */
async function shots(page: Page, name: string, fresh = false): Promise<void> {
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    if (fresh) {
      const lab = (await page.getByTestId('lab-name').textContent()) ?? '';
      await page.reload();
      await expect(page.getByTestId('lab-name')).toHaveText(lab);
    }
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/${name}-${width}x${height}.png` });
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

test('router-ttl: two LANs, a router made in its shell, a datagram followed across it', async ({
  page,
  web,
  errors,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await openBuiltin(page, web, 'router-ttl');
  const topology = page.getByRole('img', { name: 'Topology: hosts on 2 segments' });
  await expect(topology.locator('line[data-segment]')).toHaveCount(2);
  const segments = page.getByTestId('segments');
  await expect(segments.locator('[data-segment="lan1"]')).toContainText('hub');
  await expect(segments.locator('[data-segment="lan2"]')).toContainText('100 M half');

  // r has a card on each LAN, with its address there; it does not forward yet.
  const r = topology.locator('[data-host="r"]');
  await expect(r.getByRole('button', { name: 'r eth0' })).toContainText('→ lan1');
  await expect(r.getByRole('button', { name: 'r eth0' })).toContainText('10.0.1.1/24');
  await expect(r.getByRole('button', { name: 'r eth1' })).toContainText('→ lan2');
  await expect(r.getByRole('button', { name: 'r eth1' })).toContainText('10.0.2.1/24');
  await expect(r.locator('[data-role="off"] text')).toHaveText('ip_forward 0');
  // h1 was given its route to lan2 through r.
  await expect(topology.locator('[data-host="h1"] [data-net="route"]')).toHaveText(
    '10.0.2.0/24 via 10.0.1.1 dev eth0',
  );
  await shots(page, 'router-ttl-as-shipped', true);

  // The two fixes, the Linux way: r forwards, h2 gets a route back.
  await shell(page, 'r', ['sysctl -w net.ipv4.ip_forward=1']);
  await shell(page, 'h2', ['ip route add 10.0.1.0/24 via 10.0.2.1']);
  await expect(r.locator('[data-role="router"] text')).toHaveText('router');
  await expect(topology.locator('[data-host="h2"] [data-net="route"]')).toHaveText(
    '10.0.1.0/24 via 10.0.2.1 dev eth0',
  );

  // Start with no point named captures every segment; run until the stream has gone by.
  await page.getByRole('tab', { name: 'Capture' }).click();
  await expect(page.getByTestId('empty-list')).toContainText(
    'press Start to capture every segment (lan1, lan2)',
  );
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('capture-points')).toContainText('lan1, lan2');
  await page.getByLabel('Speed').selectOption('0.1');
  await page.getByRole('button', { name: 'Run' }).click();
  // The datagrams travel each LAN on its own lane: r's copies run along lan2.
  await expect(
    topology
      .locator('[data-wire-segment="lan2"] [data-wire-frame][data-summary*="10.0.2.2"]')
      .first(),
  ).toBeAttached({ timeout: 20_000 });
  await expect(page.getByTestId('sim-time')).toHaveText(/^0\.[2-9]/, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Pause' }).click();

  const filter = page.getByLabel('Display filter');
  await filter.fill('udp.dstport == 5000');
  await filter.press('Enter');
  const list = page.getByTestId('packet-list');
  const onLan1 = list.getByRole('row').filter({ hasText: 'lan1' }).nth(3);
  await expect(onLan1).toBeVisible();
  await onLan1.click();
  await page.getByRole('button', { name: 'Follow across hosts' }).click();
  const panel = page.getByTestId('follow-panel');
  await expect(panel).toContainText('across 2 segments: lan1 → lan2');
  await expect(panel.locator('[data-station="r:eth0"]')).toContainText(
    'forwarded, TTL 63: out eth1 towards 10.0.2.2',
  );
  const hop = panel.locator('tbody[data-hop="lan2"]');
  await expect(hop).toContainText('sent on by r:eth1');
  await expect(hop.locator('[data-station="lan2/h2:eth0"] .c-fate')).toHaveText('delivered');
  await shots(page, 'router-ttl-followed');

  // lan2's capture alone, as pcap: tshark reads r's forwarded datagrams, TTL 63.
  await page.getByRole('button', { name: 'Export…' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('menuitem', { name: 'Segment lan2 only as pcap', exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('router-ttl-lan2.pcap');
  const path = 'test-results/router-ttl-lan2.pcap';
  await download.saveAs(path);
  const ttls = execFileSync(
    'tshark',
    ['-r', path, '-Y', 'udp.dstport == 5000', '-T', 'fields', '-e', 'ip.ttl', '-e', 'ip.src'],
    { encoding: 'utf8' },
  )
    .trim()
    .split('\n');
  expect(ttls.length).toBeGreaterThan(5);
  expect(new Set(ttls)).toEqual(new Set(['63\t10.0.1.2']));
  expect(errors).toEqual([]);
});

test('hub-vs-switch-flood: a hub, three cables, and sw made a switch', async ({
  page,
  web,
  errors,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await openBuiltin(page, web, 'hub-vs-switch-flood');
  const topology = page.getByRole('img', { name: 'Topology: hosts on 4 segments' });
  const segments = page.getByTestId('segments');
  await expect(segments.locator('[data-segment="hub"]')).toContainText('hub');
  for (const c of ['c1', 'c2', 'c3'])
    await expect(segments.locator(`[data-segment="${c}"]`)).toContainText('cable');
  const sw = topology.locator('[data-host="sw"]');
  await expect(sw.getByRole('button', { name: 'sw eth2' })).toContainText('→ c3');
  await expect(sw.locator('[data-role="switch"]')).toHaveCount(0);
  await shots(page, 'hub-vs-switch-as-shipped', true);

  await shell(page, 'sw', [
    'ip link add br0 type bridge',
    'ip link set eth0 master br0',
    'ip link set eth1 master br0',
    'ip link set eth2 master br0',
    'ip link set br0 up',
  ]);
  await expect(sw.locator('[data-role="switch"] text')).toHaveText('switch');
  await expect(sw.locator('[data-net="bridge"]')).toHaveText('br0 UP · eth0 eth1 eth2');
  await expect(sw.locator('[data-net="snooping"]')).toContainText('no querier: floods');
  await expect(sw.getByRole('button', { name: 'sw eth1' })).toContainText('br0');

  await page.getByRole('tab', { name: 'Capture' }).click();
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('capture-points')).toContainText('hub, c1, c2, c3');
  await page.getByLabel('Speed').selectOption('0.1');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('sim-time')).toHaveText(/^0\.1[1-9]/, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  const filter = page.getByLabel('Display filter');
  await filter.fill('ip.dst == 239.1.1.1 && udp');
  await filter.press('Enter');
  // The list is the filtered one only once the filter's reply is in: before it, the first c1
  // row may be an IGMP report.
  await expect(filter).toHaveClass(/applied/);
  await expect(page.getByTestId('capture-count')).toContainText('displayed');
  const onC1 = page
    .getByTestId('packet-list')
    .getByRole('row')
    .filter({ hasText: 'c1' })
    .filter({ hasText: '239.1.1.1' })
    .first();
  await onC1.click();
  await page.getByRole('button', { name: 'Follow across hosts' }).click();
  const panel = page.getByTestId('follow-panel');
  await expect(panel).toContainText('across 3 segments: c1 → c2 → c3');
  await expect(panel.locator('[data-station="sw:eth0"]')).toContainText(
    'br0: flooded to eth1, eth2',
  );
  await expect(panel.locator('[data-station="c2/h2:eth0"] .c-fate')).toHaveText('delivered');
  await expect(panel.locator('tbody[data-hop="c3"]')).toContainText('sent on by sw:eth2');
  await shots(page, 'hub-vs-switch-followed');
  expect(errors).toEqual([]);
});

test('igmp-snooping-querier and a 64-host lab of 9 segments stay readable', async ({
  page,
  web,
  errors,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await openBuiltin(page, web, 'igmp-snooping-querier');
  const sw = page.getByRole('img', { name: /Topology/ }).locator('[data-host="sw"]');
  await expect(sw.locator('[data-net="bridge"]')).toHaveText('br0 UP · eth0 eth1 eth2');
  await expect(sw.locator('[data-net="snooping"]')).toContainText('no querier: floods');
  await shots(page, 'igmp-snooping-querier', true);
  // Its own querier: trusted only after 10 s of simulated time, flooding until then.
  await shell(page, 'sw', ['ip link set br0 type bridge mcast_querier 1']);
  await expect(sw.locator('[data-net="snooping"]')).toHaveText('querier starting: floods · mdb 0');
  await page.getByLabel('Speed').selectOption('1');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('sim-time')).toHaveText(/^1[2-9]\./, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  // Past 10 s the bridge trusts its querier, and its mdb holds h2's group.
  await expect(sw.locator('[data-net="snooping"]')).toHaveText('snooping on · querier on · mdb 1');
  await shots(page, 'igmp-snooping-querier-trusted');

  await page
    .getByTestId('open-lab-file')
    .setInputFiles(join(import.meta.dirname, '..', 'bench', 'labs', 'p5-bridged-64.yaml'));
  const topology = page.getByRole('img', { name: 'Topology: hosts on 9 segments' });
  await expect(topology.locator('[data-host]')).toHaveCount(66);
  await expect(page.getByTestId('segments').locator('tr')).toHaveCount(9);
  await shots(page, 'p5-bridged-64', true);
  expect(errors).toEqual([]);
});
