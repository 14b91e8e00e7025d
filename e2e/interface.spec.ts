// The interface panel as a student uses it on the hash-collisions lab: open h1's hash64 card from
// the topology, be refused a MAC change while it is up (EBUSY, explained next to the control),
// bring it down and see the badge change, change the MAC, bring it up, join a group, find the
// group's hash bin, be refused as an unprivileged user, and call the driver's private ioctls.
import { expect, test, loadBuiltin } from './support/lab-test';

test('ifconfig in a form: refusals with their meaning, badges that follow', async ({
  page,
  web,
  errors,
}) => {
  await page.goto(web.url);
  await loadBuiltin(page, 'hash-collisions');

  const topology = page.getByRole('img', { name: /Topology/ });
  const h1 = topology.getByRole('button', { name: 'h1 eth0' });
  await h1.click();
  await expect(page.getByRole('tab', { name: 'Interface' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(page.getByRole('combobox', { name: 'Interface' })).toHaveValue('h1:eth0');
  await expect(page.getByTestId('filter-mode')).toHaveText('hash');

  // A hash64 card changes its MAC only while down.
  const mac = page.getByLabel('MAC address');
  await mac.fill('02:00:00:00:00:99');
  await page.getByRole('button', { name: 'Set MAC' }).click();
  await expect(page.getByTestId('refusal-mac')).toHaveText(
    'EBUSY: this NIC changes its MAC only while down',
  );

  // Down: the panel and the topology's badge say so.
  await page.getByRole('button', { name: 'Bring down' }).click();
  await expect(page.getByTestId('iface-state')).toHaveText('DOWN');
  await expect(h1).toContainText('DOWN');
  await expect(h1).not.toContainText('UP');

  await page.getByRole('button', { name: 'Set MAC' }).click();
  await expect(page.getByTestId('refusal-mac')).toHaveCount(0);
  await expect(h1).toContainText('02:00:00:00:00:99');
  await page.getByRole('button', { name: 'Bring up' }).click();
  await expect(page.getByTestId('iface-state')).toHaveText('UP');
  await expect(h1).toContainText('UP');

  // Join the flood's group: its MAC joins the list, and it hashes to bin 4 like 239.1.1.1.
  await page.getByLabel('Group to join').fill('239.1.1.24');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByTestId('groups')).toContainText('239.1.1.24');
  await expect(page.getByTestId('mc-list')).toContainText('01:00:5e:01:01:18');
  await page.getByPlaceholder('239.1.1.24 or 01:00:5e:01:01:18').fill('239.1.1.24');
  await expect(page.getByTestId('probe-result')).toContainText('bin 4');
  await expect(page.getByTestId('probe-result')).toContainText('passes the hash');
  await expect(page.locator('.bin.lit[data-bin="4"]')).toHaveCount(1);

  // PROMISC: the flag and its badge.
  await page.getByRole('checkbox', { name: 'PROMISC' }).check();
  await expect(h1).toContainText('PROMISC');
  await page.getByRole('checkbox', { name: 'PROMISC' }).uncheck();
  await expect(h1).not.toContainText('PROMISC');

  // A bad MTU and a non-multicast address, refused with their meaning.
  await page.getByLabel('MTU').fill('9000');
  await page.getByRole('button', { name: 'Set MTU' }).click();
  await expect(page.getByTestId('refusal-mtu')).toContainText('EINVAL');
  await page.getByLabel('Multicast address').fill('02:00:00:00:00:01');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByTestId('refusal-addmulti')).toContainText(
    'EINVAL: not a multicast address',
  );

  // The driver's private ioctls: read the rings; resizing them needs the card down.
  await page.getByLabel('Private ioctl').selectOption('1');
  await page.getByRole('button', { name: 'Call' }).click();
  await expect(page.getByTestId('ioctl-result')).toContainText('"rxRing": 256');
  await page.getByLabel('Private ioctl').selectOption('2');
  await page.getByRole('button', { name: 'Call' }).click();
  await expect(page.getByTestId('refusal-ioctl')).toContainText('EBUSY');

  await page.screenshot({ path: 'test-results/window-interface.png' });

  // Without CAP_NET_ADMIN, the kernel refuses.
  await page.getByRole('checkbox', { name: 'as user' }).check();
  await page.getByRole('button', { name: 'Bring down' }).click();
  await expect(page.getByTestId('refusal-up')).toContainText('EPERM: only root');
  await expect(page.getByTestId('iface-state')).toHaveText('UP');

  expect(errors).toEqual([]);
});
