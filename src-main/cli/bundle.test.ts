import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module (it runs before anything is compiled), no types
import { buildBundle, bundleIsFresh } from '../../bin/cli-bundle.mjs';

const ROOT = resolve(import.meta.dirname, '../..');

describe("the netlab command's bundle", { timeout: 60_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'netlab-bundle-'));

  it('is fresh after a build and stale once a source it was made from changes', async () => {
    expect(bundleIsFresh(out)).toBe(false);
    await buildBundle(out);
    expect(bundleIsFresh(out)).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.inputs)).toContain('src-main/cli/collect.ts');
    // A source saved again (its mtime moves) without a rebuild: the bundle is stale.
    const source = join(ROOT, 'src-main/cli/collect.ts');
    const { atime, mtime } = statSync(source);
    utimesSync(source, atime, new Date(mtime.getTime() + 1000));
    try {
      expect(bundleIsFresh(out)).toBe(false);
    } finally {
      // utimes takes seconds as a double, which can land a hair below the millisecond it was
      // given (…123 ms read back as …122.9999): aim at the middle of the millisecond instead.
      utimesSync(source, atime, (mtime.getTime() + 0.5) / 1000);
    }
    // Set back, the source stamps as the manifest says again. (The whole bundle is not asked:
    // tests running beside this one in a full run may touch other inputs meanwhile.)
    const back = statSync(source);
    expect([Math.floor(back.mtimeMs), back.size]).toEqual(
      manifest.inputs['src-main/cli/collect.ts'],
    );
  });

  it('runs as the command with no TypeScript loader: --help, and validate a lab file', () => {
    const help = spawnSync(process.execPath, [join(out, 'main.mjs'), '--help'], {
      encoding: 'utf8',
    });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: netlab/);
    const lab = join(ROOT, 'resources/labs/irq-clash.yaml');
    const v = spawnSync(process.execPath, [join(out, 'main.mjs'), 'validate', lab], {
      encoding: 'utf8',
    });
    expect(v.stdout).toBe(`${lab}: ok (2 hosts)\n`);
    expect(v.status).toBe(0);
  });
});
