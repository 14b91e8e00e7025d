// The topology editor builds a routed lab (issue 22): from a new lab of one host, a second
// segment, a router host with a card on each, a host on the far LAN, ip_forward and the two
// routes; a route the kernel would refuse is refused with the lab file's words. Then h0 pings
// across the router (TTL 63), Save offers the file with all of it, and the file loads back to
// the same lab. Screenshots at 1024×700, 1366×768 and 1920×1080 go to test-results/.
import { readFileSync } from 'node:fs';
import { type Page } from '@playwright/test';
import { expect, test } from './support/lab-test';

async function tab(page: Page, name: string): Promise<void> {
  await page.getByRole('tablist', { name: 'What to edit' }).getByRole('tab', { name }).click();
}

test('build two LANs joined by a router in the editor, ping across, save', async ({
  page,
  web,
  errors,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(web.url);
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await expect(page.getByTestId('lab-name')).toHaveText('untitled');
  const topology = page.getByRole('img', { name: /Topology/ });
  const error = page.getByTestId('topology-error');
  await page.getByText('Edit topology').click();

  // A second segment, full duplex: a cable once two cards are on it.
  await tab(page, 'Segments');
  await page.getByLabel('New segment name').fill('lan2');
  await page.getByLabel('New segment rate').fill('10Mbps');
  await page.getByLabel('New segment duplex').selectOption('full');
  await page.getByRole('button', { name: 'Add segment' }).click();
  const segments = page.getByRole('list', { name: 'Segments in the lab' });
  await expect(segments.getByRole('listitem')).toHaveText([
    'segment: 100 Mbit/s half duplex, hub: h0:eth0',
    'lan2: 10 Mbit/s full duplex, hub: no cards',
  ]);
  // A rate the lab file would not take is refused, naming it.
  await page.getByLabel('New segment name').fill('lan3');
  await page.getByLabel('New segment rate').fill('10 furlongs');
  await page.getByRole('button', { name: 'Add segment' }).click();
  await expect(error).toContainText('segments[2].rate: expected');

  // The router r (a card on each LAN) and h2 on lan2.
  await tab(page, 'Hosts');
  await page.getByLabel('New host name').fill('r');
  await page.getByLabel('New host address').fill('10.0.0.254/24');
  await page.getByLabel('New host segment').selectOption('segment');
  await page.getByRole('button', { name: 'Add host' }).click();
  await expect(error).toHaveCount(0);
  await page.getByLabel('Host for the new card').selectOption('r');
  await page.getByLabel('New card address').fill('10.0.2.1/24');
  await page.getByLabel('New card segment').selectOption('lan2');
  await page.getByRole('button', { name: 'Add card' }).click();
  await expect(topology.getByRole('button', { name: 'r eth1' })).toBeVisible();
  await page.getByLabel('New host name').fill('h2');
  await page.getByLabel('New host card').selectOption('perfect');
  await page.getByLabel('New host address').fill('10.0.2.2/24');
  await page.getByLabel('New host segment').selectOption('lan2');
  await page.getByRole('button', { name: 'Add host' }).click();
  await expect(topology.getByRole('button', { name: 'h2 eth0' })).toContainText('perfect');
  await tab(page, 'Segments');
  await expect(segments.getByRole('listitem')).toHaveText([
    'segment: 100 Mbit/s half duplex, hub: h0:eth0, r:eth0',
    'lan2: 10 Mbit/s full duplex, cable: r:eth1, h2:eth0',
  ]);

  // r forwards; h0 and h2 route through it.
  await tab(page, 'Routing');
  await page.getByLabel('Host to route on').selectOption('r');
  await page.getByLabel('IP forwarding').check();
  await expect(page.getByLabel('IP forwarding')).toBeChecked();
  await page.getByLabel('Host to route on').selectOption('h0');
  await expect(page.getByLabel('IP forwarding')).not.toBeChecked();
  // A gateway on no subnet of h0's: the kernel's refusal, in the lab file's words.
  await page.getByLabel('Route destination').fill('10.0.2.0/24');
  await page.getByLabel('Route gateway').fill('10.0.5.1');
  await page.getByRole('button', { name: 'Add route' }).click();
  await expect(error).toContainText('gateway 10.0.5.1 is not on any of h0');
  await expect(error).toContainText('Nexthop has invalid gateway');
  await page.getByLabel('Route gateway').fill('10.0.0.254');
  await page.getByRole('button', { name: 'Add route' }).click();
  await expect(error).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Routes of h0' })).toHaveText(
    '10.0.2.0/24 via 10.0.0.254',
  );
  await page.getByLabel('Host to route on').selectOption('h2');
  await page.getByLabel('Route destination').fill('default');
  await page.getByLabel('Route gateway').fill('10.0.2.1');
  await page.getByRole('button', { name: 'Add route' }).click();
  await expect(page.getByRole('list', { name: 'Routes of h2' })).toHaveText('default via 10.0.2.1');
  await page.screenshot({ path: 'test-results/topology-editor-1024x700.png' });
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.screenshot({ path: 'test-results/topology-editor-1366x768.png' });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: 'test-results/topology-editor-1920x1080.png' });

  // h0 pings h2 across r: one hop, TTL 63.
  await page.getByRole('tab', { name: 'Shell' }).click();
  await page.getByRole('button', { name: 'h0', exact: true }).click();
  const input = page.getByLabel('Command for h0');
  await input.fill('ping -c 2 10.0.2.2');
  await input.press('Enter');
  await page.getByRole('button', { name: 'Run' }).click();
  const term = page.getByTestId('terminal-h0');
  await expect(term).toContainText('64 bytes from 10.0.2.2: icmp_seq=1 ttl=63', {
    timeout: 10_000,
  });
  await expect(term).toContainText('2 packets transmitted, 2 received', { timeout: 10_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.screenshot({ path: 'test-results/topology-editor-ping-1366x768.png' });

  // Save offers the lab file with the segments, the router and the routes.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save', exact: true }).click(),
  ]);
  const text = readFileSync(await download.path(), 'utf8');
  expect(text).toContain(
    'segments:\n  - { name: segment }\n  - { name: lan2, rate: 10Mbps, duplex: full }',
  );
  expect(text).toContain('sysctl: { net.ipv4.ip_forward: 1 }');
  expect(text).toContain('routes: [ { to: 10.0.2.0/24, via: 10.0.0.254 } ]');
  expect(text).toContain('routes: [ { to: default, via: 10.0.2.1 } ]');
  expect(text).toContain('{ name: eth1, nic: hash64, ip: 10.0.2.1/24, segment: lan2 }');

  // The file loads back to the same lab: its segments, and h2's route in the editor.
  await page.getByTestId('open-lab-file').setInputFiles({
    name: 'routed.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(text),
  });
  await expect(page.getByTestId('lab-name')).toHaveText('untitled');
  await page.setViewportSize({ width: 1024, height: 700 });
  await tab(page, 'Segments');
  await expect(segments.getByRole('listitem')).toHaveText([
    'segment: 100 Mbit/s half duplex, hub: h0:eth0, r:eth0',
    'lan2: 10 Mbit/s full duplex, cable: r:eth1, h2:eth0',
  ]);
  // A segment with cards on it is not removed: the editor says which cards to move first.
  await page.getByLabel('What to remove').selectOption({ label: 'segment lan2' });
  await page.getByRole('button', { name: 'Remove' }).click();
  await expect(error).toHaveText(
    'lan2 has cards on it (r:eth1, h2:eth0): remove them or move them to another segment first',
  );
  await page.screenshot({ path: 'test-results/topology-editor-refused-1024x700.png' });
  expect(errors).toEqual([]);
});

test('make a host a switch: a bridge over its cards, a loop refused, the bridge removed', async ({
  page,
  web,
  errors,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(web.url);
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await expect(page.getByTestId('lab-name')).toHaveText('untitled');
  const error = page.getByTestId('topology-error');
  await page.getByText('Edit topology').click();
  await tab(page, 'Segments');
  for (const name of ['lan2', 'lan3']) {
    await page.getByLabel('New segment name').fill(name);
    await page.getByRole('button', { name: 'Add segment' }).click();
    await expect(page.getByLabel('New segment name')).toHaveValue('');
  }
  await tab(page, 'Hosts');
  for (const segment of ['lan2', 'lan3']) {
    await page.getByLabel('Host for the new card').selectOption('h0');
    await page.getByLabel('New card segment').selectOption(segment);
    await page.getByRole('button', { name: 'Add card' }).click();
  }
  const topology = page.getByRole('img', { name: /Topology/ });
  await expect(topology.getByRole('button', { name: 'h0 eth2' })).toBeVisible();

  await tab(page, 'Bridges');
  await page.getByLabel('Host for the new bridge').selectOption('h0');
  await page.getByLabel('Port eth1').check();
  await page.getByLabel('Port eth2').check();
  await page.getByLabel('querier').check();
  await page.getByLabel('New bridge address').fill('10.0.9.1/24');
  await page.getByRole('button', { name: 'Add bridge' }).click();
  const bridges = page.getByRole('list', { name: 'Bridges in the lab file' });
  await expect(bridges).toHaveText('h0 br0 10.0.9.1/24: eth1, eth2; IGMP snooping on, querier');
  // A card has one master: br0's ports are offered to no other bridge; the next is br1.
  await expect(page.getByLabel('Port eth1')).toBeDisabled();
  await expect(page.getByLabel('Port eth0')).toBeEnabled();
  await expect(page.getByLabel('New bridge name')).toHaveValue('br1');
  await page.screenshot({ path: 'test-results/topology-editor-bridge-1024x700.png' });

  // Both ports on one segment would be a loop, and STP is not modelled: refused, saying so.
  await tab(page, 'Hosts');
  await page.getByLabel('Card to move').selectOption('h0:eth2');
  await page.getByLabel('Segment to move the card to').selectOption('lan2');
  await page.getByRole('button', { name: 'Move card' }).click();
  await expect(error).toContainText('eth2 and eth1 are both on segment lan2');
  await expect(error).toContainText('without STP (not modelled) it would flood forever');

  // The kernel has it as `ip link set … master br0` would.
  await page.getByRole('tab', { name: 'Shell' }).click();
  const input = page.getByLabel('Command for h0');
  await input.fill('bridge link');
  await input.press('Enter');
  const term = page.getByTestId('terminal-h0');
  await expect(term).toContainText('eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0');
  await expect(term).toContainText('eth2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0');
  await input.fill('ip addr show br0');
  await input.press('Enter');
  await expect(term).toContainText('inet 10.0.9.1/24');

  await page.getByLabel('What to remove').selectOption({ label: 'h0 br0' });
  await page.getByRole('button', { name: 'Remove' }).click();
  await tab(page, 'Bridges');
  await expect(bridges.getByRole('listitem')).toHaveCount(0);
  expect(errors).toEqual([]);
});
