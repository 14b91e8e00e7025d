import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFile, writeAtomically, writeFileAtomic } from './atomic-file';

describe('AtomicFile', () => {
  it('appears under its name only when committed; an abort leaves the old file whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-atomic-'));
    const path = join(dir, 'lab.yaml');
    writeFileSync(path, 'old contents');
    const f = new AtomicFile(path);
    f.write(Uint8Array.of(65, 66));
    expect(readFileSync(path, 'utf8')).toBe('old contents');
    f.abort();
    expect(readFileSync(path, 'utf8')).toBe('old contents');
    expect(readdirSync(dir)).toEqual(['lab.yaml']);
    writeFileAtomic(path, 'new contents');
    expect(readFileSync(path, 'utf8')).toBe('new contents');
    const g = new AtomicFile(join(dir, 'sub', 'x.pcap'));
    g.write(new Uint8Array(10));
    expect(existsSync(join(dir, 'sub', 'x.pcap'))).toBe(false);
    g.commit();
    expect(readFileSync(join(dir, 'sub', 'x.pcap')).length).toBe(10);
  });

  it('writeAtomically: a writer that throws midway leaves the old file and no temporary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-atomic-'));
    const path = join(dir, 'c.pcap');
    writeFileSync(path, 'old capture');
    expect(() =>
      writeAtomically(path, (sink) => {
        sink(new Uint8Array(100));
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(readFileSync(path, 'utf8')).toBe('old capture');
    expect(readdirSync(dir)).toEqual(['c.pcap']);
    expect(writeAtomically(path, (sink) => (sink(new Uint8Array(3)), 'done'))).toBe('done');
    expect(readFileSync(path).length).toBe(3);
  });
});
