// An external port on the topology: a lab file with `ports:` asks first (a prompt naming each
// address), then opens a real UDP socket on 127.0.0.1 in the engine, and the window draws the port as an outside machine with its addresses and
// counters. The test is the outside machine: a UDP socket that sends an Ethernet frame (an ARP
// request) to the port and gets the lab host's answer back, while the counters on the topology go
// up. A port whose address is taken is drawn failed, with the reason.
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/lab-test';

const FIXTURE = readFileSync(join(import.meta.dirname, 'fixtures', 'outside-port.yaml'), 'utf8');

/** A UDP socket on 127.0.0.1 (port 0: any free one) that keeps what it receives. */
async function udpSocket(port = 0): Promise<{ sock: Socket; port: number; got: Buffer[] }> {
  const sock = createSocket('udp4');
  const got: Buffer[] = [];
  sock.on('message', (m) => got.push(m));
  await new Promise<void>((resolve) => sock.bind(port, '127.0.0.1', () => resolve()));
  return { sock, port: sock.address().port, got };
}

/** A port free on 127.0.0.1 just now. */
async function freePort(): Promise<number> {
  const s = await udpSocket();
  await new Promise<void>((resolve) => s.sock.close(() => resolve()));
  return s.port;
}

/** "Who has 10.0.0.1? Tell 10.0.0.200", from the outside machine's MAC 02:aa:00:00:00:01. */
const ARP_REQUEST = Buffer.from([
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0xaa, 0, 0, 0, 1, 0x08, 0x06, 0, 1, 0x08, 0x00, 6, 4, 0,
  1, 0x02, 0xaa, 0, 0, 0, 1, 10, 0, 0, 200, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1,
]);

const isArpReply = (d: Buffer) => d.length >= 42 && d[12] === 0x08 && d[13] === 0x06 && d[21] === 2;

test('a port is an outside machine on the topology, with its counters', async ({
  page,
  web,
  errors,
}) => {
  const outside = await udpSocket();
  const listen = await freePort();
  try {
    const lab = FIXTURE.replace('listen: 47301', `listen: ${listen}`).replace(
      'remote: 127.0.0.1:47302',
      `remote: 127.0.0.1:${outside.port}`,
    );
    await page.goto(web.url);
    await page.getByTestId('open-lab-file').setInputFiles({
      name: 'outside-port.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from(lab),
    });
    await expect(page.getByTestId('lab-name')).toHaveText('outside-port');

    // Nothing is opened before the user agrees: the window names each address and asks.
    const vm = page.locator('[data-port="vm"]');
    await expect(vm).toHaveAttribute('data-state', 'waiting');
    const prompt = page.getByTestId('ports-prompt');
    await expect(prompt.getByTestId('ports-prompt-port')).toHaveText(
      `vm: listens on 127.0.0.1:${listen} and sends every frame of the segment to 127.0.0.1:${outside.port}`,
    );
    await prompt.getByRole('button', { name: 'Open ports' }).click();
    await expect(prompt).toBeHidden();

    // Drawn below the hosts: its name, open, where it listens and sends, counters at zero.
    await expect(vm).toHaveAttribute('data-state', 'open');
    await expect(vm.getByTestId('port-state')).toHaveText('OPEN');
    await expect(vm.getByTestId('port-addresses')).toContainText(
      `127.0.0.1:${listen} → 127.0.0.1:${outside.port}`,
    );
    const counter = (name: string) => vm.locator(`[data-counter="${name}"]`);
    await expect(counter('datagramsIn')).toHaveText('0');
    const hostsBottom = await page.locator('[data-host="h2"]').boundingBox();
    const portTop = await vm.locator('.outside').boundingBox();
    expect(portTop!.y).toBeGreaterThan(hostsBottom!.y + hostsBottom!.height);
    // The outside lives on the wall clock: the lab runs at 1×, and the speed cannot change.
    await expect(page.getByLabel('Speed')).toBeDisabled();
    await expect(page.getByLabel('Speed')).toHaveValue('1');

    await page.getByRole('button', { name: 'Run' }).click();
    outside.sock.send(ARP_REQUEST, listen, '127.0.0.1');

    // The datagram came in and went onto the segment; h1's answer went out to the outside.
    await expect(counter('datagramsIn')).toHaveText('1');
    await expect(counter('fromOutside')).toHaveText('1');
    await expect.poll(() => outside.got.filter(isArpReply).length).toBe(1);
    const reply = outside.got.find(isArpReply)!;
    expect([...reply.subarray(0, 6)]).toEqual([0x02, 0xaa, 0, 0, 0, 1]);
    expect([...reply.subarray(28, 32)]).toEqual([10, 0, 0, 1]);
    // Every datagram the outside got is counted out (the lab's own ARP and IGMP too).
    await expect
      .poll(async () => Number(await counter('datagramsOut').textContent()))
      .toBeGreaterThanOrEqual(1);
    await expect
      .poll(async () => Number(await counter('datagramsOut').textContent()) - outside.got.length)
      .toBe(0);
    await expect
      .poll(async () => Number(await counter('toOutside').textContent()))
      .toBeGreaterThanOrEqual(1);

    // A datagram too short to be a frame is counted and noted in red.
    outside.sock.send(Buffer.alloc(6), listen, '127.0.0.1');
    await expect(vm.getByTestId('port-note')).toHaveText('malformed 1');
    await expect(counter('datagramsIn')).toHaveText('2');
    await expect(vm.locator('title').first()).toContainText('malformed 1');

    await page.getByRole('button', { name: 'Pause' }).click();
    const topology = page.getByRole('img', { name: 'Topology: hosts on the segment' });
    await topology.screenshot({ path: 'test-results/ports-topology-light.png' });
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await topology.screenshot({ path: 'test-results/ports-topology-dark.png' });
    await page.screenshot({ path: 'test-results/ports-window-dark.png' });
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();

    // The same lab with its port's address taken (by the outside machine's own socket), and a
    // second port on an address this machine does not have (TEST-NET-1): both are drawn failed
    // with the reason, and the lab runs without them at any speed.
    const taken =
      FIXTURE.replace('listen: 47301', `listen: ${outside.port}`) +
      '  - { name: lan, listen: 192.0.2.10:47301, remote: 192.0.2.11:47302 }\n';
    await page.getByTestId('open-lab-file').setInputFiles({
      name: 'taken.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from(taken),
    });
    // lan listens on an address other machines could reach: opening it takes a box ticked.
    await expect(prompt).toContainText(
      'port lan listens on 192.0.2.10:47301, which other machines can reach',
    );
    await expect(prompt.getByRole('button', { name: 'Open ports' })).toBeDisabled();
    await prompt.getByTestId('ports-prompt-exposed').check();
    await prompt.getByRole('button', { name: 'Open ports' }).click();
    await expect(vm).toHaveAttribute('data-state', 'failed');
    await expect(vm.getByTestId('port-state')).toHaveText('FAILED');
    await expect(vm).toContainText('EADDRINUSE');
    await expect(vm.getByTestId('port-note').first()).toContainText('port vm: cannot listen on');
    const lan = page.locator('[data-port="lan"]');
    await expect(lan).toHaveAttribute('data-state', 'failed');
    await expect(lan.getByTestId('port-addresses')).toContainText('192.0.2.10:47301 →');
    await expect(lan.getByTestId('port-note').first()).toHaveText('port lan: cannot listen on');
    await expect(lan).toContainText('EADDRNOTAVAIL');
    await expect(page.getByLabel('Speed')).toBeEnabled();
    await topology.screenshot({ path: 'test-results/ports-topology-failed.png' });
    expect(errors).toEqual([]);
  } finally {
    outside.sock.close();
  }
});
