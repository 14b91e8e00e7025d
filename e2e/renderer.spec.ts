// The built renderer (out/renderer) opened in a plain browser: Debian's Chromium, without
// Electron. Run `npx electron-vite build` first (`npm run e2e` does).
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { expect, test } from '@playwright/test';
import { collectErrors } from './support/web-host';

const rendererDir = join(import.meta.dirname, '..', 'out', 'renderer');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves out/renderer on 127.0.0.1 at a free port. */
async function serveRenderer(): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const urlPath = new URL(request.url ?? '/', 'http://localhost').pathname;
    const relative = normalize(urlPath === '/' ? '/index.html' : urlPath);
    readFile(join(rendererDir, relative))
      .then((body) => {
        const type = contentTypes[extname(relative)] ?? 'application/octet-stream';
        response.writeHead(200, { 'Content-Type': type }).end(body);
      })
      .catch(() => response.writeHead(404).end('not found'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

let server: Server;
let url: string;

test.beforeAll(async () => {
  ({ server, url } = await serveRenderer());
});

test.afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

test('the renderer shows the netlab page in a plain browser', async ({ page }) => {
  // Any script error or Content-Security-Policy violation shows up as a console error.
  const errors = collectErrors(page);
  await page.goto(url);

  await expect(page).toHaveTitle('netlab');
  // Served without the web host's API and token, the page says what to open instead.
  await expect(page.getByRole('heading', { name: 'netlab needs its token link' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('no API token in the address');
  await page.screenshot({ path: 'test-results/renderer.png' });
  expect(errors).toEqual([]);
});
