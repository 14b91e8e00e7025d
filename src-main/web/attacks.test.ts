// The web host attacked as a hostile or careless client would, over real sockets, against the
// real `npm run web` process: every malformed frame, resets without the token, a client that
// never reads, more clients than the host takes. After each, the host must still be running and
// answering.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_CLIENTS, MAX_MESSAGE_BYTES } from './server';

const repo = join(import.meta.dirname, '..', '..');
let dir: string;
let host: ChildProcess;
let port = 0;
let token = '';
let stderr = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netlab-attack-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>netlab</title>');
  host = spawn(
    process.execPath,
    ['--import', 'tsx', join(repo, 'src-main/web/main.ts'), '--renderer', dir],
    { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  host.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    host.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /open (http:\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    host.once('exit', (code) => reject(new Error(`the host exited (${code}): ${stderr}`)));
  });
  const u = new URL(url);
  port = Number(u.port);
  token = u.searchParams.get('token')!;
}, 60_000);

afterAll(() => {
  host?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

/** The host is still running and answers a new client's request. */
async function stillAnswers(): Promise<void> {
  expect(host.exitCode).toBeNull();
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`);
  try {
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const reply = new Promise<unknown>((resolve) =>
      ws.once('message', (d: Buffer) => resolve(JSON.parse(d.toString()))),
    );
    ws.send(JSON.stringify({ id: 7, op: 'app.info' }));
    expect(await reply).toMatchObject({ id: 7, ok: true, result: { host: 'web' } });
  } finally {
    ws.terminate();
  }
  expect(stderr).not.toMatch(/Unhandled|uncaught|at .*\.js:\d+/i);
}

/** A raw TCP connection through the WebSocket handshake: the socket, ready for frames. */
async function handshake(query = `?token=${token}`): Promise<{ socket: Socket; status: string }> {
  const socket = tcpConnect(port, '127.0.0.1');
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    `GET /api${query} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
      'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
      'Sec-WebSocket-Version: 13\r\n\r\n',
  );
  let head = Buffer.alloc(0);
  while (!head.includes('\r\n\r\n')) {
    const chunk = await new Promise<Buffer | null>((resolve) => {
      socket.once('data', resolve);
      socket.once('close', () => resolve(null));
    });
    if (chunk === null) break;
    head = Buffer.concat([head, chunk]);
  }
  const end = head.indexOf('\r\n\r\n');
  const rest = end >= 0 ? head.subarray(end + 4) : Buffer.alloc(0);
  if (rest.length > 0) socket.unshift(rest);
  return { socket, status: head.subarray(0, Math.max(0, end)).toString() };
}

/** A client frame: masked unless told otherwise. */
function frame(
  first: number,
  payload: Buffer,
  opts: { masked?: boolean; length?: bigint } = {},
): Buffer {
  const masked = opts.masked ?? true;
  const len = opts.length ?? BigInt(payload.length);
  let header: Buffer;
  if (len < 126n) header = Buffer.from([first, (masked ? 0x80 : 0) | Number(len)]);
  else if (len < 65536n) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 126;
    header.writeUInt16BE(Number(len), 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(len, 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const body = Buffer.from(payload.map((b, i) => b ^ key[i % 4]));
  return Buffer.concat([header, key, body]);
}

/** Everything the server sends until it closes: text frames and the close frame's code and reason. */
function serverFrames(socket: Socket): Promise<{ texts: string[]; code: number; reason: string }> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const texts: string[] = [];
    let code = 0;
    let reason = '';
    socket.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      for (;;) {
        if (buf.length < 2) return;
        let len = buf[1] & 0x7f;
        let at = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2);
          at = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          len = Number(buf.readBigUInt64BE(2));
          at = 10;
        }
        if (buf.length < at + len) return;
        const opcode = buf[0] & 0x0f;
        const payload = buf.subarray(at, at + len);
        if (opcode === 1) texts.push(payload.toString());
        if (opcode === 8 && len >= 2) {
          code = payload.readUInt16BE(0);
          reason = payload.subarray(2).toString();
        }
        buf = buf.subarray(at + len);
      }
    });
    socket.on('close', () => resolve({ texts, code, reason }));
  });
}

describe('the web host under attack', { timeout: 60_000 }, () => {
  const malformed: [string, Buffer, number][] = [
    ['a text frame of invalid UTF-8', frame(0x81, Buffer.from([0xc3, 0x28, 0xff])), 1007],
    ['an unmasked frame', frame(0x81, Buffer.from('{}'), { masked: false }), 1002],
    ['a reserved opcode', frame(0x83, Buffer.from('x')), 1002],
    ['RSV1 without an extension', frame(0xc1, Buffer.from('{}')), 1002],
    ['close code 999', frame(0x88, Buffer.from([0x03, 0xe7])), 1002],
    ['a fragmented ping', frame(0x09, Buffer.from('p')), 1002],
  ];
  for (const [what, bytes, code] of malformed) {
    it(`closes only the connection that sent ${what}`, async () => {
      const bystander = await handshake();
      expect(bystander.status).toContain('101');
      const bystanderFrames = serverFrames(bystander.socket);
      const { socket, status } = await handshake();
      expect(status).toContain('101');
      const frames = serverFrames(socket);
      socket.write(bytes);
      expect((await frames).code).toBe(code);
      await stillAnswers();
      // The other connection is untouched: it is still open and still answered.
      bystander.socket.write(frame(0x81, Buffer.from(JSON.stringify({ id: 3, op: 'app.info' }))));
      await new Promise((r) => setTimeout(r, 200));
      expect(bystander.socket.destroyed).toBe(false);
      bystander.socket.end(frame(0x88, Buffer.from([0x03, 0xe8])));
      expect((await bystanderFrames).texts.join()).toContain('"id":3');
    });
  }

  it('answers an over-size message with an error naming the limit, then closes', async () => {
    const { socket } = await handshake();
    const frames = serverFrames(socket);
    // Only the header: the host must refuse on the length alone, without buffering the body.
    socket.write(frame(0x81, Buffer.alloc(0), { length: BigInt(MAX_MESSAGE_BYTES + 1) }));
    const got = await frames;
    expect(got.code).toBe(1009);
    expect(got.reason).toMatch(/^message over \d+ MiB$/);
    expect(got.texts).toHaveLength(1);
    const reply = JSON.parse(got.texts[0]) as { ok: boolean; error: { message: string } };
    expect(reply.ok).toBe(false);
    expect(reply.error.message).toContain(`limit of`);
    expect(reply.error.message).toContain(`(${MAX_MESSAGE_BYTES} bytes)`);
    await stillAnswers();
  });

  it('survives upgrades without the token reset at once, hundreds of them', async () => {
    const resets: Promise<void>[] = [];
    for (let i = 0; i < 300; i++) {
      resets.push(
        new Promise((resolve) => {
          const s = tcpConnect(port, '127.0.0.1', () => {
            s.write(
              `GET /api HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
                'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
            );
            // A reset (RST), not a close, while the host answers 401.
            s.resetAndDestroy();
            resolve();
          });
          s.on('error', () => resolve());
        }),
      );
    }
    await Promise.all(resets);
    await new Promise((r) => setTimeout(r, 500));
    await stillAnswers();
  });

  it('refuses connections past its limit, saying so, and takes them again once one goes', async () => {
    const open: Socket[] = [];
    try {
      for (let i = 0; i < MAX_CLIENTS; i++) {
        const c = await handshake();
        if (!c.status.includes('101')) break; // a test above may still hold one for a moment
        open.push(c.socket);
      }
      const refused = await handshake();
      expect(refused.status).toContain('503');
      const body = await new Promise<string>((resolve) => {
        let text = '';
        refused.socket.on('data', (c: Buffer) => (text += c.toString()));
        refused.socket.on('close', () => resolve(text));
      });
      expect(body).toContain(`too many connections (at most ${MAX_CLIENTS})`);
    } finally {
      for (const s of open) s.destroy();
    }
    await new Promise((r) => setTimeout(r, 300));
    await stillAnswers();
  });

  it('drops a client that never reads, without growing or keeping others waiting', async () => {
    const rss = () =>
      Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${host.pid}/status`, 'utf8'))![1]) * 1024;
    const before = rss();
    const { socket } = await handshake();
    socket.pause(); // never reads a reply
    // A built-in lab: each `lab.get` reply is some kilobytes.
    socket.write(
      frame(0x81, Buffer.from('{"id":0,"op":"lab.load","args":{"builtin":"napi-budget"}}')),
    );
    // Padded (the envelope ignores unknown keys): 90 MB of requests if the host read every one.
    const request = frame(0x81, Buffer.from(`{"id":1,"op":"lab.get","pad":"${'x'.repeat(400)}"}`));
    let sent = 0;
    // Write until the host stops reading (TCP backs up): without backpressure it reads them all.
    for (let i = 0; i < 200_000; i++) {
      if (!socket.write(request)) {
        const drained = await Promise.race([
          new Promise<boolean>((r) => socket.once('drain', () => r(true))),
          new Promise<boolean>((r) => setTimeout(() => r(false), 2000)),
        ]);
        if (!drained) break;
      }
      sent++;
    }
    expect(sent).toBeLessThan(100_000);
    await stillAnswers();
    expect(rss() - before).toBeLessThan(256 * 2 ** 20);
    // It is dropped once it has read nothing for the host's stall time.
    const dropped = await new Promise<boolean>((resolve) => {
      const t0 = Date.now();
      const look = setInterval(() => {
        if (/dropped: it read nothing/.test(stderr) || Date.now() - t0 > 20_000) {
          clearInterval(look);
          resolve(/dropped: it read nothing/.test(stderr));
        }
      }, 200);
    });
    expect(dropped).toBe(true);
    socket.destroy();
    await stillAnswers();
  });
});
