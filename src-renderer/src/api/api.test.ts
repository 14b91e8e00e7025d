import { describe, expect, it } from 'vitest';
import type { NetlabBridge } from '../../../src-main/ipc/api';
import { ApiCallError, createApi } from './typed-api';
import { apiUrlFor } from './websocket-bridge';

function fakeBridge() {
  let emit: (event: string, data: unknown) => void = () => {};
  const sent: { op: string; args: unknown }[] = [];
  const bridge: NetlabBridge = {
    host: 'web',
    request: async (op, args) => {
      sent.push({ op, args });
      return op === 'run.state'
        ? { ok: true, result: { running: false, speed: 1, simTimeNs: 5, events: 0 } }
        : {
            ok: false,
            error: { code: 'bad-request', message: 'args.mtu: too big', field: 'args.mtu' },
          };
    },
    onEvent: (listener) => {
      emit = listener;
      return () => {};
    },
  };
  return { bridge, sent, emit: (event: string, data: unknown) => emit(event, data) };
}

describe('createApi', () => {
  it('resolves with the result of an ok reply', async () => {
    const { bridge, sent } = fakeBridge();
    const api = createApi(bridge);
    expect(await api.call('run.state', {})).toMatchObject({ simTimeNs: 5 });
    expect(sent).toEqual([{ op: 'run.state', args: {} }]);
  });

  it('rejects with an ApiCallError naming the field of an error reply', async () => {
    const api = createApi(fakeBridge().bridge);
    const err = await api.call('iface.setMtu', { host: 'h0', dev: 'eth0', mtu: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect(err).toMatchObject({
      message: 'args.mtu: too big',
      field: 'args.mtu',
      op: 'iface.setMtu',
    });
  });

  it('delivers each event to its own subscribers until they unsubscribe', () => {
    const { bridge, emit } = fakeBridge();
    const api = createApi(bridge);
    const seen: unknown[] = [];
    const off = api.on('run', (d) => seen.push(d.simTimeNs));
    api.on('lab', () => seen.push('lab'));
    emit('run', { simTimeNs: 1 });
    off();
    emit('run', { simTimeNs: 2 });
    expect(seen).toEqual([1]);
  });
});

describe('apiUrlFor', () => {
  it('builds the WebSocket URL from the page address and its token', () => {
    expect(apiUrlFor({ protocol: 'http:', host: '127.0.0.1:4321', search: '?token=a-b_c' })).toBe(
      'ws://127.0.0.1:4321/api?token=a-b_c',
    );
  });

  it('is null without a token', () => {
    expect(apiUrlFor({ protocol: 'http:', host: '127.0.0.1:1', search: '' })).toBeNull();
  });
});
