// A file the user picked, checked against the API's limit before it is read or sent: a 40 MB
// capture or a 50 MB "lab file" is refused at once, saying the limit, instead of being sent whole.
import { MAX_IMPORT_BYTES, MAX_LAB_TEXT } from '../../../src-main/ipc/limits';

const mib = (n: number) => `${+(n / 2 ** 20).toFixed(1)} MiB`;

/** The refusal for `file` over `max` bytes, or '' when it is within it. */
export function overLimit(file: { name: string; size: number }, max: number, what: string): string {
  if (file.size <= max) return '';
  return `${file.name} is ${mib(file.size)}: a ${what} opened here can be at most ${mib(max)}`;
}

export const captureTooBig = (file: { name: string; size: number }) =>
  overLimit(file, MAX_IMPORT_BYTES, 'capture') +
  (file.size > MAX_IMPORT_BYTES ? ' (cut it with editcap, or open it in Wireshark)' : '');

export const labTooBig = (file: { name: string; size: number }) =>
  overLimit(file, MAX_LAB_TEXT, 'lab file');
