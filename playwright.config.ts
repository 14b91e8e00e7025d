// End-to-end specs: `npm run e2e` builds the app, then runs every spec in e2e/.
// Browsers are not downloaded: the specs use Debian's /usr/bin/chromium. The web specs take their
// web host, page and error log from e2e/support/lab-test.ts.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './e2e/support/chromium';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  forbidOnly: !!process.env['CI'],
  workers: 1,
  reporter: 'list',
  use: {
    browserName: 'chromium',
    launchOptions: CHROMIUM_LAUNCH,
    viewport: { width: 1280, height: 800 },
  },
});
