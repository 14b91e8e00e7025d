// A capture has a memory budget, set in the window: at line rate with full-size frames a 16 MiB
// capture fills in about a simulated second, then overwrites its oldest frames and says so.
import { expect, test } from './support/lab-test';

const FLOOD = `name: flood
hosts:
  - name: h0
    interfaces: [{ name: eth0, nic: nofilter, ip: 10.0.0.1/24 }]
  - name: h1
    interfaces: [{ name: eth0, nic: nofilter, ip: 10.0.0.2/24 }]
generators:
  - { name: f, from: h0, to: '10.0.0.2:9', rate: 100Mbps, size: 1472 }
`;

test('a capture set to 16 MiB in the window holds no more, and says when it overwrites', async ({
  page,
  web,
  errors,
}) => {
  test.setTimeout(120_000);
  await page.goto(web.url);
  await page.getByTestId('open-lab-file').setInputFiles({
    name: 'flood.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(FLOOD),
  });
  await expect(page.getByTestId('lab-name')).toHaveText('flood');
  // The default budget is shown, and another chosen before Start.
  await expect(page.getByTestId('capture-limit')).toContainText('limit 128 MiB');
  await page.getByTestId('capture-limit').selectOption({ label: '16 MiB' });
  await page.getByLabel('Capture points').fill('segment');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.getByLabel('Speed').selectOption('max');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('capture-count')).toContainText('limit reached', {
    timeout: 60_000,
  });
  await page.getByRole('button', { name: 'Pause' }).click();
  // Full-size frames of 1514 bytes: 16 MiB holds 11,081 of them (a few collision fragments,
  // of some bytes each, fit beside them); an unbounded capture would hold every frame sent.
  const held = Number(
    ((await page.getByTestId('capture-count').textContent()) ?? '')
      .split(' frames')[0]
      .replace(/\D/g, ''),
  );
  expect(held).toBeGreaterThan(10_000);
  expect(held).toBeLessThan(11_500);
  expect(errors).toEqual([]);
});
