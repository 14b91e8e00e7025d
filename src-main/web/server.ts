// The web host: the built renderer (out/renderer) over HTTP and the API over a WebSocket, on
// 127.0.0.1 only. The same UI then runs in any browser, and Playwright can test it where Electron
// cannot start.
//
// The page is public (it is the app's own static code); the API is not. A WebSocket must carry
// the random token printed with the URL, and come from a page of this server (its Origin), so
// another site open in the same browser cannot drive the lab (cross-site WebSocket hijacking).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiServer } from '../engine/api-server';
import { MAX_IMPORT_BYTES } from '../ipc/ops';

/** The path the renderer opens its WebSocket on. */
export const API_PATH = '/api';

/** Largest request accepted on the socket: a capture to import, as base64 (see ops.ts). */
const MAX_MESSAGE_BYTES = Math.ceil(MAX_IMPORT_BYTES / 3) * 4 + 64 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface WebHostOptions {
  api: ApiServer;
  /** The built renderer: out/renderer. */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default: 24 random bytes, base64url. */
  token?: string;
}

export interface WebHost {
  /** The URL to open, token included. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const root = normalize(options.rendererDir);

  const http = createServer((req, res) => {
    serveStatic(root, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end('internal error');
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  http.on('upgrade', (req, socket, head) => {
    const refusal = checkUpgrade(req, token, address().port);
    if (refusal !== null) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let request: unknown;
      try {
        request = JSON.parse(data.toString());
      } catch {
        request = undefined; // answered below as a request without an id
      }
      void options.api.handle(request).then((reply) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
      });
    });
  });

  const unsubscribe = options.api.onEvent((event, data) => {
    const text = JSON.stringify({ event, data });
    for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = () => http.address() as AddressInfo;
  const port = address().port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Null if the upgrade may proceed, else the status line to refuse it with. */
function checkUpgrade(req: IncomingMessage, token: string, port: number): string | null {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== API_PATH) return '404 Not Found';
  if (!sameToken(url.searchParams.get('token') ?? '', token)) return '401 Unauthorized';
  // Browsers always send Origin on WebSocket handshakes; only this server's pages may connect.
  const origin = req.headers.origin;
  if (
    origin !== undefined &&
    origin !== `http://127.0.0.1:${port}` &&
    origin !== `http://localhost:${port}`
  )
    return '403 Forbidden';
  return null;
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
  // No path may climb out of the renderer's directory.
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end();
    return;
  }
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    // The page may not be framed by another site.
    'X-Frame-Options': 'DENY',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
