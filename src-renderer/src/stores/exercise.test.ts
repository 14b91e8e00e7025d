// The exercise store against a fake API: progress kept across restarts, the engine's attempt
// restored with a lab, answers refused beside their field, links opening the views, and the
// start screen shown only on the blank lab a new window opens on.
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExerciseView, LabView, OpResult } from '../../../src-main/ipc/api';
import { useExerciseStore } from './exercise';
import { FakeApi } from './fake-api';
import { useLabStore } from './lab';
import { useShellStore } from './shell';
import { useUiStore } from './ui';

const flush = () => new Promise((r) => setTimeout(r, 0));

/** localStorage as a browser keeps it, for the length of a test. */
class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(k: string): string | null {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.items.set(k, v);
  }
}

const builtins = [
  {
    id: 'b',
    name: 'b',
    description: '',
    exercise: { title: 'B', summary: 's', level: 'beginner', kind: 'diagnose', order: 20 },
  },
  {
    id: 'a',
    name: 'a',
    description: '',
    exercise: { title: 'A', summary: 's', level: 'beginner', kind: 'configure', order: 10 },
  },
  { id: 'plain', name: 'plain', description: 'a lab', exercise: null },
];

function exercise(over: Partial<ExerciseView['attempt']> = {}): ExerciseView {
  return {
    title: 'A',
    summary: 's',
    level: 'beginner',
    kind: 'configure',
    instructions: 'Do it.',
    questions: [],
    hints: 2,
    hasSolution: true,
    runNs: 1e9,
    checks: ['c1', 'c2'],
    attempt: { answers: {}, ran: false, hintsShown: 0, solutionShown: false, ...over },
  };
}

function lab(over: Partial<LabView> = {}): LabView {
  return {
    name: 'a',
    description: '',
    fileName: 'a.yaml',
    unsaved: false,
    seed: 1,
    segment: { bitRate: 1e8, delayNs: 500, duplex: 'half' },
    segments: [],
    hosts: [
      {
        name: 'h1',
        cpuPerFrameNs: 500,
        prompt: 'root@h1:~# ',
        interfaces: [],
        net: { ipForward: false, routes: [], bridges: [] },
      },
    ],
    generators: [],
    ports: [],
    capture: {
      running: false,
      points: [],
      count: 0,
      first: 0,
      last: 0,
      filter: '',
      matching: 0,
      pending: 0,
    },
    run: { running: false, speed: 1, simTimeNs: 0, events: 0 },
    exercise: exercise(),
    ...over,
  } as LabView;
}

function checked(pass: boolean[], ran: boolean): OpResult<'exercise.check'> {
  return {
    title: 'A',
    passed: pass.filter((p) => p).length,
    results: pass.map((p, i) => ({ title: `c${i + 1}`, pass: p, actual: '', expected: '' })),
    ran,
    explanation: pass.every((p) => p) && ran ? 'Because.' : '',
  };
}

beforeEach(() => {
  setActivePinia(createPinia());
  (globalThis as { localStorage?: unknown }).localStorage = new MemoryStorage();
});
afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

describe('exercise store', () => {
  it('lists the exercises in curriculum order and keeps progress across a restart', async () => {
    let result = checked([true, false], true);
    const api = new FakeApi({
      'lab.builtins': () => builtins,
      'lab.get': () => lab(),
      'exercise.check': () => result,
      'exercise.run': () => result,
    });
    const ex = useExerciseStore();
    ex.init();
    await useLabStore().init();
    await flush();
    expect(ex.list.map((e) => e.id)).toEqual(['a', 'b']);
    expect(ex.currentId).toBe('a');
    await ex.run();
    expect(ex.progress).toEqual({ a: 'tried' });
    result = checked([true, true], true);
    await ex.run();
    expect(ex.done).toBe(true);
    expect(ex.explanation).toBe('Because.');
    expect(ex.progress).toEqual({ a: 'done' });
    // A later failed run does not take "done" back.
    result = checked([false, true], true);
    await ex.check();
    expect(ex.progress).toEqual({ a: 'done' });
    expect(api.opsCalled()).toContain('exercise.run');

    // A new window (a new store) reads it back.
    setActivePinia(createPinia());
    expect(useExerciseStore().progress).toEqual({ a: 'done' });
  });

  it("brings back the hints and solution the engine's attempt has shown", async () => {
    new FakeApi({
      'lab.builtins': () => builtins,
      'lab.get': () => lab({ exercise: exercise({ hintsShown: 2, solutionShown: true }) }),
      'exercise.check': () => checked([false, false], false),
      'exercise.hint': (a: { index: number }) => ({ text: `hint ${a.index + 1}`, shown: 2 }),
      'exercise.solution': () => ({
        steps: [{ host: 'h1', run: 'ifconfig eth1 up' }],
        answers: {},
        drivers: [],
      }),
    });
    const ex = useExerciseStore();
    ex.init();
    await useLabStore().init();
    await flush();
    await flush();
    expect(ex.hints).toEqual(['hint 1', 'hint 2']);
    expect(ex.solution?.steps).toEqual([{ host: 'h1', run: 'ifconfig eth1 up' }]);
  });

  it('shows a refused answer beside its field, and clears it once accepted', async () => {
    const api = new FakeApi({ 'exercise.check': () => checked([false], false) });
    api.handlers['exercise.answer'] = {
      error: { code: 'bad-request', message: 'n: "x" is not a number', field: 'args.value' },
    };
    const ex = useExerciseStore();
    await ex.answer('n', 'x');
    expect(ex.fieldErrors).toEqual({ n: 'n: "x" is not a number' });
    api.handlers['exercise.answer'] = () => ({ answers: { n: 4 } });
    await ex.answer('n', '4');
    expect(ex.fieldErrors).toEqual({});
    expect(ex.answers).toEqual({ n: 4 });
  });

  it('opens the view a netlab: link names: a shell with the command typed', async () => {
    new FakeApi({});
    const ex = useExerciseStore();
    await ex.openLink('netlab:shell?host=h1&cmd=cat%20/proc/net/snmp');
    expect(useUiStore().tab).toBe('shell');
    expect(useShellStore().host).toBe('h1');
    expect(useShellStore().drafts).toEqual({ h1: 'cat /proc/net/snmp' });
    await ex.openLink('netlab:stats?host=h1');
    expect(useUiStore().tab).toBe('stats');
    await ex.openLink('netlab:bogus');
    expect(ex.error).toContain('no view "bogus"');
  });

  it('offers the start screen only on the blank lab a new window opens on', async () => {
    const blank = lab({ name: 'untitled', fileName: '', exercise: null });
    new FakeApi({
      'lab.builtins': () => builtins,
      'lab.get': () => blank,
      'lab.load': () => lab(),
    });
    const ex = useExerciseStore();
    ex.init();
    const labs = useLabStore();
    await labs.init();
    expect(ex.showStart).toBe(true);
    await labs.loadBuiltin('a');
    expect(ex.showStart).toBe(false);
    // Dismissed, it stays away even on the blank lab.
    setActivePinia(createPinia());
    new FakeApi({ 'lab.builtins': () => builtins, 'lab.get': () => blank });
    const again = useExerciseStore();
    again.init();
    await useLabStore().init();
    expect(again.showStart).toBe(true);
    again.dismissStart();
    expect(again.showStart).toBe(false);
  });
});
