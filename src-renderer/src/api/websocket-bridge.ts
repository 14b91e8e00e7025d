// The bridge for a browser: the web host's WebSocket (src-main/web/server.ts), with the token
// the page's own URL carries. Requests are numbered and matched with their replies; events are
// passed to the subscribers. If the connection drops, waiting requests fail and an `engine`
// event says so, as a crashed engine would in Electron.
import type { ApiErrorBody, NetlabBridge } from '../../../src-main/ipc/api';

type Reply = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

/** The API's WebSocket URL for a page served by the web host, or null without a token. */
export function apiUrlFor(location: {
  protocol: string;
  host: string;
  search: string;
}): string | null {
  const token = new URLSearchParams(location.search).get('token');
  if (!token) return null;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`;
}

export class WebSocketBridge implements NetlabBridge {
  readonly host = 'web' as const;
  private readonly socket: WebSocket;
  private readonly opened: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private readonly listeners = new Set<(event: string, data: unknown) => void>();
  private closedWith: string | null = null;

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.opened = new Promise((resolve) => this.socket.addEventListener('open', () => resolve()));
    this.socket.addEventListener('message', (e) => this.receive(String(e.data)));
    this.socket.addEventListener('close', (e) => this.lost(e.reason));
  }

  async request(op: string, args: unknown): Promise<Reply> {
    if (this.closedWith === null) await Promise.race([this.opened, this.closing()]);
    if (this.closedWith !== null)
      return { ok: false, error: { code: 'transport', message: this.closedWith } };
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.socket.send(JSON.stringify({ id, op, args }));
    });
  }

  onEvent(listener: (event: string, data: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private closing(): Promise<void> {
    return new Promise((resolve) => this.socket.addEventListener('close', () => resolve()));
  }

  private receive(text: string): void {
    let message: { id?: unknown; ok?: boolean; event?: string; data?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (typeof message.event === 'string') {
      for (const listener of this.listeners) listener(message.event, message.data);
      return;
    }
    if (typeof message.id !== 'number') return;
    const resolve = this.pending.get(message.id);
    if (!resolve) return;
    this.pending.delete(message.id);
    resolve(message as Reply);
  }

  /** `reason`: what the host said as it closed the connection (a message over its limit). */
  private lost(reason: string): void {
    this.closedWith = reason
      ? `the connection to the lab was closed: ${reason}`
      : 'the connection to the lab was lost (is `npm run web` still running?)';
    for (const resolve of this.pending.values())
      resolve({ ok: false, error: { code: 'transport', message: this.closedWith } });
    this.pending.clear();
    for (const listener of this.listeners)
      listener('engine', { state: 'failed', message: this.closedWith });
  }
}
