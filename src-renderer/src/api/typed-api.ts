// `NetlabApi` over any `NetlabBridge`: the typed calls and per-event subscriptions the UI uses,
// the same whichever bridge carries them (the preload's IPC or the web host's WebSocket).
import type {
  ApiErrorBody,
  EventData,
  EventName,
  NetlabApi,
  NetlabBridge,
  OpArgs,
  OpName,
  OpResult,
} from '../../../src-main/ipc/api';

/** An error reply, thrown by `call`: `field` names the argument at fault (`args.mtu`). */
export class ApiCallError extends Error {
  readonly field: string | undefined;
  readonly details: unknown;

  constructor(
    readonly op: string,
    body: ApiErrorBody,
  ) {
    super(body.message);
    this.name = 'ApiCallError';
    this.field = body.field;
    this.details = body.details;
  }
}

export function createApi(bridge: NetlabBridge): NetlabApi {
  const listeners = new Map<string, Set<(data: never) => void>>();
  bridge.onEvent((event, data) => {
    for (const listener of listeners.get(event) ?? []) listener(data as never);
  });
  return {
    host: bridge.host,
    async call<K extends OpName>(op: K, args: OpArgs<K>): Promise<OpResult<K>> {
      const reply = await bridge.request(op, args);
      if (!reply.ok) throw new ApiCallError(op, reply.error);
      return reply.result as OpResult<K>;
    },
    on<K extends EventName>(event: K, listener: (data: EventData<K>) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (data: never) => void);
      return () => set.delete(listener as (data: never) => void);
    },
  };
}
