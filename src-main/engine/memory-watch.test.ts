// The engine stops a lab before it runs out of memory: a capture allowed 4 GiB, at line rate and
// at full speed, against a budget of some 100 MiB more than the process holds now. The lab must
// stop by itself, say why, and leave the process within reach of its budget.
import { afterEach, describe, expect, it } from 'vitest';
import type { EventData, EventName } from '../ipc/events';
import { Engine } from './engine';
import { memoryNow, overBudget } from './memory-watch';

const FLOOD = `name: flood
captureLimit: 4GiB
hosts:
  - name: h0
    interfaces: [{ name: eth0, nic: nofilter, ip: 10.0.0.1/24 }]
  - name: h1
    interfaces: [{ name: eth0, nic: nofilter, ip: 10.0.0.2/24 }]
generators:
  - { name: f, from: h0, to: '10.0.0.2:9', rate: 100Mbps, size: 1472 }
captures: [segment, h1:eth0]
`;

let engine: Engine | null = null;
afterEach(() => {
  engine?.close();
  engine = null;
});

describe('the engine watching its memory', () => {
  it('says when a process is over its budget, or its heap near its limit', () => {
    const use = { rss: 600 * 2 ** 20, heapUsed: 10 * 2 ** 20, heapLimit: 100 * 2 ** 20 };
    expect(overBudget(use, 1024 * 2 ** 20)).toBeNull();
    expect(overBudget(use, 512 * 2 ** 20)).toBe(
      'the app uses 600 MiB of memory, over its budget of 512 MiB',
    );
    expect(overBudget({ ...use, heapUsed: 95 * 2 ** 20 }, 2 ** 30)).toBe(
      "the engine's heap holds 95 MiB of its 100 MiB limit",
    );
  });

  it(
    'stops a lab whose capture would outgrow the budget, saying why',
    { timeout: 120_000 },
    async () => {
      const budget = memoryNow().rss + 100 * 2 ** 20;
      const events: { event: EventName; data: unknown }[] = [];
      engine = new Engine((event, data) => events.push({ event, data }), { memoryBudget: budget });
      engine.handle('lab.load', { text: FLOOD, fileName: 'flood.yaml' });
      engine.handle('run.start', { speed: 'max' });
      const stopped = await new Promise<EventData<'engine'>>((resolve, reject) => {
        const t0 = Date.now();
        const look = setInterval(() => {
          const e = events.find((x) => x.event === 'engine');
          if (e) {
            clearInterval(look);
            resolve(e.data as EventData<'engine'>);
          } else if (Date.now() - t0 > 100_000) {
            clearInterval(look);
            reject(new Error('the lab was never stopped'));
          }
        }, 50);
      });
      expect(stopped.state).toBe('stopped');
      expect(stopped.message).toMatch(
        /^The lab was stopped: the app uses \d+ MiB of memory, over its budget of \d+ MiB\. The capture was stopped with \d+ frames \(\d+ MiB\): clear it, or lower its limit, before running on\.$/,
      );
      expect(engine.handle('run.state', {}).running).toBe(false);
      const capture = engine.handle('lab.get', {}).capture;
      expect(capture.running).toBe(false);
      expect(capture.bytes).toBeGreaterThan(30 * 2 ** 20);
      // Stopped within a few checks of crossing: not far past the budget.
      expect(memoryNow().rss).toBeLessThan(budget + 64 * 2 ** 20);
    },
  );
});
