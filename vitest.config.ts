// Unit tests: `npm test`. They sit next to the code they test, as *.test.ts.
// Playwright's specs in e2e/ are not unit tests: `npm run e2e` runs them.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-renderer/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**', 'out/**'],
    environment: 'node',
    // Some tests spawn the CLI, tshark or a worker, or fill a million-frame store: seconds each
    // on a loaded 2-core machine. A timeout is a hang detector here, not a speed target.
    testTimeout: 30_000,
  },
});
