import variant from '@jitl/quickjs-singlefile-cjs-release-sync';
import { newQuickJSWASMModuleFromVariant, type QuickJSWASMModule } from 'quickjs-emscripten-core';

/**
 * QuickJS compiled to WebAssembly, the interpreter student drivers run in.
 * The single-file build carries its wasm inside the JavaScript, so loading it
 * needs no file system: the same code runs in the engine's worker, in
 * `netlab run` and in tests. Compiling the module is asynchronous, so whoever
 * builds a lab with a student driver awaits `loadQuickJS()` first; building is
 * synchronous afterwards.
 */
let loaded: QuickJSWASMModule | null = null;
let loading: Promise<QuickJSWASMModule> | null = null;

export function loadQuickJS(): Promise<QuickJSWASMModule> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= newQuickJSWASMModuleFromVariant(variant).then((m) => (loaded = m));
  return loading;
}

/** The loaded module; a clear error if no one awaited `loadQuickJS()` first. */
export function quickJS(): QuickJSWASMModule {
  if (!loaded)
    throw new Error(
      'the driver sandbox is not loaded: await loadQuickJS() before building the lab',
    );
  return loaded;
}
