// Unit tests: `npm test`. They sit next to the code they test, as *.test.ts.
// Playwright's specs in e2e/ are not unit tests: `npm run e2e` runs them.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-renderer/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**', 'out/**'],
    environment: 'node',
  },
});
