// The shell view: a terminal per host running the host's shell through the API. Type ifconfig
// and read its output, recall it with Up, stream a ping while the lab runs, interrupt one with
// Ctrl-C, and see a change made in the shell reach the topology's badges.
import { expect, test, loadBuiltin } from './support/lab-test';

test('a terminal per host: ifconfig, history, a streamed ping, Ctrl-C', async ({
  page,
  web,
  errors,
}) => {
  await page.goto(web.url);
  await loadBuiltin(page, 'hash-collisions');
  await page.getByRole('tab', { name: 'Shell' }).click();
  await page.getByRole('button', { name: 'h1', exact: true }).click();

  const term = page.getByTestId('terminal-h1');
  const input = page.getByLabel('Command for h1');
  await input.fill('ifconfig');
  await input.press('Enter');
  await expect(term).toContainText('root@h1:~# ifconfig');
  await expect(term).toContainText('eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500');
  await expect(term).toContainText('ether 02:00:00:00:00:02');

  // History: Up recalls the last line.
  await input.press('ArrowUp');
  await expect(input).toHaveValue('ifconfig');
  await input.fill('');

  // A change made in the shell shows in the topology.
  await input.fill('ifconfig eth0 down');
  await input.press('Enter');
  const h1 = page.getByRole('img', { name: /Topology/ }).getByRole('button', { name: 'h1 eth0' });
  await expect(h1).toContainText('DOWN');
  await input.fill('ifconfig eth0 up');
  await input.press('Enter');
  await expect(h1).toContainText('UP');

  // ping runs in simulated time: typed while the lab is paused, it says it waits for Run; its
  // replies stream in while the lab runs.
  await input.fill('ping -c 3 10.0.0.3');
  await input.press('Enter');
  await expect(page.getByTestId('job-status')).toContainText('waiting: the lab is paused');
  await expect(page.getByText('running… Ctrl-C interrupts')).toHaveCount(0);
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(term).toContainText('64 bytes from 10.0.0.3', { timeout: 10_000 });
  await expect(term).toContainText('3 packets transmitted, 3 received', { timeout: 10_000 });
  await expect(page.getByText('running… Ctrl-C interrupts')).toHaveCount(0);

  // Ctrl-C stops a ping that would run for ever.
  await input.fill('ping 10.0.0.3');
  await input.press('Enter');
  await expect(page.getByText('running… Ctrl-C interrupts')).toBeVisible();
  const replies = async () => ((await term.textContent()) ?? '').match(/icmp_seq=/g)?.length ?? 0;
  await expect.poll(replies, { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
  await input.press('Control+c');
  await expect(term).toContainText('^C');
  await expect(page.getByText('running… Ctrl-C interrupts')).toHaveCount(0, { timeout: 10_000 });
  await page.getByRole('button', { name: 'Pause' }).click();

  // Each host has its own terminal.
  await page.getByRole('button', { name: 'h2', exact: true }).click();
  await expect(page.getByTestId('terminal-h2')).not.toContainText('ifconfig');
  await page.getByRole('button', { name: 'h1', exact: true }).click();
  await page.screenshot({ path: 'test-results/window-shell.png' });
  expect(errors).toEqual([]);
});
