// The test helpers stay out of the product: no product file imports this folder.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../../..');

function productFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : productFiles(path);
    return /\.(ts|vue)$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

describe('capture/testing', () => {
  it('is imported by tests and benches only', () => {
    const here = join(ROOT, 'lab/capture/testing');
    const importers = productFiles(ROOT)
      .filter((f) => !f.startsWith(here))
      .filter(
        (f) =>
          /from '[^']*capture\/testing\//.test(readFileSync(f, 'utf8')) ||
          (/from '\.\.?\/testing\//.test(readFileSync(f, 'utf8')) && f.includes('/lab/capture/')),
      )
      .map((f) => relative(ROOT, f));
    expect(importers).toEqual([]);
  });
});
