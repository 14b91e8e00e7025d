// The web host: the built renderer (out/renderer) over HTTP and the API over a WebSocket, on
// 127.0.0.1 only. The same UI then runs in any browser, and Playwright can test it where Electron
// cannot start.
//
// The page is public (it is the app's own static code); the API is not. A WebSocket must carry
// the random token printed with the URL, and come from a page of this server (its Origin), so
// another site open in the same browser cannot drive the lab (cross-site WebSocket hijacking).
//
// Nothing a client sends can take the host down: every socket has an error listener (a reset, a
// malformed frame closes that connection only), each connection has bounded buffers
// (connection.ts), and there are at most MAX_CLIENTS connections, further ones refused saying so.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import type { ApiServer } from '../server/api-server';
import { MAX_IMPORT_BYTES } from '../ipc/ops';
import { ApiSocket, Connection } from './connection';

/** The path the renderer opens its WebSocket on. */
export const API_PATH = '/api';

/** Largest request accepted on the socket: a capture to import, as base64 (see ops.ts). */
export const MAX_MESSAGE_BYTES = Math.ceil(MAX_IMPORT_BYTES / 3) * 4 + 64 * 1024;

/** WebSocket connections at once (a browser tab each); more are refused with 503. */
export const MAX_CLIENTS = 16;
/** TCP connections at once (page loads and sockets); Node closes further ones at once. */
const MAX_SOCKETS = 256;
/** How often each connection's buffers are looked at (connection.ts). */
const TICK_MS = 250;

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
  /** What happened to a client (dropped, a protocol error): `npm run web` prints it. */
  onNotice?: (text: string) => void;
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

  const notice = options.onNotice ?? (() => {});
  const http = createServer((req, res) => {
    serveStatic(root, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end('internal error');
    });
  });
  http.maxConnections = MAX_SOCKETS;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    WebSocket: ApiSocket,
  });
  const connections = new Set<Connection>();
  let nextClient = 1;

  http.on('upgrade', (req, socket, head) => {
    // Node takes its own error listener off an upgraded socket: a reset now (a refused client
    // going away, a browser tab closing) would be an unhandled error without this one.
    socket.on('error', () => socket.destroy());
    const refusal = checkUpgrade(req, token, address().port, connections.size);
    if (refusal !== null) {
      const body = `netlab web: ${refusal.why}\n`;
      socket.end(
        `HTTP/1.1 ${refusal.status}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: ApiSocket) => {
    ws.maxPayload = MAX_MESSAGE_BYTES;
    const c = new Connection(
      ws,
      { handle: (request) => options.api.handle(request), notice },
      `client ${nextClient++}`,
    );
    connections.add(c);
    ws.on('close', () => connections.delete(c));
  });

  const unsubscribe = options.api.onEvent((event, data) => {
    if (connections.size === 0) return;
    const text = JSON.stringify({ event, data });
    for (const c of connections) c.event(text);
  });
  const ticker = setInterval(() => {
    const now = performance.now();
    for (const c of connections) c.tick(now);
  }, TICK_MS);
  ticker.unref();

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
      clearInterval(ticker);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Null if the upgrade may proceed, else the status to refuse it with and why. */
function checkUpgrade(
  req: IncomingMessage,
  token: string,
  port: number,
  clients: number,
): { status: string; why: string } | null {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== API_PATH) return { status: '404 Not Found', why: 'no such path' };
  if (!sameToken(url.searchParams.get('token') ?? '', token))
    return { status: '401 Unauthorized', why: 'a wrong or missing token' };
  // Browsers always send Origin on WebSocket handshakes; only this server's pages may connect.
  const origin = req.headers.origin;
  if (
    origin !== undefined &&
    origin !== `http://127.0.0.1:${port}` &&
    origin !== `http://localhost:${port}`
  )
    return { status: '403 Forbidden', why: 'another site may not use this API' };
  if (clients >= MAX_CLIENTS)
    return {
      status: '503 Service Unavailable',
      why: `too many connections (at most ${MAX_CLIENTS}); close another tab of the lab`,
    };
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
