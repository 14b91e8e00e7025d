import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
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
    const { atime, mtimeMs } = statSync(source);
    utimesSync(source, atime, (mtimeMs + 1000) / 1000);
    try {
      expect(bundleIsFresh(out)).toBe(false);
    } finally {
      // Set back to the millisecond the bundle stamps (it floors mtimeMs). Not through
      // `stat.mtime`: Node rounds that Date to the nearest millisecond, a millisecond late
      // for any file saved in the second half of one. And aimed at the middle of the
      // millisecond, since utimes takes seconds as a double, which can land a hair below.
      utimesSync(source, atime, (Math.floor(mtimeMs) + 0.5) / 1000);
    }
    // Set back, the source stamps as the manifest says, and the bundle is fresh again.
    const back = statSync(source);
    expect([Math.floor(back.mtimeMs), back.size]).toEqual(
      manifest.inputs['src-main/cli/collect.ts'],
    );
    expect(bundleIsFresh(out)).toBe(true);
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

  it("runs `grade`'s worker threads from the bundle, printing as in one thread", () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-bundle-grade-'));
    writeFileSync(join(dir, 'a.attempt.yaml'), 'netlabAttempt: 7\n');
    writeFileSync(join(dir, 'b.attempt.yaml'), 'netlabAttempt: 1\n');
    const grade = (jobs: string) => {
      const r = spawnSync(process.execPath, [join(out, 'main.mjs'), 'grade', dir, '--jobs', jobs], {
        encoding: 'utf8',
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const pool = grade('2');
    expect(pool.out).toMatch(/^a\.attempt\.yaml {2}not graded: .*netlabAttempt: expected/);
    expect(pool.out).toMatch(/^b\.attempt\.yaml {2}not graded: .*student: /m);
    expect(pool.out).not.toContain('thread died');
    expect(pool.code).toBe(2);
    expect(grade('1')).toEqual(pool);
  });
});
