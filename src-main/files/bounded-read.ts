import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** A file that is not read: too big, a directory, missing or unreadable. The message says which. */
export class FileReadError extends Error {
  constructor(
    message: string,
    /** The file system's code (ENOENT…), or TOO_BIG / EISDIR. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'FileReadError';
  }
}

const mib = (n: number) =>
  n >= 2 ** 20
    ? `${+(n / 2 ** 20).toFixed(1)} MiB`
    : n >= 1024
      ? `${+(n / 1024).toFixed(1)} KiB`
      : `${n} bytes`;

/**
 * Reads at most `max` bytes of `path`, refusing a bigger file before reading it: its size is
 * looked at first (fstat), and the read stops one byte past `max` whatever the size said (a
 * device such as /dev/zero, a pipe, a file still growing). `what` names the file in messages
 * ("lab file", "capture"); `shown` is how the path is shown (default: as given).
 */
export function readFileBounded(
  path: string,
  max: number,
  what: string,
  shown: string = path,
): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw fsError(e, shown);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory())
      throw new FileReadError(`${shown}: is a directory, not a ${what}`, 'EISDIR');
    const tooBig = () =>
      new FileReadError(
        `${shown}: ${st.isFile() ? `is ${mib(st.size)}` : 'is longer than that'}: over the limit of ${mib(max)} for a ${what}`,
        'TOO_BIG',
      );
    if (st.isFile() && st.size > max) throw tooBig();
    // The size of a regular file is known; anything else is read in pieces up to the limit.
    const buf = Buffer.allocUnsafe(Math.min(max + 1, st.isFile() ? st.size + 1 : 64 * 1024));
    let chunks: Buffer[] = [];
    let total = 0;
    let into = buf;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, into, 0, into.length, null);
      } catch (e) {
        throw fsError(e, shown);
      }
      if (n === 0) break;
      total += n;
      if (total > max) throw tooBig();
      chunks.push(Buffer.from(into.subarray(0, n)));
      if (chunks.length > 64) chunks = [Buffer.concat(chunks)];
      into = Buffer.allocUnsafe(Math.min(64 * 1024, max + 1 - total));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

function fsError(e: unknown, shown: string): FileReadError {
  const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : code;
  return new FileReadError(`${shown}: ${why}`, code);
}
