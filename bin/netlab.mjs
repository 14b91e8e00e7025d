#!/usr/bin/env node
// The `netlab` command. It runs the compiled bundle of src-main/cli (out-cli/, built by
// `npm ci`'s prepare step; see cli-bundle.mjs), rebuilt first, silently, when a source it was
// made from has changed, so the command is always the code in src-main with no TypeScript
// compiled at start. Where the bundle cannot be built (esbuild missing, a source that does not
// parse) it says so and runs the sources through tsx's loader, as it did before the bundle;
// NETLAB_TSX=1 asks for that path.
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { buildBundle, bundleIsFresh, ENTRY } from './cli-bundle.mjs';

async function compiled() {
  if (process.env.NETLAB_TSX === '1') return false;
  if (bundleIsFresh()) return true;
  try {
    await buildBundle();
    return true;
  } catch (e) {
    process.stderr.write(
      `netlab: could not build the command (${e instanceof Error ? e.message : e}); ` +
        'running the TypeScript sources through tsx instead\n',
    );
    return false;
  }
}

if (await compiled()) {
  await import(pathToFileURL(ENTRY).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src-main/cli/main.ts');
}
