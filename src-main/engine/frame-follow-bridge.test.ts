// `capture.follow` across a Linux bridge, through the engine's operations as the window calls
// them: the hub-vs-switch exercise with sw bridged (its solution), a capture on h1's cable, and
// a flood frame there followed to the segments the bridge sent it on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FrameFollow } from '../ipc/follow-view';
import type { CaptureRowView, RunState } from '../ipc/views';
import { Engine } from './engine';
import { engineOps, type EngineOpArgs, type EngineOpName } from './engine-ops';

const labText = readFileSync(
  join(import.meta.dirname, '..', '..', 'resources', 'labs', 'hub-vs-switch-flood.yaml'),
  'utf8',
)
  // As the solution builds it, but from the file: the switch is a bridge from the start.
  .replace(
    '      - { name: eth2, nic: perfect, segment: c3, irq: 11 }\n',
    '      - { name: eth2, nic: perfect, segment: c3, irq: 11 }\n    bridges: [{ name: br0, ports: [eth0, eth1, eth2] }]\n',
  )
  .replace(/^captures:.*$/m, '')
  .replace('exercise:', 'captures: [c1, c2, c3]\nexercise:');

/** The bridged lab run past the flood's start, paused, its list showing the flood alone. */
async function floodFollowed(text: string) {
  const engine = new Engine(() => {});
  const call = <K extends EngineOpName>(op: K, args: EngineOpArgs<K>) =>
    engineOps[op].result.parse(engine.handle(op, engineOps[op].args.parse(args) as never));
  call('lab.load', { text, fileName: 'bridged.yaml' });
  call('run.start', { speed: 'max' });
  const start = Date.now();
  while ((call('run.state', {}) as RunState).simTimeNs < 120e6 && Date.now() - start < 20_000)
    await new Promise((r) => setTimeout(r, 20));
  call('run.pause', {});
  call('capture.filter', { text: 'ip.dst == 239.1.1.1 && udp' });
  const { rows } = call('capture.rows', { from: 0, count: 1000 }) as { rows: CaptureRowView[] };
  return { call, rows };
}

describe('capture.follow through a bridge', { timeout: 30_000 }, () => {
  it('gives each further segment its captured copies: the segment’s and its cards’', async () => {
    const { call, rows } = await floodFollowed(
      labText.replace('captures: [c1, c2, c3]', 'captures: [c1, c2, c3, h2:eth0]'),
    );
    const row = rows.find((r) => r.point === 'c1')!;
    const f = call('capture.follow', { no: row.no }) as FrameFollow;
    const byNo = new Map(rows.map((r) => [r.no, r]));
    for (const h of f.hops!) {
      // The copy offered is in that segment's own capture, shown in the list where it says.
      const copy = h.segmentCopy!;
      expect(byNo.get(copy.no)?.point).toBe(h.segment);
      expect(rows[copy.index!].no).toBe(copy.no);
      expect(copy.no).toBeGreaterThan(row.no);
    }
    // h2's card on c2 captured its copy: its row offers it; c3's h3 had no capture point.
    const h2 = f.hops![0].stations.find((s) => s.host === 'h2')!;
    expect(byNo.get(h2.captured!.no)?.point).toBe('h2:eth0');
    expect(f.hops![1].stations.find((s) => s.host === 'h3')!.captured).toBeNull();
  });

  it('shows br0’s verdict at its port and the copies it sent on c2 and c3', async () => {
    const engine = new Engine(() => {});
    const call = <K extends EngineOpName>(op: K, args: EngineOpArgs<K>) =>
      engineOps[op].result.parse(engine.handle(op, engineOps[op].args.parse(args) as never));
    call('lab.load', { text: labText, fileName: 'bridged.yaml' });
    call('run.start', { speed: 'max' });
    const start = Date.now();
    while ((call('run.state', {}) as RunState).simTimeNs < 120e6 && Date.now() - start < 20_000)
      await new Promise((r) => setTimeout(r, 20));
    call('run.pause', {});
    call('capture.filter', { text: 'ip.dst == 239.1.1.1 && udp' });
    const { rows } = call('capture.rows', { from: 0, count: 100 }) as { rows: CaptureRowView[] };
    const row = rows.find((r) => r.point === 'c1')!;
    const f = call('capture.follow', { no: row.no }) as FrameFollow;
    expect(f.segmentName).toBe('c1');
    expect(f.sender).toBe('h1:eth0');
    const port = f.stations.find((s) => s.host === 'sw')!;
    expect(port.detail).toBe('br0: flooded to eth1, eth2');
    expect(f.segment?.no).toBe(row.no);
    expect(f.hops!.map((h) => [h.segment, h.sender])).toEqual([
      ['c2', 'sw:eth1'],
      ['c3', 'sw:eth2'],
    ]);
    expect(f.hops![0].stations.find((s) => s.host === 'h2')!.fate).toBe('delivered');
  });
});
