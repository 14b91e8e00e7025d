// The API as a user interface sees it: `window.netlab` inside Electron (the preload script), or
// the WebSocket transport in a browser (src-renderer/src/api). Both implement this interface, so
// the renderer cannot tell them apart and no feature exists in one and not the other.
//
// The renderer imports this file as a type only (`import type`): no main-process code ends up in
// its bundle. The operations and events themselves are defined in ops.ts and events.ts.
import type { EventData, EventName } from './events';
import type { OpArgs, OpName, OpResult } from './ops';
import type { ApiErrorBody } from './errors';

export type { ApiErrorBody, ApiErrorCode } from './errors';
export type { EventData, EventName } from './events';
export type { OpArgs, OpName, OpResult } from './ops';
export type * from './views';
export type * from './follow-view';
export type * from './wire-view';
export type * from './driver-view';
export type * from './host-net-view';

export interface NetlabApi {
  /** Where the renderer runs. */
  readonly host: 'electron' | 'web';
  /**
   * Runs one operation. Resolves with its result; rejects with an `ApiCallError` carrying the
   * error reply (its message and the field at fault).
   */
  call<K extends OpName>(op: K, args: OpArgs<K>): Promise<OpResult<K>>;
  /** Subscribes to an event; returns the function that unsubscribes. */
  on<K extends EventName>(event: K, listener: (data: EventData<K>) => void): () => void;
}

/**
 * The raw channel each transport provides underneath `NetlabApi`: a request in, a reply out,
 * events pushed. The preload exposes this shape (functions only, as contextBridge requires).
 */
export interface NetlabBridge {
  readonly host: 'electron' | 'web';
  request(
    op: string,
    args: unknown,
  ): Promise<{ ok: true; result: unknown } | { ok: false; error: ApiErrorBody }>;
  onEvent(listener: (event: string, data: unknown) => void): () => void;
}
