// End-to-end specs: `npm run e2e` builds the app, then runs every spec in e2e/.
// Browsers are not downloaded: the specs use Debian's /usr/bin/chromium (see e2e/renderer.spec.ts).
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  forbidOnly: !!process.env['CI'],
  workers: 1,
  reporter: 'list',
});
