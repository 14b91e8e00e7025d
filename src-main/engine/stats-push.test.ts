// The `stats` event carries each host's `net` view (bridges, ip_forward, routes) only when it
// changed since the last push: a window keeps the rest. `stats.get` answers with every host's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventName } from '../ipc/events';
import { statsSchema, type Stats } from '../ipc/views';
import { Engine } from './engine';
import { engineOps, type EngineOpArgs, type EngineOpName } from './engine-ops';

const labsDir = join(import.meta.dirname, '..', '..', 'resources', 'labs');

function harness() {
  const pushes: Stats[] = [];
  const engine = new Engine((event: EventName, data: unknown) => {
    if (event === 'stats') pushes.push(statsSchema.parse(data));
  });
  const call = <K extends EngineOpName>(op: K, args: EngineOpArgs<K>) =>
    engineOps[op].result.parse(engine.handle(op, engineOps[op].args.parse(args) as never));
  call('lab.load', {
    text: readFileSync(join(labsDir, 'router-ttl.yaml'), 'utf8'),
    fileName: 'router-ttl.yaml',
  });
  return { engine, call, pushes, last: () => pushes[pushes.length - 1] };
}

describe('the stats push', () => {
  it('carries a host’s net view when it changed, and stats.get every host’s', () => {
    const h = harness();
    // The lab's load pushes its first statistics.
    expect(Object.keys(h.last().net).sort()).toEqual(['h1', 'h2', 'r']);
    h.call('run.step', { unit: 'event' });
    expect(h.last().net).toEqual({});
    h.call('shell.exec', { host: 'r', line: 'sysctl -w net.ipv4.ip_forward=1' });
    expect(Object.keys(h.last().net)).toEqual(['r']);
    expect(h.last().net['r'].ipForward).toBe(true);
    h.call('run.step', { unit: 'event' });
    expect(h.last().net).toEqual({});
    const all = h.call('stats.get', {}) as Stats;
    expect(Object.keys(all.net).sort()).toEqual(['h1', 'h2', 'r']);
    // A new lab's first push has every host's again.
    h.call('lab.load', {
      text: readFileSync(join(labsDir, 'router-ttl.yaml'), 'utf8'),
      fileName: 'router-ttl.yaml',
    });
    expect(Object.keys(h.last().net).sort()).toEqual(['h1', 'h2', 'r']);
    h.engine.close();
  });
});
