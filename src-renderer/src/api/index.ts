// The renderer's one way to the lab. Inside Electron the preload script provides `window.netlab`
// (a bridge over IPC); in a browser the page connects to the web host's WebSocket with the token
// from its URL. Everything above this file sees only `NetlabApi`.
import type { NetlabApi, NetlabBridge } from '../../../src-main/ipc/api';
import { createApi } from './typed-api';
import { apiUrlFor, WebSocketBridge } from './websocket-bridge';

export { ApiCallError } from './typed-api';

declare global {
  interface Window {
    /** Present only inside Electron; see src-main/app/preload.ts. */
    netlab?: NetlabBridge;
  }
}

/** A bridge that answers every request with `message` (a page opened without its token). */
function unavailable(message: string): NetlabBridge {
  return {
    host: 'web',
    request: async () => ({ ok: false, error: { code: 'transport', message } }),
    onEvent: () => () => {},
  };
}

/** The message of a page opened without its token: what to open instead. */
export const NO_TOKEN_MESSAGE =
  'no API token in the address: open the URL that `npm run web` printed';

/**
 * Whether this page cannot reach the lab: a browser page opened without the token its link
 * carries (`http://127.0.0.1:PORT/?token=…`). The window then says so instead of showing controls
 * that would all fail.
 */
export function missingToken(): boolean {
  return !window.netlab && apiUrlFor(window.location) === null;
}

export function connectApi(): NetlabApi {
  if (window.netlab) return createApi(window.netlab);
  const url = apiUrlFor(window.location);
  if (url === null) return createApi(unavailable(NO_TOKEN_MESSAGE));
  return createApi(new WebSocketBridge(url));
}

let api: NetlabApi | null = null;

/** The API, connected on first use. */
export function useApi(): NetlabApi {
  api ??= connectApi();
  return api;
}

/** Uses `given` instead of connecting (the stores' unit tests use a fake). */
export function provideApi(given: NetlabApi): void {
  api = given;
}
