// The driver editor's operations through the engine, as the window calls them: a driver
// exercise loaded with its starter, the driver's source and reference panels, a reload that
// does not load (its oops and line), a reload that does, kept across the exercise's Reset, and
// the exercise's checks passing with it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveStarter } from '../lab/exercise/starter';
import { referenceKey } from '../lab/labfile/build';
import { parseLabSpec } from '../lab/labfile/load';
import { loadQuickJS } from '../lab/drivers/student/quickjs';
import type { OpResult } from '../ipc/ops';
import { Engine } from './engine';
import { engineOps, type EngineOpArgs, type EngineOpName } from './engine-ops';

const ROOT = join(import.meta.dirname, '..', '..', 'resources');
const read = (...p: string[]) => readFileSync(join(ROOT, ...p), 'utf8');
const LAB = read('labs', 'driver-tulip-stats.yaml');
const TULIP = read('drivers', 'tulip.js');
// The starter as the app sends it with the lab: made from the reference driver.
const STARTER = deriveStarter(
  { file: 'tulip.js', source: TULIP },
  parseLabSpec(LAB, 'driver-tulip-stats.yaml').spec!.exercise!.starter!,
);
const DRIVERS = { 'driver-tulip-stats.js': STARTER, [referenceKey('tulip')]: TULIP };

function engineHarness() {
  const engine = new Engine(() => {});
  const call = <K extends EngineOpName>(op: K, args: EngineOpArgs<K>) =>
    engine.handle(op, engineOps[op].args.parse(args) as never);
  return { engine, call };
}

/** The starter with getStats written, as a student would. */
const FIXED = STARTER.replace(
  /getStats\(k, dev\) \{\n/,
  'getStats(k, dev) {\n    if (k.netif_running(dev)) dev.stats.rx_missed_errors += k.ioread32(dev.base_addr + CSR8) & 0xffff;\n',
);

describe('driver.* through the engine', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    await loadQuickJS();
  });

  it('the window lists a register-level card with the host’s other cards, on its segment', () => {
    const h = engineHarness();
    const lab = h.call('lab.load', {
      text: LAB,
      fileName: 'driver-tulip-stats.yaml',
      drivers: DRIVERS,
    }) as OpResult<'lab.load'>;
    const h1 = lab.hosts.find((x) => x.name === 'h1')!;
    expect(h1.interfaces.map((i) => [i.name, i.model])).toEqual([['eth0', 'tulip']]);
    expect(h1.interfaces[0].modelDescription).toMatch(/driver-tulip-stats\.js/);
    expect(h1.interfaces[0].segment).toBe(lab.segments[0].name);
    expect(lab.segments[0].stations).toContain('h1:eth0');
    const got = h.call('iface.get', { host: 'h1', dev: 'eth0' }) as OpResult<'iface.get'>;
    expect(got.mac).toBe(h1.interfaces[0].mac);
    // The Interface form's controls work on the built-in models; this card says where to go.
    expect(() => h.call('iface.down', { host: 'h1', dev: 'eth0' })).toThrow(
      /register-level card \(tulip\) that your driver driver-tulip-stats\.js runs/,
    );
    h.engine.close();
  });

  it('shows, reloads and keeps a student driver; the exercise passes with the fix', async () => {
    const h = engineHarness();
    h.call('lab.load', {
      text: LAB,
      fileName: 'driver-tulip-stats.yaml',
      drivers: DRIVERS,
    });
    expect(h.call('driver.list', {})).toEqual([
      { host: 'h1', dev: 'eth0', file: 'driver-tulip-stats.js', card: 'tulip' },
    ]);
    const src = h.call('driver.get', { host: 'h1', dev: 'eth0' }) as OpResult<'driver.get'>;
    expect(src.text).toBe(STARTER);
    expect(src.registers.find((r) => r.name === 'CSR8')?.doc).toMatch(/missed frames/);
    expect(src.api.map((a) => a.name)).toContain('ioread32');
    expect(src.ops).toContain('getStats');
    expect(() => h.call('driver.get', { host: 'h0', dev: 'eth0' })).toThrow(/built-in driver/);

    // A driver that does not load: its oops, with the line.
    const bad = h.call('driver.reload', {
      host: 'h1',
      dev: 'eth0',
      text: FIXED.replace('return dev.stats;', 'return dev.stats; )'),
    }) as OpResult<'driver.reload'>;
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.oops.message).toMatch(/syntax error/);
      const line = FIXED.split('\n').findIndex((l) => l.includes('return dev.stats;')) + 1;
      expect(bad.oops.line).toBe(line);
    }

    const good = h.call('driver.reload', {
      host: 'h1',
      dev: 'eth0',
      text: FIXED,
    }) as OpResult<'driver.reload'>;
    expect(good.ok).toBe(true);

    // Reset rebuilds the lab as shipped, but with the student's driver.
    h.call('exercise.reset', {});
    expect((h.call('driver.get', { host: 'h1', dev: 'eth0' }) as OpResult<'driver.get'>).text).toBe(
      FIXED,
    );
    const checked = (await h.call('exercise.run', {})) as OpResult<'exercise.run'>;
    expect(checked.results).toHaveLength(2);
    expect(checked.results.map((r) => [r.title, r.pass])).toEqual(
      checked.results.map((r) => [r.title, true]),
    );
  });

  it('shows the solution driver: the starter with its code written, which passes when reloaded', async () => {
    const h = engineHarness();
    h.call('lab.load', { text: LAB, fileName: 'driver-tulip-stats.yaml', drivers: DRIVERS });
    const view = h.call('lab.get', {}) as OpResult<'lab.get'>;
    expect(view.exercise?.hasSolution).toBe(true);
    const solution = h.call('exercise.solution', {}) as OpResult<'exercise.solution'>;
    expect(solution.steps).toEqual([]);
    expect(solution.drivers).toHaveLength(1);
    const d = solution.drivers[0];
    expect(d).toMatchObject({
      host: 'h1',
      dev: 'eth0',
      file: 'driver-tulip-stats.js',
      card: 'tulip',
      solutionFile: 'tulip.js',
    });
    // The starter's header, the reference's code, no region markers and no TODO.
    expect(d.text.startsWith('// Exercise: getStats.\n')).toBe(true);
    expect(d.text).not.toMatch(/\/\/ exercise( end)?:/);
    expect(d.text).not.toContain('TODO:');
    expect(d.text).toContain('dev.stats.rx_missed_errors += k.ioread32(dev.base_addr + CSR8)');
    expect((h.call('lab.get', {}) as OpResult<'lab.get'>).exercise?.attempt.solutionShown).toBe(
      true,
    );
    expect(
      (
        h.call('driver.reload', {
          host: 'h1',
          dev: 'eth0',
          text: d.text,
        }) as OpResult<'driver.reload'>
      ).ok,
    ).toBe(true);
    const checked = (await h.call('exercise.run', {})) as OpResult<'exercise.run'>;
    expect(checked.passed).toBe(checked.results.length);
  });
});
