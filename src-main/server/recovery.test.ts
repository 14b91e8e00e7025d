// The worker's death, recovered: the client says so, fails what was in flight, and restarts the
// engine with the last lab loaded or saved.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineClient } from './client';

const labText = readFileSync(
  join(import.meta.dirname, '..', '..', 'resources', 'labs', 'hash-collisions.yaml'),
  'utf8',
);

function recorder(client: EngineClient) {
  const events: { event: string; data: unknown }[] = [];
  client.onEvent((event, data) => events.push({ event, data }));
  const waitFor = async (state: string, ms = 20_000) => {
    const start = Date.now();
    while (Date.now() - start < ms) {
      const e = events.find(
        (x) => x.event === 'engine' && (x.data as { state: string }).state === state,
      );
      if (e) return e.data as { state: string; message: string };
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no engine ${state} event`);
  };
  return { events, waitFor };
}

describe('engine recovery', { timeout: 30_000 }, () => {
  let client: EngineClient;
  afterEach(() => client?.close());

  it('a terminated worker is restarted with the last loaded lab', async () => {
    client = new EngineClient();
    const { events, waitFor } = recorder(client);
    await client.call('lab.load', { text: labText, fileName: 'hash-collisions.yaml' });
    await client.call('run.start', { speed: 'max' });
    await new Promise((r) => setTimeout(r, 100));
    const oldThread = client.thread;
    await oldThread.terminate();
    expect((await waitFor('crashed')).message).toMatch(/The lab engine stopped/);
    expect((await waitFor('restarted')).message).toBe(
      'The lab engine was restarted with hash-collisions.yaml, as last loaded or saved.',
    );
    expect(client.thread).not.toBe(oldThread);
    // The restored lab is the file as loaded: back at time 0, paused.
    const view = await client.call('lab.get', {});
    expect(view.name).toBe('hash-collisions');
    expect(view.run).toMatchObject({ running: false, simTimeNs: 0 });
    expect(events.some((e) => e.event === 'lab')).toBe(true);
  });

  it('a worker that throws is restarted; the request in flight fails with a clear error', async () => {
    client = new EngineClient({ debug: true });
    const { waitFor } = recorder(client);
    await client.call('lab.load', { text: labText, fileName: 'hash-collisions.yaml' });
    // Saving (the text handed out, then confirmed written) makes it the one to restore.
    const { text, revision } = await client.call('lab.text', { format: 'json' });
    expect(text).toMatch(/^\{/);
    await client.call('lab.saved', { revision });
    await client.call('debug.crash', {});
    // Sent before the crash is seen: answered, or failed with a message saying why.
    const inFlight = client.call('run.state', {}).then(
      () => 'answered',
      (e: Error) => e.message,
    );
    expect((await waitFor('crashed')).message).toBe(
      'The lab engine stopped: debug.crash: the engine was told to crash',
    );
    expect(await inFlight).toMatch(/^(answered|the engine stopped before answering)/);
    expect((await waitFor('restarted')).message).toBe(
      'The lab engine was restarted with hash-collisions.json, as last loaded or saved.',
    );
    expect((await client.call('lab.get', {})).hosts.map((h) => h.name)).toEqual(['h0', 'h1', 'h2']);
  });

  it('a Save that was cancelled (never confirmed written) is not what comes back', async () => {
    client = new EngineClient({ debug: true });
    const { waitFor } = recorder(client);
    await client.call('lab.load', { text: labText, fileName: 'hash-collisions.yaml' });
    await client.call('host.add', { name: 'h3', ip: '10.0.0.4/24' });
    await client.call('lab.text', { format: 'json' });
    await client.call('debug.crash', {});
    expect((await waitFor('restarted')).message).toBe(
      'The lab engine was restarted with hash-collisions.yaml, as last loaded or saved.',
    );
    expect((await client.call('lab.get', {})).hosts.map((h) => h.name)).toEqual(['h0', 'h1', 'h2']);
  });

  it('debug.crash is refused unless the client enables debug operations', async () => {
    client = new EngineClient();
    await expect(client.call('debug.crash', {})).rejects.toMatchObject({
      body: { message: 'debug operations are disabled', field: 'op' },
    });
    expect((await client.call('lab.get', {})).name).toBe('untitled');
  });

  it('requests sent while the engine restarts wait for the restored lab', async () => {
    client = new EngineClient({ debug: true });
    const { waitFor } = recorder(client);
    await client.call('lab.load', { text: labText, fileName: 'hash-collisions.yaml' });
    await client.thread.terminate();
    await waitFor('crashed');
    // The replacement is still loading the lab: this must see it, not the default new lab.
    expect((await client.call('lab.get', {})).name).toBe('hash-collisions');
  });
});
