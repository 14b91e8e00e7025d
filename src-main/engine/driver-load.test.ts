// A lab with a register-level card through the engine's own operations, as the window loads
// it: the lab file's text with its drivers' sources (the host reads them), then a run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadQuickJS } from '../lab/drivers/student/quickjs';
import type { RunState } from '../ipc/views';
import { Engine } from './engine';
import { engineOps, type EngineOpArgs, type EngineOpName } from './engine-ops';

const NE2K = readFileSync(
  join(import.meta.dirname, '..', '..', 'resources', 'drivers', 'ne2k.js'),
  'utf8',
);

const lab = (driver: string) => `
name: ne2k
hosts:
  - { name: h0, interfaces: [{ name: eth0, nic: nofilter, ip: 10.0.0.1/24 }] }
  - name: h1
    interfaces: [{ name: eth0, nic: ne2000, ip: 10.0.0.2/24${driver} }]
    join: [{ group: 239.1.1.1, port: 5000 }]
generators:
  - { name: mc, from: h0, to: '239.1.1.1:5000', rate: 1000pps, size: 100 }
`;

function engineHarness() {
  const engine = new Engine(() => {});
  const call = <K extends EngineOpName>(op: K, args: EngineOpArgs<K>) =>
    engine.handle(op, engineOps[op].args.parse(args) as never);
  return { engine, call };
}

describe('lab.load with a driver', { timeout: 30_000 }, () => {
  beforeAll(async () => {
    await loadQuickJS();
  });

  it("runs the lab file's driver sent with it, and the frames reach the socket", async () => {
    const h = engineHarness();
    h.call('lab.load', {
      text: lab(', driver: { file: my-ne2k.js }'),
      fileName: 'ne2k.yaml',
      drivers: { 'my-ne2k.js': NE2K },
    });
    h.call('run.start', { speed: 'max' });
    const start = Date.now();
    while ((h.call('run.state', {}) as RunState).simTimeNs < 50e6 && Date.now() - start < 20_000)
      await new Promise((r) => setTimeout(r, 20));
    h.call('run.pause', {});
    const host = (
      h.engine as unknown as { state: { lab: import('../lab/lab').Lab } }
    ).state.lab.host('h1');
    const nic = host.registerNics[0];
    expect(nic.reports).toEqual([]);
    expect(nic.file).toBe('my-ne2k.js');
    const stats = nic.dev.ops.getStats!(nic.dev);
    expect(stats.rx_packets).toBeGreaterThan(40);
    expect(host.kernel.mib.udp.InDatagrams).toBeGreaterThan(40);
  });

  it('says which driver file it lacks', () => {
    const h = engineHarness();
    expect(() =>
      h.call('lab.load', { text: lab(', driver: { file: my-ne2k.js }'), fileName: 'ne2k.yaml' }),
    ).toThrow(/the driver file my-ne2k\.js was not read/);
  });
});
