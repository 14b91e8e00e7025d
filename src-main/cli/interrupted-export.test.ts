import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChunkSink } from '../lab/capture/format';
import { runCommand } from './run';

/**
 * Nothing lost (issue 10): an export that dies midway — the disk fills, the
 * writer throws — leaves no half file under the final name, and an older
 * file of that name whole. The capture writers are wrapped so their sink
 * throws after `failAfter.bytes`, as a full disk would.
 */
const failAfter = vi.hoisted(() => ({ bytes: Infinity }));

vi.mock('../lab/capture/export', async (importOriginal) => {
  const real = await importOriginal<typeof import('../lab/capture/export')>();
  const failing = (sink: ChunkSink): ChunkSink => {
    let written = 0;
    return (chunk) => {
      if (written + chunk.length > failAfter.bytes) {
        sink(chunk.subarray(0, failAfter.bytes - written)); // part of it reached the file
        throw new Error('ENOSPC: no space left on device, write (simulated)');
      }
      written += chunk.length;
      sink(chunk);
    };
  };
  return {
    ...real,
    exportPcap: (...[capture, sink, options]: Parameters<typeof real.exportPcap>) =>
      real.exportPcap(capture, failing(sink), options),
    exportPcapng: (...[capture, sink]: Parameters<typeof real.exportPcapng>) =>
      real.exportPcapng(capture, failing(sink)),
  };
});

const LAB = resolve(import.meta.dirname, '../../resources/labs/hash-collisions.yaml');

describe('an export interrupted midway', () => {
  beforeEach(() => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    failAfter.bytes = Infinity;
  });

  it('pcapng: the old file under the name stays whole, and no temporary file is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-interrupted-'));
    const path = join(dir, 'all.pcapng');
    writeFileSync(path, 'the previous export');
    failAfter.bytes = 100;
    await expect(runCommand(LAB, { for: '20ms', pcapng: path })).rejects.toThrow(/ENOSPC/);
    expect(readFileSync(path, 'utf8')).toBe('the previous export');
    expect(readdirSync(dir)).toEqual(['all.pcapng']);
  });

  it('pcap per capture point: no file appears under a final name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-interrupted-'));
    const out = join(dir, 'pcaps');
    failAfter.bytes = 30; // past the 24-byte file header, inside the first record
    await expect(runCommand(LAB, { for: '20ms', pcap: out })).rejects.toThrow(/ENOSPC/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('the same runs, not interrupted, write every file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-interrupted-'));
    await runCommand(LAB, {
      for: '20ms',
      pcap: join(dir, 'pcaps'),
      pcapng: join(dir, 'all.pcapng'),
      json: join(dir, 'run.json'),
    });
    expect(readdirSync(join(dir, 'pcaps')).sort()).toEqual(['h1-eth0.pcap', 'segment.pcap']);
    expect(readFileSync(join(dir, 'all.pcapng')).readUInt32LE(0)).toBe(0x0a0d0d0a);
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).simTimeNs).toBe(20e6);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
