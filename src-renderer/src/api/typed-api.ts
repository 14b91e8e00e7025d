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

/**
 * An error reply, thrown by `call`. `body` is the typed error (its `code` says what kind, and its
 * `details` are typed by the code); `field` names the request's part at fault (`args.mtu`) and
 * `arg` the argument (`mtu`), or '' when the fault is not in one argument.
 */
export class ApiCallError extends Error {
  readonly field: string | undefined;
  readonly arg: string;

  constructor(
    readonly op: string,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
    this.name = 'ApiCallError';
    this.field = body.field;
    this.arg = body.field?.startsWith('args.') ? body.field.slice('args.'.length) : '';
  }

  get code(): ApiErrorBody['code'] {
    return this.body.code;
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
