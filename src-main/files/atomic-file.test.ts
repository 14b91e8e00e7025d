import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
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

describe('AtomicFile replacing a file the user set up', () => {
  it("keeps the file's mode: a 0600 lab stays 0600, a 0640 one 0640", () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-atomic-'));
    for (const mode of [0o600, 0o640]) {
      const path = join(dir, `lab-${mode.toString(8)}.yaml`);
      writeFileSync(path, 'old');
      chmodSync(path, mode);
      writeFileAtomic(path, 'new');
      expect(readFileSync(path, 'utf8')).toBe('new');
      expect(statSync(path).mode & 0o777).toBe(mode);
    }
  });

  it('writes through a symbolic link: the link stays, the file it names is replaced', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-atomic-'));
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'lab.yaml'), 'old');
    symlinkSync('real/lab.yaml', join(dir, 'lab.yaml'));
    writeFileAtomic(join(dir, 'lab.yaml'), 'new');
    expect(lstatSync(join(dir, 'lab.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real', 'lab.yaml'), 'utf8')).toBe('new');
    expect(readdirSync(join(dir, 'real'))).toEqual(['lab.yaml']);
    // A dangling link: the file it names is created.
    symlinkSync('real/other.yaml', join(dir, 'other.yaml'));
    writeFileAtomic(join(dir, 'other.yaml'), 'made');
    expect(readFileSync(join(dir, 'real', 'other.yaml'), 'utf8')).toBe('made');
  });

  it('removes temporaries a killed process left, and only those', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-atomic-'));
    const path = join(dir, 'lab.yaml');
    // A process that has exited: its pid is free (for the moment this test runs).
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout;
    writeFileSync(`${path}.${dead}.1.tmp`, 'half a lab');
    writeFileSync(`${path}.${process.ppid}.1.tmp`, 'a live writer'); // the parent is alive
    writeFileSync(join(dir, 'notes.txt.1.1.tmp'), 'another file');
    writeFileAtomic(path, 'saved');
    expect(readdirSync(dir).sort()).toEqual(
      ['lab.yaml', `lab.yaml.${process.ppid}.1.tmp`, 'notes.txt.1.1.tmp'].sort(),
    );
  });
});
