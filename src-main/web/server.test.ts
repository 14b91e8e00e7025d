import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ApiServer } from '../server/api-server';
import { BuiltinLabs } from '../server/builtin-labs';
import { EngineClient } from '../server/client';
import { RecentFiles } from '../server/recent-files';
import { API_PATH, startWebHost, type WebHost } from './server';

let dir: string;
let engine: EngineClient;
let host: WebHost;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netlab-web-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>netlab</title>');
  writeFileSync(join(tmpdir(), 'netlab-secret.txt'), 'secret');
  engine = new EngineClient();
  const api = new ApiServer({
    host: 'web',
    version: 'test',
    engine,
    builtins: new BuiltinLabs(join(import.meta.dirname, '..', '..', 'resources', 'labs')),
    recent: new RecentFiles(null),
  });
  host = await startWebHost({ api, rendererDir: dir });
});

afterAll(async () => {
  await host?.close();
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(tmpdir(), 'netlab-secret.txt'), { force: true });
});

function get(
  path: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    // A raw path, so `..` reaches the server as sent.
    const req = request({ host: '127.0.0.1', port: host.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket; resolves with it once open, or with the HTTP status that refused it. */
function connect(query: string, origin?: string): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(
      `ws://127.0.0.1:${host.port}${API_PATH}${query}`,
      origin ? { origin } : {},
    );
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

function next(ws: WebSocket, test: (m: Record<string, unknown>) => boolean = () => true) {
  return new Promise<Record<string, unknown>>((resolve) => {
    const on = (data: Buffer) => {
      const m = JSON.parse(data.toString()) as Record<string, unknown>;
      if (!test(m)) return;
      ws.off('message', on);
      resolve(m);
    };
    ws.on('message', on);
  });
}

describe('the web host', { timeout: 30_000 }, () => {
  it('listens on 127.0.0.1 and prints a URL with its token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the renderer, and nothing outside it', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>netlab</title>');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await get('/../netlab-secret.txt')).status).not.toBe(200);
    expect((await get('/%2e%2e/netlab-secret.txt')).status).not.toBe(200);
    expect((await get('/..%2fnetlab-secret.txt')).status).not.toBe(200);
    expect((await get('/missing.js')).status).toBe(404);
  });

  it('refuses a WebSocket without the token, with a wrong one, or from another site', async () => {
    expect(await connect('')).toBe(401);
    expect(await connect('?token=wrong')).toBe(401);
    expect(await connect(`?token=${host.token}`, 'http://evil.example')).toBe(403);
  });

  it('answers requests and pushes events over an authorised socket', async () => {
    const ws = await connect(`?token=${host.token}`, `http://127.0.0.1:${host.port}`);
    if (typeof ws === 'number') throw new Error(`refused: ${ws}`);
    try {
      ws.send(JSON.stringify({ id: 1, op: 'app.info' }));
      expect(await next(ws, (m) => m['id'] === 1)).toEqual({
        id: 1,
        ok: true,
        result: { version: 'test', host: 'web', dialogs: false },
      });

      ws.send('{ not json');
      expect(await next(ws, (m) => 'ok' in m)).toMatchObject({ id: null, ok: false });

      ws.send(
        JSON.stringify({ id: 2, op: 'iface.setMtu', args: { host: 'h0', dev: 'eth0', mtu: 'x' } }),
      );
      expect(await next(ws, (m) => m['id'] === 2)).toMatchObject({
        ok: false,
        error: { field: 'args.mtu' },
      });

      const labEvent = next(ws, (m) => m['event'] === 'lab');
      ws.send(JSON.stringify({ id: 3, op: 'lab.load', args: { builtin: 'hash-collisions' } }));
      expect(await next(ws, (m) => m['id'] === 3)).toMatchObject({
        ok: true,
        result: { name: 'hash-collisions' },
      });
      expect(await labEvent).toMatchObject({ data: { name: 'hash-collisions' } });
    } finally {
      ws.close();
    }
  });
});
