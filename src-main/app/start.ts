// `npm start` and `npm run dev`: fetch Electron's binary if it is missing, then run the app
// through electron-vite. Offline (or behind a proxy that blocks the download) the binary cannot
// be had: say so in a sentence with the way out (the same window in a browser), not a stack.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** What to print when Electron's binary could not be downloaded (`detail`: the installer's words). */
export function downloadFailedMessage(detail: string): string {
  const why = detail
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|HTTPError|\d{3}/.test(l));
  return [
    `netlab: Electron's binary could not be downloaded${why ? ` (${why})` : ''}.`,
    'Without it the desktop window cannot start; the same window runs in a browser instead:',
    '  npm run build && npm run web     # then open the http://127.0.0.1:PORT/?token=… it prints',
    'Once online, `npm start` downloads Electron (once) and opens the desktop window.',
  ].join('\n');
}

function main(mode: 'preview' | 'dev'): number {
  const require = createRequire(import.meta.url);
  const installer = join(dirname(require.resolve('electron/package.json')), 'install.js');
  const install = spawnSync(process.execPath, [installer], { encoding: 'utf8' });
  if (install.status !== 0) {
    process.stderr.write(`${downloadFailedMessage(`${install.stderr}\n${install.stdout}`)}\n`);
    return 1;
  }
  const bin = join(
    dirname(require.resolve('electron-vite/package.json')),
    'bin',
    'electron-vite.js',
  );
  return spawnSync(process.execPath, [bin, mode], { stdio: 'inherit' }).status ?? 1;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!))
  process.exit(main(process.argv[2] === 'dev' ? 'dev' : 'preview'));
