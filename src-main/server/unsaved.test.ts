// Unsaved changes, as the window learns of them: the lab view's `unsaved` and the `unsaved`
// event. Driven through the engine's own operations (and the ApiServer's Save), the way the
// window drives them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OpArgs, OpName, OpResult } from '../ipc/ops';
import type { LabView } from '../ipc/views';
import { ApiServer, type Dialogs } from './api-server';
import { BuiltinLabs } from './builtin-labs';
import type { EngineClient } from './client';
import { Engine } from '../engine/engine';
import { engineOps, type EngineOpArgs, type EngineOpName } from '../engine/engine-ops';
import { RecentFiles } from './recent-files';

const labsDir = join(import.meta.dirname, '..', '..', 'resources', 'labs');
const labText = readFileSync(join(labsDir, 'hash-collisions.yaml'), 'utf8');

/** The engine answering requests as its worker does (arguments parsed first), and its events. */
function engineHarness() {
  const events: { event: string; data: unknown }[] = [];
  const listeners = new Set<(event: string, data: unknown) => void>();
  const engine = new Engine((event, data) => {
    events.push({ event, data });
    for (const l of listeners) l(event, data);
  });
  const call = <K extends EngineOpName>(op: K, args: EngineOpArgs<K>) =>
    engine.handle(op, engineOps[op].args.parse(args) as never);
  // What ApiServer needs of an EngineClient, without a worker thread.
  const client = {
    call: async (op: EngineOpName, args: unknown) => call(op, args as never),
    onEvent: (l: (event: string, data: unknown) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as unknown as EngineClient;
  /** The `unsaved` events since the last look. */
  const told = () => {
    const seen = events
      .filter((e) => e.event === 'unsaved')
      .map((e) => (e.data as { unsaved: boolean }).unsaved);
    events.length = 0;
    return seen;
  };
  return { engine, call, client, events, told };
}

describe('unsaved changes in the engine', () => {
  let h: ReturnType<typeof engineHarness>;
  const unsaved = () => (h.call('lab.get', {}) as LabView).unsaved;

  beforeEach(() => {
    h = engineHarness();
    h.call('lab.load', { text: labText, fileName: 'hash-collisions.yaml' });
    h.told();
  });

  it('a lab just loaded, or new, has none', () => {
    expect(unsaved()).toBe(false);
    expect((h.call('lab.new', { name: 'scratch' }) as LabView).unsaved).toBe(false);
  });

  it('topology edits make some; undoing them by hand leaves none', () => {
    const added = h.call('host.add', { name: 'h3', ip: '10.0.0.4/24' }) as LabView;
    expect(added.unsaved).toBe(true);
    const lab = h.events.find((e) => e.event === 'lab')!.data as LabView;
    expect(lab.unsaved).toBe(true);
    expect((h.call('nic.add', { host: 'h3' }) as LabView).unsaved).toBe(true);
    expect((h.call('nic.remove', { host: 'h3', dev: 'eth1' }) as LabView).unsaved).toBe(true);
    // The file's form is what counts: without h3 the lab is its file again.
    expect((h.call('host.remove', { name: 'h3' }) as LabView).unsaved).toBe(false);
    // Each lab view said so itself: no separate event was needed.
    expect(h.told()).toEqual([]);
  });

  it('a generator made or edited makes some, and an event says so', () => {
    h.call('generators.set', { name: 'g2', from: 'h1', to: '239.1.1.1:5000', rate: '10pps' });
    expect(h.told()).toEqual([true]);
    expect(unsaved()).toBe(true);
    // Still unsaved after more edits: no repeated event.
    h.call('generators.set', { name: 'g2', from: 'h1', to: '239.1.1.1:5000', rate: '20pps' });
    expect(h.told()).toEqual([]);
  });

  it('what Save does not write makes none: interfaces, shells, generators stopped, captures, the clock', () => {
    h.call('iface.down', { host: 'h1', dev: 'eth0' });
    h.call('iface.setMtu', { host: 'h2', dev: 'eth0', mtu: 1000 });
    h.call('iface.join', { host: 'h2', dev: 'eth0', group: '239.1.1.9' });
    h.call('shell.exec', { host: 'h0', line: 'ifconfig eth0 promisc' });
    h.call('generators.stop', { name: 'flood' });
    h.call('capture.start', { points: ['segment'] });
    h.call('run.step', { unit: 'frame' });
    expect(unsaved()).toBe(false);
    expect(h.told()).toEqual([]);
    // And the file Save writes is indeed the one loaded: nothing of the above is in it.
    const { text } = h.call('lab.text', { format: 'yaml' }) as { text: string };
    expect(text).not.toMatch(/mtu|promisc|239\.1\.1\.9/);
  });

  it('the text handed out to be saved is saved once the host says it was written', () => {
    h.call('host.add', { name: 'h3' });
    const { revision } = h.call('lab.text', { format: 'yaml' }) as { revision: number };
    // Handing out the text is not saving it (the user may cancel the dialog).
    expect(unsaved()).toBe(true);
    expect(h.call('lab.saved', { revision })).toEqual({ unsaved: false });
    expect(h.told()).toEqual([false]);
    expect(unsaved()).toBe(false);
  });

  it('a save of an older text does not cover later edits', () => {
    h.call('host.add', { name: 'h3' });
    const first = (h.call('lab.text', { format: 'yaml' }) as { revision: number }).revision;
    h.call('host.add', { name: 'h4' });
    // Written after the edit: the file holds h3 but not h4.
    expect(h.call('lab.saved', { revision: first })).toEqual({ unsaved: true });
    const second = (h.call('lab.text', { format: 'json' }) as { revision: number }).revision;
    // A revision superseded by a newer text changes nothing.
    expect(h.call('lab.saved', { revision: first })).toEqual({ unsaved: true });
    expect(h.call('lab.saved', { revision: second })).toEqual({ unsaved: false });
  });

  it('loading or making a new lab drops the old changes', () => {
    h.call('host.add', { name: 'h3' });
    const loaded = h.call('lab.load', { text: labText, fileName: 'again.yaml' }) as LabView;
    expect(loaded.unsaved).toBe(false);
    h.call('host.add', { name: 'h3' });
    expect((h.call('lab.new', {}) as LabView).unsaved).toBe(false);
  });

  it('lab.saved needs a whole revision number', () => {
    expect(() => h.call('lab.saved', { revision: 'x' } as never)).toThrow(/revision/);
  });
});

describe('unsaved changes through the ApiServer', () => {
  function server(dialogs?: Dialogs) {
    const h = engineHarness();
    const api = new ApiServer({
      host: dialogs ? 'electron' : 'web',
      version: 'test',
      engine: h.client,
      builtins: new BuiltinLabs(labsDir),
      recent: new RecentFiles(null),
      dialogs,
    });
    let id = 1;
    const call = async <K extends OpName>(op: K, args: OpArgs<K>) => {
      const reply = await api.handle({ id: id++, op, args });
      if (!reply.ok) throw new Error(reply.error.message);
      return reply.result as OpResult<K>;
    };
    return { h, api, call };
  }

  it('the web host: Save offers a download; the lab is saved once the browser has it', async () => {
    const { api, call } = server();
    await call('lab.load', { builtin: 'hash-collisions' });
    expect(api.lab).toEqual({ name: 'hash-collisions', unsaved: false });
    await call('host.add', { name: 'h3' });
    expect(api.lab).toEqual({ name: 'hash-collisions', unsaved: true });
    const r = await call('lab.save', {});
    if (!('download' in r)) throw new Error('expected a download');
    // Offered, not yet in the browser's hands (the reply may never arrive): still unsaved.
    expect((await call('lab.get', {})).unsaved).toBe(true);
    await call('lab.downloaded', { revision: r.download.revision! });
    expect((await call('lab.get', {})).unsaved).toBe(false);
    expect(api.lab.unsaved).toBe(false);
  });

  it('Electron: a cancelled Save dialog leaves the changes unsaved; a written file does not', async () => {
    let path: string | null = null;
    const { api, call } = server({
      openLab: async () => null,
      saveLab: async () => path,
      saveCapture: async () => null,
      openCapture: async () => null,
    });
    await call('lab.load', { builtin: 'hash-collisions' });
    await call('generators.set', { name: 'g2', from: 'h1', to: '239.1.1.1:5000', rate: '10pps' });
    expect(api.lab.unsaved).toBe(true);
    expect(await call('lab.save', {})).toEqual({ cancelled: true });
    expect(api.lab.unsaved).toBe(true);
    expect((await call('lab.get', {})).unsaved).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'netlab-unsaved-'));
    try {
      path = join(dir, 'mine.yaml');
      expect(await call('lab.save', {})).toEqual({ saved: 'mine.yaml' });
      expect(readFileSync(path, 'utf8')).toMatch(/name: g2/);
      expect(api.lab.unsaved).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
