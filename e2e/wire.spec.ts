// Frames travelling the wire on the topology, as a student watches them in the hash-collisions
// exercise. Step frame by frame: the hosts boot apart, so the first frame is alone; two pings
// typed at one nanosecond collide; then h0's flood to
// 239.1.1.24 is drawn on the bus with its label, h1's card takes it in (hash bin 4 is
// 239.1.1.1's too) and its kernel drops it, h2's perfect filter keeps it out; the frame stays
// until the next step. At 0.001× pulses run along the bus; with reduced motion they are a static
// highlight; at 0.1× there are too many and the bus glows with its load. Screenshots:
// test-results/wire-collision.png, wire-step-{light,dark}.png, wire-pulse.png,
// wire-reduced-motion.png, wire-dense.png.
import type { Locator, Page } from '@playwright/test';
import { expect, openBuiltin, test } from './support/lab-test';

/** Clicks Step frame and waits for the clock to move. */
async function stepFrame(page: Page): Promise<void> {
  const clock = page.getByTestId('sim-time');
  const before = await clock.textContent();
  await page.getByRole('button', { name: 'Step frame' }).click();
  await expect(clock).not.toHaveText(before!);
}

/** A station's verdict beside its interface on the topology. */
const verdict = (topology: Locator, station: string) =>
  topology.locator(`.verdict[data-station="${station}"]`);

test('frames on the wire: a stepped frame with its label and every station’s verdict, then pulses', async ({
  page,
  web,
  errors,
}) => {
  test.setTimeout(120_000);
  await openBuiltin(page, web, 'hash-collisions');
  const topology = page.getByRole('img', { name: /Topology/ });
  const caption = page.getByTestId('wire-caption');
  await expect(caption).toContainText('Step frame');

  // The hosts boot apart and announce nothing (arp_notify is 0): the first frame is h0's first
  // flood datagram, alone on the wire.
  await stepFrame(page);
  await expect(caption).toContainText(
    'Frame 1 from h0:eth0: NETLAB 239.1.1.24 — reached every station',
  );
  await expect(topology.locator('[data-wire-frame][data-outcome="collision"]')).toHaveCount(0);

  // Past the boots, h2 and h1 ping at the same nanosecond: their ARP requests collide, a red
  // burst at each collider's tap.
  const seconds = async () => parseFloat((await page.getByTestId('sim-time').textContent()) ?? '0');
  while ((await seconds()) < 0.0003) await stepFrame(page);
  await page.getByRole('tab', { name: 'Shell' }).click();
  for (const host of ['h2', 'h1']) {
    await page.getByRole('button', { name: host, exact: true }).click();
    await page.getByLabel(`Command for ${host}`).fill('ping -c 1 10.0.0.9');
    await page.getByLabel(`Command for ${host}`).press('Enter');
  }
  for (let i = 0; i < 10 && !/collided/.test((await caption.textContent()) ?? ''); i++)
    await stepFrame(page);
  await expect(caption).toContainText('2 frames collided: h2:eth0, h1:eth0');
  await expect(topology.locator('[data-wire-frame][data-outcome="collision"]')).toHaveCount(2);
  await expect(topology.locator('.burst')).toHaveCount(2);
  await expect(topology.getByTestId('wire-label')).toHaveText('collision of 2');
  // Each collider shows its own frame, collided.
  for (const station of ['h1:eth0', 'h2:eth0']) {
    await expect(verdict(topology, station)).toHaveAttribute('data-verdict', 'missed');
    await expect(verdict(topology, station).locator('title')).toContainText(
      '(ARP who-has 10.0.0.9): sent: sent it: collision',
    );
  }
  await topology.screenshot({ path: 'test-results/wire-collision.png' });

  // Step on to one of h0's flood frames.
  const flood = topology.locator('[data-wire-frame][data-summary="NETLAB 239.1.1.24"]');
  for (let i = 0; i < 40 && (await flood.count()) === 0; i++) await stepFrame(page);
  await expect(flood).toHaveCount(1);
  await expect(flood).toHaveAttribute('data-outcome', 'ok');
  const seq = await flood.getAttribute('data-wire-frame');
  // On the wire with its label, and the caption says what it is and how it ended.
  await expect(topology.getByTestId('wire-label')).toHaveText('NETLAB 239.1.1.24');
  await expect(caption).toHaveText(
    new RegExp(
      `Frame ${seq} from h0:eth0: NETLAB 239\\.1\\.1\\.24 — reached every station, 6\\.3 µs on the wire`,
    ),
  );
  // Each station's verdict: h0 sent it; h1's hash filter let it in and IP dropped it; h2's
  // perfect filter kept it out.
  await expect(verdict(topology, 'h0:eth0')).toHaveAttribute('data-verdict', 'sender');
  await expect(verdict(topology, 'h0:eth0')).toContainText('NETLAB 239.1.1.24');
  await expect(verdict(topology, 'h1:eth0')).toHaveAttribute('data-verdict', 'drop');
  await expect(verdict(topology, 'h1:eth0').locator('text')).toHaveText('dropped: not joined');
  await expect(verdict(topology, 'h1:eth0').locator('title')).toContainText(
    'IP dropped it: the host has not joined the group',
  );
  await expect(verdict(topology, 'h2:eth0')).toHaveAttribute('data-verdict', 'filtered');
  await expect(verdict(topology, 'h2:eth0').locator('title')).toContainText(
    'no perfect-filter entry for 01:00:5e:01:01:18',
  );
  // Its pulse has run: the whole bus is lit in the flood's colour, and stays so until the next step.
  await page.waitForTimeout(1000);
  const lit = flood.locator('line.pulse');
  await expect(lit).toHaveCount(1);
  await expect(lit).toHaveAttribute('y1', '4');
  await topology.screenshot({ path: 'test-results/wire-step-light.png' });
  await page.getByRole('button', { name: /Switch to the dark theme/ }).click();
  await topology.screenshot({ path: 'test-results/wire-step-dark.png' });
  await page.screenshot({ path: 'test-results/wire-window-dark.png' });
  await page.getByRole('button', { name: /Switch to the light theme/ }).click();
  await stepFrame(page);
  await expect(topology.locator(`[data-wire-frame="${seq}"]`)).toHaveCount(0);
  await expect(topology.locator('[data-wire-frame]')).not.toHaveCount(0);

  // 0.001×: one flood frame every 100 ms of wall time, each a pulse running out from h0's tap.
  const seqs = async () =>
    (await topology
      .locator('[data-wire-frame]')
      .evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-wire-frame'))))) as number[];
  const lastStepped = Math.max(...(await seqs()));
  await page.getByLabel('Speed').selectOption('0.001');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(caption).toContainText('0.001×: frames travel the bus');
  await expect.poll(async () => Math.max(0, ...(await seqs()))).toBeGreaterThan(lastStepped);
  // Some frame is seen twice with its pulse's head further along. (Each pulse runs 400 ms: a
  // frame first seen late in its run may never be seen moving, so every frame drawn counts.)
  const heads = async () =>
    new Map(
      await topology
        .locator('[data-wire-frame]')
        .evaluateAll((gs) =>
          gs.map((g) => [
            Number(g.getAttribute('data-wire-frame')),
            Number(g.getAttribute('data-head') ?? -1),
          ]),
        ),
    );
  const firstSeen = await heads();
  const moved = async () => {
    let any = false;
    for (const [seq, head] of await heads()) {
      const before = firstSeen.get(seq);
      if (before === undefined) firstSeen.set(seq, head);
      else if (head > before) any = true;
    }
    return any;
  };
  await expect.poll(moved, { intervals: [40] }).toBe(true);
  await page.screenshot({ path: 'test-results/wire-pulse.png' });

  // With reduced motion nothing moves: the whole bus is lit while a frame passes.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await expect(caption).toContainText('each frame lit on the bus');
  const still = topology.locator('[data-wire-frame] line.pulse').first();
  await expect(still).toHaveAttribute('y1', '4', { timeout: 5000 });
  await topology.screenshot({ path: 'test-results/wire-reduced-motion.png' });
  await page.emulateMedia({ reducedMotion: 'no-preference' });

  // 0.1×: a thousand frames a wall second, too many to draw: the bus glows with its load.
  await page.getByLabel('Speed').selectOption('0.1');
  await expect(caption).toContainText('too many to draw one by one');
  await expect(topology.locator('[data-wire-glow]')).toBeAttached();
  await expect(topology.locator('[data-wire-frame]')).toHaveCount(0, { timeout: 5000 });
  await expect(page.getByTestId('collision-rate')).toBeVisible();
  await page.screenshot({ path: 'test-results/wire-dense.png' });
  await page.getByLabel('Speed').selectOption('max');
  await expect(caption).toContainText('max speed: the bus glows with its load');
  await page.getByRole('button', { name: 'Pause' }).click();

  expect(errors).toEqual([]);
});
