import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

let tmpFiles = 0;

/**
 * A file written in chunks under a temporary name and renamed into place only
 * when complete: an interrupted export or save never leaves a half file under
 * the final name, and the old file stays whole until the new one replaces it.
 */
export class AtomicFile {
  private readonly tmp: string;
  private fd: number | null;
  bytes = 0;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    // Unique within the process too: two exports to one name may be under way at once.
    this.tmp = `${path}.${process.pid}.${++tmpFiles}.tmp`;
    this.fd = openSync(this.tmp, 'w');
  }

  /** Appends a chunk (the capture writers call this for each block). */
  readonly write = (chunk: Uint8Array): void => {
    if (this.fd === null) throw new Error(`${this.path}: write after close`);
    let off = 0;
    while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off);
    this.bytes += chunk.length;
  };

  /** Finishes the file: it appears under its name only now. */
  commit(): void {
    if (this.fd === null) return;
    // On disk before the rename: after a power cut the name holds the old file or the new
    // one, never an empty or partial one (delayed allocation may otherwise write the rename first).
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
    renameSync(this.tmp, this.path);
  }

  /** Gives up: the temporary file goes, the final name is untouched. */
  abort(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.tmp, { force: true });
  }
}

/**
 * Writes a file atomically through `write`, which gets the chunk sink; if `write` throws, the
 * temporary file goes and the error passes on. Returns what `write` returned.
 */
export function writeAtomically<T>(
  path: string,
  write: (sink: (chunk: Uint8Array) => void) => T,
): T {
  const f = new AtomicFile(path);
  try {
    const result = write(f.write);
    f.commit();
    return result;
  } catch (e) {
    f.abort();
    throw e;
  }
}

/** Writes a whole text file atomically. */
export function writeFileAtomic(path: string, text: string): void {
  writeAtomically(path, (sink) => sink(new TextEncoder().encode(text)));
}
