// Labs of several segments as a student sees them: the segments drawn as lanes (a hub, cables),
// each host's cards cabled to the segment they name, a switch's bridge and a router.
import { expect, test, openBuiltin } from './support/lab-test';

const SHOTS = 'test-results/multi-segment';
const SIZES = [
  [1024, 700],
  [1366, 768],
  [1920, 1080],
] as const;

for (const id of ['router-ttl', 'hub-vs-switch-flood', 'igmp-snooping-querier']) {
  test(`${id} drawn at three sizes`, async ({ page, web, errors }) => {
    test.setTimeout(90_000);
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      if (width === SIZES[0][0]) await openBuiltin(page, web, id);
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${SHOTS}/${id}-${width}x${height}.png` });
    }
    expect(errors).toEqual([]);
  });
}
