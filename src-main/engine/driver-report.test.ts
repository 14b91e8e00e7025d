// Oopses raised while the lab runs reach the window unasked: the engine pushes each report a
// student driver made (which device, the kernel's words, the line, the stack) with the next
// statistics, so a student running traffic sees that their interrupt handler locked up.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { referenceKey } from '../lab/labfile/build';
import { loadQuickJS } from '../lab/drivers/student/quickjs';
import type { EventData } from '../ipc/events';
import { Engine } from './engine';
import { engineOps, type EngineOpArgs, type EngineOpName } from './engine-ops';

const ROOT = join(import.meta.dirname, '..', '..', 'resources');
const read = (...p: string[]) => readFileSync(join(ROOT, ...p), 'utf8');
const TULIP = read('drivers', 'tulip.js');

const LAB = `
name: oops-live
hosts:
  - name: h0
    interfaces: [{ name: eth0, nic: nofilter, ip: 10.0.0.1/24 }]
  - name: h1
    interfaces: [{ name: eth0, nic: tulip, driver: { file: mine.js }, ip: 10.0.0.2/24 }]
generators:
  - { name: flood, from: h0, to: '10.0.0.2:9', rate: 1000pps, count: 50, size: 64 }
`;

describe('driver reports pushed as they happen', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    await loadQuickJS();
  });

  it('pushes the oops of an interrupt handler that never returns, with its line', async () => {
    const reports: EventData<'driver.report'>['reports'] = [];
    const engine = new Engine((event, data) => {
      if (event === 'driver.report') reports.push(...(data as EventData<'driver.report'>).reports);
    });
    const call = <K extends EngineOpName>(op: K, args: EngineOpArgs<K>) =>
      engine.handle(op, engineOps[op].args.parse(args) as never);
    // The student's bug: the handler waits for a status bit the card never sets.
    const wait = '    while (!(k.ioread32(dev.base_addr + CSR5) & 0x80000000)) k.udelay(1);';
    const mine = TULIP.replace('  interrupt(k, dev) {\n', `  interrupt(k, dev) {\n${wait}\n`);
    const line = mine.split('\n').indexOf(wait) + 1;
    call('lab.load', {
      text: LAB,
      fileName: 'oops-live.yaml',
      drivers: { 'mine.js': mine, [referenceKey('tulip')]: TULIP },
    });
    expect(reports).toEqual([]);
    call('run.start', {});
    const deadline = Date.now() + 20_000;
    while (reports.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    call('run.pause', {});
    expect(reports[0]).toMatchObject({ host: 'h1', dev: 'eth0', file: 'mine.js', card: 'tulip' });
    expect(reports[0].oops.message).toMatch(/^Oops: watchdog: hard LOCKUP in interrupt/);
    expect(reports[0].oops.line).toBe(line);
    expect(reports[0].oops.op).toBe('interrupt');
    expect(reports[0].oops.stack).toContain(`mine.js:${line}`);
    engine.close();
  });
});
