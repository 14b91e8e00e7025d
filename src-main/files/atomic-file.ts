import {
  closeSync,
  fchmodSync,
  fchownSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

let tmpFiles = 0;

/**
 * A file written in chunks under a temporary name and renamed into place only
 * when complete: an interrupted export or save never leaves a half file under
 * the final name, and the old file stays whole until the new one replaces it.
 *
 * Replacing a file keeps what the user set on it: a symbolic link stays a link
 * (the file it points to is replaced), and the new file gets the old one's mode
 * (a 0600 lab file stays 0600) and, where allowed, its owner. Temporaries that a
 * killed process left beside the file are removed.
 */
export class AtomicFile {
  private readonly tmp: string;
  /** The file really written: `path`, or the file its symbolic link points to. */
  private readonly target: string;
  private fd: number | null;
  /** The replaced file's permission bits, put on the new one as it is committed. */
  private readonly mode: number | null;
  bytes = 0;

  constructor(readonly path: string) {
    this.target = throughLinks(path);
    const dir = dirname(this.target);
    mkdirSync(dir, { recursive: true });
    removeStaleTemporaries(this.target);
    // Unique within the process too: two exports to one name may be under way at once.
    this.tmp = `${this.target}.${process.pid}.${++tmpFiles}.tmp`;
    const old = statOrNull(this.target);
    // Readable by nobody else while written; the old file's mode is put on it before the rename.
    this.fd = openSync(this.tmp, 'w', old ? 0o600 : 0o666);
    this.mode = old ? old.mode & 0o7777 : null;
    if (old) {
      try {
        fchownSync(this.fd, old.uid, old.gid);
      } catch {
        // Only root may give a file away: an ordinary user's copy stays theirs.
      }
    }
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
    if (this.mode !== null) fchmodSync(this.fd, this.mode);
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
    renameSync(this.tmp, this.target);
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

/** The file `path` names, following symbolic links (a dangling one too: its target is created). */
function throughLinks(path: string): string {
  let p = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch {
      return p;
    }
    if (!st.isSymbolicLink()) return p;
    p = resolve(dirname(p), readlinkSync(p));
  }
  return p; // a loop: opening it fails with ELOOP, as any program's would
}

function statOrNull(path: string): Stats | null {
  try {
    const st = statSync(path);
    return st.isFile() ? st : null;
  } catch {
    return null;
  }
}

/** Removes `FILE.PID.N.tmp` beside `path` whose process is gone (killed while writing). */
function removeStaleTemporaries(path: string): void {
  const name = basename(path);
  let entries: string[];
  try {
    entries = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const e of entries) {
    if (!e.startsWith(`${name}.`) || !e.endsWith('.tmp')) continue;
    const m = /^\.(\d+)\.\d+\.tmp$/.exec(e.slice(name.length));
    if (!m || processAlive(Number(m[1]))) continue;
    rmSync(join(dirname(path), e), { force: true });
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
