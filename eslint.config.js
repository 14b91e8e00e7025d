// ESLint flat config. `npm run lint` runs ESLint, then Prettier for formatting.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

// The lab core (src-main/lab) is plain TypeScript that must also run in a browser or a worker,
// so it may not import Electron, Vue or any Node built-in module.
const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'worker_threads',
  'crypto',
  'events',
  'child_process',
  'net',
  'dgram',
  'util',
  'buffer',
  'perf_hooks',
];
const portableCoreMessage =
  'src-main/lab must stay portable: no Electron, Vue or Node APIs (see ../shared/DESIGN.md).';

export default defineConfig([
  globalIgnores([
    'out/',
    'out-cli/',
    'node_modules/',
    'dist/',
    'test-results/',
    'playwright-report/',
  ]),

  js.configs.recommended,
  tseslint.configs.recommended,
  vue.configs['flat/recommended'],

  {
    // <script lang="ts"> in .vue files is parsed by typescript-eslint.
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
    // TypeScript (vue-tsc) already reports undefined names, and knows the browser globals.
    rules: { 'no-undef': 'off' },
  },

  {
    files: ['src-main/lab/**'],
    // Tests run under Node and may use it (temp files, tshark); the code they test may not.
    ignores: ['src-main/lab/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, 'electron', 'vue'].map((name) => ({
            name,
            message: portableCoreMessage,
          })),
          patterns: [
            {
              group: ['node:*', 'electron/*', ...nodeBuiltins.map((name) => `${name}/*`)],
              message: portableCoreMessage,
            },
          ],
        },
      ],
    },
  },

  // The one-way layers of CONTRIBUTING.md beyond the lab core: a layer never imports a layer
  // that sits above it (the worker never reaches the main process, nothing reaches the CLI).
  ...[
    ['src-main/files/**', ['lab', 'net', 'ipc', 'engine', 'server', 'cli', 'app', 'web']],
    ['src-main/net/**', ['engine', 'server', 'cli', 'app', 'web']],
    ['src-main/ipc/**', ['engine', 'server', 'cli', 'app', 'web']],
    ['src-main/engine/**', ['server', 'cli', 'app', 'web']],
    ['src-main/server/**', ['cli', 'app', 'web']],
    ['src-main/cli/**', ['server', 'app', 'web']],
  ].map(([files, above]) => ({
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: above.map((layer) => ({
            group: [`**/${layer}/*`, `../${layer}`],
            message: `${files.split('/')[1]}/ sits below ${layer}/ (CONTRIBUTING.md, "The layers").`,
          })),
        },
      ],
    },
  })),

  // Last: turn off every rule that Prettier's formatting would contradict.
  prettier,
]);
