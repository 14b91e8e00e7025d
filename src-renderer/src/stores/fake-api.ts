// A NetlabApi for the stores' unit tests: each operation answered by a handler (or an error
// reply), events emitted by hand, and every call recorded.
import type { ApiErrorBody, NetlabBridge } from '../../../src-main/ipc/api';
import { provideApi } from '../api';
import { createApi } from '../api/typed-api';

export type Handler = (args: never) => unknown;

export class FakeApi {
  readonly calls: { op: string; args: unknown }[] = [];
  private emitEvent: (event: string, data: unknown) => void = () => {};

  constructor(readonly handlers: Record<string, Handler | { error: ApiErrorBody }> = {}) {
    const bridge: NetlabBridge = {
      host: 'web',
      request: async (op, args) => {
        this.calls.push({ op, args });
        const h = this.handlers[op];
        if (h === undefined)
          return { ok: false, error: { code: 'unknown-op', message: `no fake for ${op}` } };
        if (typeof h !== 'function') return { ok: false, error: h.error };
        return { ok: true, result: h(args as never) };
      },
      onEvent: (listener) => {
        this.emitEvent = listener;
        return () => {};
      },
    };
    provideApi(createApi(bridge));
  }

  emit(event: string, data: unknown): void {
    this.emitEvent(event, data);
  }

  opsCalled(): string[] {
    return this.calls.map((c) => c.op);
  }
}
