// One browser's WebSocket on the web host, with the limits that keep one client from hurting the
// host or the others:
//
// - Its errors are its own. A malformed frame (invalid UTF-8, unmasked, a reserved opcode or
//   RSV bit, a bad close code, a fragmented control frame, a message over the limit) or a reset
//   makes `ws` emit 'error' and close that socket; with no listener the error would end the
//   process. An over-size message is answered first, with an error naming the limit.
// - Backpressure. Replies and events wait in the socket's send buffer until the client reads
//   them. While more than HIGH_WATER bytes wait, or MAX_IN_FLIGHT requests are being answered,
//   the client's further requests are not read (TCP holds them at its end); events wait in a
//   queue of at most MAX_QUEUED bytes. A client whose buffer does not shrink for STALL_MS, or
//   whose queue overflows, does not read: it is dropped.
import { WebSocket } from 'ws';

/** Send-buffer bytes above which a client's requests wait and its events queue. */
export const HIGH_WATER = 8 * 1024 * 1024;
/** Event bytes held for a client past HIGH_WATER; beyond this it is dropped. */
export const MAX_QUEUED = 16 * 1024 * 1024;
/** Requests of one client answered at once; further ones wait to be read. */
export const MAX_IN_FLIGHT = 4;
/** A client over HIGH_WATER whose buffer has not shrunk for this long is dropped (wall ms). */
export const STALL_MS = 10_000;

/** Close code for a message over the limit (RFC 6455: message too big). */
const CLOSE_TOO_BIG = 1009;

export const sizeText = (bytes: number): string =>
  bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(0)} MiB` : `${bytes} bytes`;

/**
 * `ws` closes a socket whose message is over maxPayload with code 1009 and no reason, before it
 * says why (its 'error' event comes after the close frame is sent): this subclass answers such a
 * message first, with an error reply naming the limit, and gives the close frame the same reason.
 */
export class ApiSocket extends WebSocket {
  /** The server's maxPayload, set on connection. */
  maxPayload = 0;

  override close(code?: number, reason?: string | Buffer): void {
    if (code === CLOSE_TOO_BIG && reason === undefined && this.readyState === WebSocket.OPEN) {
      const limit = sizeText(this.maxPayload);
      const message = `the message is over the host's limit of ${limit} (${this.maxPayload} bytes); the connection is closed`;
      this.send(JSON.stringify({ id: null, ok: false, error: { code: 'transport', message } }));
      return super.close(code, `message over ${limit}`);
    }
    return super.close(code, reason);
  }
}

export interface ConnectionOptions {
  /** Answers one request (never throws). */
  handle(request: unknown): Promise<unknown>;
  /** Says what happened to a client (dropped for not reading; a protocol error). */
  notice(text: string): void;
}

export class Connection {
  private inFlight = 0;
  private paused = false;
  /** Events waiting while the send buffer is over HIGH_WATER. */
  private queue: string[] = [];
  private queuedBytes = 0;
  private lastBuffered = 0;
  private stalledSince = 0;
  private gone = false;

  constructor(
    readonly ws: ApiSocket,
    private readonly o: ConnectionOptions,
    readonly label: string,
  ) {
    ws.on('error', (e: Error & { code?: string }) => {
      // `ws` closes the socket itself (with the right close code): only say why.
      o.notice(`${label}: ${e.message}${e.code ? ` (${e.code})` : ''}; connection closed`);
    });
    ws.on('close', () => {
      this.gone = true;
      this.queue = [];
      this.queuedBytes = 0;
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let request: unknown;
      try {
        request = JSON.parse(data.toString());
      } catch {
        request = undefined; // answered by the API as a request without an id
      }
      this.inFlight++;
      this.flow();
      void o.handle(request).then((reply) => {
        this.inFlight--;
        this.sendNow(reply);
        this.flow();
      });
    });
  }

  /** Pushes an event, or queues it while the client is behind. */
  event(text: string): void {
    if (this.gone || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.queue.length === 0 && this.ws.bufferedAmount <= HIGH_WATER) {
      this.ws.send(text);
      return;
    }
    this.queue.push(text);
    this.queuedBytes += text.length;
    if (this.queuedBytes > MAX_QUEUED)
      this.drop(`over ${sizeText(MAX_QUEUED)} of events waited for it`);
  }

  /** Called a few times a second: sends what waited, resumes reading, drops a client that stalled. */
  tick(now: number): void {
    if (this.gone) return;
    const buffered = this.ws.bufferedAmount;
    if (buffered > HIGH_WATER) {
      if (buffered < this.lastBuffered || this.stalledSince === 0) this.stalledSince = now;
      else if (now - this.stalledSince > STALL_MS) {
        this.drop(`it read nothing for ${STALL_MS / 1000} s with ${sizeText(buffered)} unsent`);
        return;
      }
    } else {
      this.stalledSince = 0;
      while (this.queue.length > 0 && this.ws.bufferedAmount <= HIGH_WATER) {
        const text = this.queue.shift()!;
        this.queuedBytes -= text.length;
        this.ws.send(text);
      }
    }
    this.lastBuffered = buffered;
    this.flow();
  }

  private sendNow(reply: unknown): void {
    if (this.gone || this.ws.readyState !== WebSocket.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify(reply);
    } catch (e) {
      text = JSON.stringify({
        id: null,
        ok: false,
        error: { code: 'internal', message: (e as Error).message },
      });
    }
    this.ws.send(text);
  }

  /** Reads the client's requests only while it keeps up and few of its requests are under way. */
  private flow(): void {
    if (this.gone) return;
    const hold = this.inFlight >= MAX_IN_FLIGHT || this.ws.bufferedAmount > HIGH_WATER;
    if (hold && !this.paused) {
      this.paused = true;
      this.ws.pause();
    } else if (!hold && this.paused) {
      this.paused = false;
      this.ws.resume();
    }
  }

  private drop(why: string): void {
    this.gone = true;
    this.o.notice(`${this.label}: dropped: ${why}`);
    this.queue = [];
    this.queuedBytes = 0;
    // It does not read, so it would not read a close frame either.
    this.ws.terminate();
  }
}
