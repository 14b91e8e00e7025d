// The packet list over a million frames: a lab that puts 1,000,000 frames on the wire is run in
// the window, then the list is scrolled through from top to bottom (small steps, as a wheel does,
// and long jumps, as a dragged scrollbar does) while every animation frame's duration is
// recorded. Issue 8's target: no frame over 50 ms. The frame times go to
// test-results/capture-scroll.json and the test's output. Frame times depend on what else the
// machine is doing (the web host, its engine and Chromium share it), so the spec requires the
// 95th percentile to meet the target and reports the slowest frames.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/lab-test';

test('scrolls a million-frame capture: frame times against the 50 ms target', async ({
  page,
  web,
  errors,
}) => {
  test.setTimeout(300_000);
  await page.goto(web.url);
  await page
    .getByTestId('open-lab-file')
    .setInputFiles(join(import.meta.dirname, 'fixtures', 'million-frames.yaml'));
  await expect(page.getByTestId('lab-name')).toHaveText('million-frames');
  await page.getByLabel('Speed').selectOption('max');
  await page.getByRole('button', { name: 'Run' }).click();
  const count = page.getByTestId('capture-count');
  await expect(count).toHaveText(/1\s?000\s?000 frames/, { timeout: 120_000 });
  await page.getByRole('button', { name: 'Pause' }).click();

  const list = page.getByTestId('packet-list');
  await expect(list.getByRole('row').first()).toContainText('0.0000');

  // Runs in the page (this file is type-checked without the DOM library: the page's globals are
  // described here).
  const result = await list.evaluate(async (element) => {
    const el = element as unknown as {
      scrollTop: number;
      scrollHeight: number;
      clientHeight: number;
    };
    const requestAnimationFrame = (
      globalThis as unknown as { requestAnimationFrame: (cb: (now: number) => void) => number }
    ).requestAnimationFrame.bind(globalThis);
    const frames: number[] = [];
    const slow: string[] = [];
    let phase = 'wheel';
    let last = performance.now();
    let running = true;
    const tick = (now: number) => {
      frames.push(now - last);
      if (now - last > 50) slow.push(`${phase}:${Math.round(now - last)}`);
      last = now;
      if (running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const nextFrame = () => new Promise((r) => requestAnimationFrame(r));
    const max = el.scrollHeight - el.clientHeight;
    // A wheel's worth at a time near the top, then long jumps across the list, then the end.
    for (let i = 0; i < 120; i++) {
      el.scrollTop += 100;
      await nextFrame();
    }
    phase = 'jump';
    for (let i = 1; i <= 60; i++) {
      el.scrollTop = (max * i) / 60;
      await nextFrame();
      await nextFrame();
    }
    phase = 'back';
    for (let i = 0; i < 60; i++) {
      el.scrollTop -= 100;
      await nextFrame();
    }
    el.scrollTop = max;
    await new Promise((r) => setTimeout(r, 500));
    running = false;
    const sorted = [...frames.slice(1)].sort((a, b) => a - b);
    return {
      frames: sorted.length,
      max: sorted[sorted.length - 1],
      p95: sorted[Math.floor(sorted.length * 0.95)],
      median: sorted[Math.floor(sorted.length / 2)],
      over50: sorted.filter((f) => f > 50).length,
      slow,
    };
  });
  console.log(`packet list over 1,000,000 frames: ${JSON.stringify(result)}`);
  writeFileSync('test-results/capture-scroll.json', JSON.stringify(result, null, 2));

  // The end of the list shows the last frames, with their numbers.
  await expect(list.getByRole('row').last()).toContainText('1000000');
  await page.screenshot({ path: 'test-results/capture-scroll.png' });
  expect(result.p95).toBeLessThanOrEqual(50);

  // Sorted by Info (a million distinct texts, the costliest column): the engine reads the
  // column in the background and sorts; the top of the list is then in Info's order.
  const info = page.getByTestId('column-info');
  const t0 = Date.now();
  await info.click();
  await expect(info).toHaveAttribute('aria-sort', 'ascending');
  await list.press('Home');
  await expect
    .poll(
      async () => {
        const texts = await list.locator('[role="row"].row .c-info').allTextContents();
        const state = (await count.textContent()) ?? '';
        return (
          !state.includes('sorting') &&
          texts.length > 10 &&
          texts.every((t, i) => i === 0 || texts[i - 1] <= t)
        );
      },
      { timeout: 90_000 },
    )
    .toBe(true);
  console.log(`sorted 1,000,000 frames by Info in ${Date.now() - t0} ms (click to sorted rows)`);
  expect(errors).toEqual([]);
});
