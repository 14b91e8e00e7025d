// Build configuration for the three Electron bundles. `electron-vite build` writes them to out/:
//   out/main/index.js      the main process     (src-main/app/main.ts)
//   out/main/worker.js     the engine's worker thread (src-main/engine/worker.ts)
//   out/preload/index.cjs  the preload script   (src-main/app/preload.ts)
//   out/renderer/          the Vue user interface (src-renderer/index.html)
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  main: {
    build: {
      lib: {
        entry: {
          index: resolve(__dirname, 'src-main/app/main.ts'),
          // A separate bundle: the main process starts it with `new Worker` (server/worker-url.ts).
          worker: resolve(__dirname, 'src-main/engine/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot be an ES module, so this one bundle is CommonJS.
      lib: { entry: { index: resolve(__dirname, 'src-main/app/preload.ts') }, formats: ['cjs'] },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    build: {
      rollupOptions: { input: resolve(__dirname, 'src-renderer/index.html') },
    },
    plugins: [vue()],
  },
});
