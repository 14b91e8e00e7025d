// Unsaved changes in the window's stores, against a fake API: the lab store follows the engine's
// word (lab views and `unsaved` events), and replacing a lab with unsaved changes asks first.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LabView } from '../../../src-main/ipc/api';
import { FakeApi } from './fake-api';
import { useLabStore } from './lab';
import { useUnsavedStore } from './unsaved';

const flush = () => new Promise((r) => setTimeout(r, 0));

function labView(name: string, unsaved: boolean): LabView {
  return {
    name,
    fileName: `${name}.yaml`,
    unsaved,
    hosts: [],
    run: { running: false, speed: 1, simTimeNs: 0, events: 0 },
  } as unknown as LabView;
}

beforeEach(() => setActivePinia(createPinia()));

/** A window whose lab `mine` has unsaved changes; Load gives `other`, Save writes mine.yaml. */
async function windowWithChanges(save: unknown = { saved: 'mine.yaml' }) {
  const api = new FakeApi({
    'lab.builtins': () => [],
    'lab.get': () => labView('mine', false),
    'lab.load': () => labView('other', false),
    'lab.save': () => save,
  });
  const lab = useLabStore();
  await lab.init();
  api.emit('unsaved', { unsaved: true });
  return { api, lab, unsaved: useUnsavedStore() };
}

/** Starts loading `other` through the guard; returns the promise of whether it ran. */
function loadOther(
  lab: ReturnType<typeof useLabStore>,
  unsaved: ReturnType<typeof useUnsavedStore>,
) {
  return unsaved.replaceLab(() => lab.loadBuiltin('other'));
}

describe('unsaved changes', () => {
  it('the lab store follows the engine: lab views and unsaved events', async () => {
    const { api, lab } = await windowWithChanges();
    expect(lab.unsaved).toBe(true);
    api.emit('unsaved', { unsaved: false });
    expect(lab.unsaved).toBe(false);
    api.emit('lab', labView('edited', true));
    expect(lab.unsaved).toBe(true);
  });

  it('a lab without unsaved changes is replaced without a question', async () => {
    const { api, lab, unsaved } = await windowWithChanges();
    api.emit('unsaved', { unsaved: false });
    expect(await loadOther(lab, unsaved)).toBe(true);
    expect(unsaved.asking).toBe(false);
    expect(lab.lab?.name).toBe('other');
  });

  it('Cancel keeps the lab, and nothing is loaded', async () => {
    const { api, lab, unsaved } = await windowWithChanges();
    const ran = loadOther(lab, unsaved);
    await flush();
    expect(unsaved.asking).toBe(true);
    unsaved.answer('cancel');
    expect(await ran).toBe(false);
    expect(unsaved.asking).toBe(false);
    expect(lab.lab?.name).toBe('mine');
    expect(api.opsCalled()).not.toContain('lab.load');
  });

  it("Don't Save replaces it", async () => {
    const { api, lab, unsaved } = await windowWithChanges();
    const ran = loadOther(lab, unsaved);
    await flush();
    unsaved.answer('discard');
    expect(await ran).toBe(true);
    expect(lab.lab?.name).toBe('other');
    expect(api.opsCalled()).not.toContain('lab.save');
  });

  it('Save saves first, then replaces it', async () => {
    const { api, lab, unsaved } = await windowWithChanges();
    const ran = loadOther(lab, unsaved);
    await flush();
    unsaved.answer('save');
    expect(await ran).toBe(true);
    expect(api.opsCalled().slice(-2)).toEqual(['lab.save', 'lab.load']);
    expect(lab.lab?.name).toBe('other');
  });

  it('Save whose dialog is cancelled keeps the lab', async () => {
    const { api, lab, unsaved } = await windowWithChanges({ cancelled: true });
    const ran = loadOther(lab, unsaved);
    await flush();
    unsaved.answer('save');
    expect(await ran).toBe(false);
    expect(lab.lab?.name).toBe('mine');
    expect(api.opsCalled()).not.toContain('lab.load');
  });

  it('a second question cancels the first', async () => {
    const { lab, unsaved } = await windowWithChanges();
    const first = loadOther(lab, unsaved);
    await flush();
    const second = loadOther(lab, unsaved);
    await flush();
    expect(await first).toBe(false);
    unsaved.answer('discard');
    expect(await second).toBe(true);
  });
});
