// The window as a student meets it (issue 17), at a projector's 1024×700, a laptop's 1366×768 and
// a desktop's 1920×1080: no sideways or page scrolling, the toolbar on one row, and the student's
// flow (load, run, filter, follow, export the displayed frames, ping from a paused shell, read
// the statistics). Screenshots of each view at each size go to /tmp/shots-i17/ (or $SHOTS).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { type Page } from '@playwright/test';
import { expect, test, loadBuiltin } from './support/lab-test';

const SHOTS = process.env['SHOTS'] ?? '/tmp/shots-i17';
mkdirSync(SHOTS, { recursive: true });

// The page's globals, as the functions run in it use them (this file is type-checked without the
// DOM library).
interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
  width: number;
  height: number;
}
interface El {
  getBoundingClientRect(): Box;
  querySelectorAll(selector: string): ArrayLike<El> & Iterable<El>;
  scrollWidth: number;
  clientWidth: number;
  scrollHeight: number;
  clientHeight: number;
}
interface PageGlobals {
  document: El & { scrollingElement: El; querySelector(selector: string): El };
  innerWidth: number;
}

const digits = (text: string | null) => parseInt((text ?? '').replace(/\D/g, ''), 10);

/** The page neither scrolls nor overflows, and the toolbar holds every control on one row. */
async function expectFits(page: Page, where: string): Promise<void> {
  const m = await page.evaluate(() => {
    const { document, innerWidth } = globalThis as unknown as PageGlobals;
    const doc = document.scrollingElement!;
    const bar = document.querySelector('header.toolbar')!.getBoundingClientRect();
    const controls = [...document.querySelectorAll('header.toolbar button, header.toolbar select')]
      .map((e) => e.getBoundingClientRect())
      .filter((r) => r.width > 0);
    const views = [...document.querySelectorAll('.view')].map((v) => ({
      scroll: v.scrollWidth,
      client: v.clientWidth,
    }));
    return {
      page: {
        sw: doc.scrollWidth,
        cw: doc.clientWidth,
        sh: doc.scrollHeight,
        ch: doc.clientHeight,
      },
      bar: { top: bar.top, bottom: bar.bottom, height: bar.height },
      controls: controls.map((r) => ({ top: r.top, bottom: r.bottom, right: r.right })),
      views,
      width: innerWidth,
      name: document.querySelector('[data-testid="lab-name"]')!.getBoundingClientRect().width,
    };
  });
  expect(m.page.sw, `${where}: the page scrolls sideways`).toBeLessThanOrEqual(m.page.cw);
  expect(m.page.sh, `${where}: the page scrolls down`).toBeLessThanOrEqual(m.page.ch);
  expect(m.bar.height, `${where}: the toolbar wraps`).toBeLessThan(48);
  for (const c of m.controls) {
    expect(c.top, `${where}: a toolbar control on a second row`).toBeGreaterThanOrEqual(m.bar.top);
    expect(c.bottom, `${where}: a toolbar control on a second row`).toBeLessThanOrEqual(
      m.bar.bottom,
    );
    expect(c.right, `${where}: a toolbar control off the window`).toBeLessThanOrEqual(m.width);
  }
  for (const v of m.views)
    expect(v.scroll, `${where}: the view scrolls sideways`).toBeLessThanOrEqual(v.client);
  expect(m.name, `${where}: the lab's name is squeezed out`).toBeGreaterThan(40);
}

/** Each header of the packet list sits over its column's cells. */
async function expectHeadersOverCells(page: Page): Promise<void> {
  const offsets = await page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const heads = [...document.querySelectorAll('.packet-list [role="columnheader"]')];
    const cells = [
      ...document.querySelectorAll('.packet-list [role="row"].row'),
    ][0]?.querySelectorAll('[role="gridcell"]');
    return heads.map((h, i) => {
      const a = h.getBoundingClientRect();
      const b = cells?.[i]?.getBoundingClientRect();
      return b ? { left: Math.abs(a.left - b.left), width: b.width } : null;
    });
  });
  for (const o of offsets) {
    expect(o).not.toBeNull();
    expect(o!.left).toBeLessThanOrEqual(1);
    // Info, Fate and Point keep room for their text (not one character).
    expect(o!.width).toBeGreaterThanOrEqual(40);
  }
}

const SIZES = [
  [1024, 700],
  [1366, 768],
  [1920, 1080],
] as const;

for (const [width, height] of SIZES) {
  test(`the student flow at ${width}×${height}: fits, one-row toolbar, nothing misleads`, async ({
    page,
    web,
    errors,
  }) => {
    test.setTimeout(150_000);
    const size = `${width}x${height}`;
    await page.setViewportSize({ width, height });
    await page.goto(web.url);
    await loadBuiltin(page, 'hash-collisions');
    await expectFits(page, `${size} loaded`);

    // Run the flood at full speed, past 1000 s of simulated time, and pause.
    await page.getByLabel('Speed').selectOption('max');
    await page.getByRole('button', { name: 'Run' }).click();
    const clock = page.getByTestId('sim-time');
    await expect(clock).toHaveText(/^\d+:\d\d:\d\d\.\d{3}$/, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByRole('button', { name: 'Run' })).toBeVisible();
    await expectFits(page, `${size} after 1000 s`);

    // The capture opens on the lab's traffic, not on collision fragments: hosts boot apart.
    const list = page.getByTestId('packet-list');
    // Its first frame is h0's first flood datagram (no host announces itself with an ARP).
    await expect(list.getByRole('row').first()).toContainText('NETLAB');
    await expect(list.getByRole('row').first()).toContainText('239.1.1.24');
    await expect(list.getByRole('row').first()).not.toContainText('collision');
    await expectHeadersOverCells(page);
    await page.screenshot({ path: `${SHOTS}/${size}-capture.png` });

    // A filter Wireshark would write another way gets a hint; then the right one.
    const filter = page.getByLabel('Display filter');
    await filter.fill('ip.dst = 239.1.1.1');
    await filter.press('Enter');
    await expect(page.getByTestId('filter-hint')).toContainText('ip.dst == 239.1.1.1');
    await filter.fill('igmp');
    await filter.press('Enter');
    await expect(filter).toHaveAttribute('aria-invalid', 'false');
    await expect(page.getByTestId('capture-count')).toContainText('displayed');

    // Open a report; right-click its group in the details and apply it as a filter.
    await list.getByRole('row').first().click();
    const tree = page.getByTestId('detail-tree');
    await tree.getByRole('treeitem').filter({ hasText: 'Internet Protocol Version 4' }).click();
    await page.keyboard.press('ArrowRight');
    await tree.locator('[data-field="ip.dst"]').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Apply as filter' }).click();
    await expect(filter).toHaveValue(/^ip\.dst == 2\d\d\.\d+\.\d+\.\d+$/);
    await expect(filter).toHaveAttribute('aria-invalid', 'false');
    // The filter is tested in the background on a busy machine: count once the list shows only
    // its frames and the scan has finished.
    const group = (await filter.inputValue()).replace('ip.dst == ', '');
    await expect
      .poll(async () => {
        const dst = await list.locator('[role="row"].row .c-dst').allTextContents();
        const count = (await page.getByTestId('capture-count').textContent()) ?? '';
        return dst.length > 0 && dst.every((d) => d === group) && !count.includes('filtering');
      })
      .toBe(true);
    const shown = digits((await page.getByTestId('capture-count').textContent())!.split(' of ')[0]);
    expect(shown).toBeGreaterThan(0);

    // Sort by Source (the engine orders the list), then back to frame order.
    const source = page.getByTestId('column-source');
    await source.click();
    await expect(source).toHaveAttribute('aria-sort', 'ascending');
    // The sorted rows come as pages: the headers line up with them once they are in.
    await expect(async () => await expectHeadersOverCells(page)).toPass({ timeout: 10_000 });
    await expectFits(page, `${size} sorted`);
    await page.screenshot({ path: `${SHOTS}/${size}-capture-sorted.png` });
    await source.click();
    await source.click();
    await expect(source).toHaveAttribute('aria-sort', 'none');

    // Follow the frame across the hosts.
    await list.getByRole('row').first().click();
    await page.getByRole('button', { name: 'Follow across hosts' }).click();
    await expect(page.getByTestId('follow-panel')).toContainText('across the segment');
    await expectFits(page, `${size} following`);
    await page.screenshot({ path: `${SHOTS}/${size}-capture-follow.png` });

    // Export only the displayed frames: tshark finds exactly those.
    await page.getByRole('button', { name: 'Export…' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: /displayed as pcapng/ }).click(),
    ]);
    const path = `test-results/classroom-${size}.pcapng`;
    await download.saveAs(path);
    const frames = execFileSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.number'], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n');
    expect(frames.length).toBe(shown);

    // ping from a paused lab: the terminal says it waits for simulated time; Run brings replies.
    await page.getByRole('tab', { name: 'Shell' }).click();
    await page.getByRole('button', { name: 'h0', exact: true }).click();
    const input = page.getByLabel('Command for h0');
    await input.fill('ping -c 2 10.0.0.3');
    await input.press('Enter');
    await expect(page.getByTestId('job-status')).toContainText('the lab is paused');
    await page.screenshot({ path: `${SHOTS}/${size}-shell-paused.png` });
    await page.getByLabel('Speed').selectOption('1');
    await page.getByRole('button', { name: 'Run' }).click();
    const term = page.getByTestId('terminal-h0');
    await expect(term).toContainText('2 packets transmitted, 2 received', { timeout: 20_000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    await expectFits(page, `${size} shell`);

    // Statistics: the counters table shows its Δ and rate columns whole; CPU never over 100 %.
    await page.getByRole('tab', { name: 'Statistics' }).click();
    await page.getByLabel('Counters of').selectOption('h1:eth0');
    await page.getByLabel('Speed').selectOption('max');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.waitForTimeout(1500);
    const counters = page.getByTestId('counters');
    const rate = counters.locator('th').filter({ hasText: 'rate' });
    const box = await counters.boundingBox();
    const rateBox = await rate.boundingBox();
    expect(rateBox!.x + rateBox!.width).toBeLessThanOrEqual(box!.x + box!.width + 1);
    expect(rateBox!.x + rateBox!.width).toBeLessThanOrEqual(width);
    for (const busy of await page
      .getByTestId('cpu')
      .locator('tbody td:nth-child(2)')
      .allTextContents())
      if (busy.trim() !== '—') expect(parseFloat(busy)).toBeLessThanOrEqual(100);
    await page.screenshot({ path: `${SHOTS}/${size}-statistics.png` });
    await page.getByRole('button', { name: 'Pause' }).click();
    await expectFits(page, `${size} statistics`);

    for (const tab of ['Interface', 'Generators', 'sk_buff', 'Exercise']) {
      await page.getByRole('tab', { name: tab }).click();
      await expectFits(page, `${size} ${tab}`);
      await page.screenshot({ path: `${SHOTS}/${size}-${tab.toLowerCase()}.png` });
    }
    expect(errors).toEqual([]);
  });
}
