// Where the engine's worker script is. The built app bundles it as out/main/worker.js, next to
// the main process's index.js (see electron.vite.config.ts). Run from source (tests, the web
// host, benchmarks, all under tsx), this module is itself a .ts file, and the worker starts
// through dev-worker.mjs, which registers tsx's loader in the new thread first.
export function defaultWorkerUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('./dev-worker.mjs', here);
  return new URL('./worker.js', here);
}
