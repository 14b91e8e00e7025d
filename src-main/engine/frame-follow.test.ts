// `capture.follow` through the engine's own operations, as the window calls them: the
// hash-collisions lab, with a group joined on h2 and a generator to it, run for a moment; then a
// frame of the packet list followed across h0, h1 and h2. Results are checked against the API's
// schema too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FrameFollow, StationFateView } from '../ipc/follow-view';
import type { CaptureRowView, RunState } from '../ipc/views';
import { Engine } from './engine';
import { engineOps, type EngineOpArgs, type EngineOpName } from './engine-ops';

const labsDir = join(import.meta.dirname, '..', '..', 'resources', 'labs');
const labText = readFileSync(join(labsDir, 'hash-collisions.yaml'), 'utf8');

function engineHarness() {
  const engine = new Engine(() => {});
  const call = <K extends EngineOpName>(op: K, args: EngineOpArgs<K>) =>
    engineOps[op].result.parse(engine.handle(op, engineOps[op].args.parse(args) as never));
  return { engine, call };
}

const station = (f: FrameFollow, host: string) =>
  f.stations.find((s) => s.host === host) as StationFateView;

describe('capture.follow', { timeout: 30_000 }, () => {
  let h: ReturnType<typeof engineHarness>;
  /** The rows the display filter `text` matches (the scan finishes within the request here). */
  const rows = (text: string): CaptureRowView[] => {
    h.call('capture.filter', { text });
    return (h.call('capture.rows', { from: 0, count: 1000 }) as { rows: CaptureRowView[] }).rows;
  };

  beforeAll(async () => {
    h = engineHarness();
    h.call('lab.load', { text: labText, fileName: 'hash-collisions.yaml' });
    h.call('iface.join', { host: 'h2', dev: 'eth0', group: '239.1.1.2' });
    h.call('generators.set', { name: 'probe', from: 'h0', to: '239.1.1.2:5000', rate: '1000pps' });
    h.call('run.start', { speed: 'max' });
    const start = Date.now();
    while ((h.call('run.state', {}) as RunState).simTimeNs < 20e6 && Date.now() - start < 20_000)
      await new Promise((r) => setTimeout(r, 20));
    h.call('run.pause', {});
  }, 30_000);

  it('follows a segment frame: sent by h0, kept out by h1’s hash filter, delivered on h2', () => {
    const [row] = rows('ip.dst == 239.1.1.2 && udp').filter((r) => r.point === 'segment');
    const f = h.call('capture.follow', { no: row.no }) as FrameFollow;
    expect(f).toMatchObject({
      no: row.no,
      outcome: 'on the wire',
      sender: 'h0:eth0',
      destination: '01:00:5e:01:01:02',
      segment: { no: row.no },
    });
    expect(f.segment!.index).not.toBeNull();
    expect(station(f, 'h0')).toMatchObject({ fate: 'sent', detail: 'sent it', captured: null });
    expect(station(f, 'h1')).toMatchObject({
      fate: 'hardware filter',
      detail: 'hash bin 19 not set (bins set: 4, 31)',
      // h1:eth0 is captured, but its card never let the frame in.
      captured: null,
    });
    const h2 = station(f, 'h2');
    expect(h2.fate).toBe('delivered');
    expect(h2.detail).toMatch(
      /^delivered to socket \d+ \(sink h2:239\.1\.1\.1:5000, 0\.0\.0\.0:5000\)$/,
    );
    expect(h2.stages.map((s) => s.what)).toEqual([
      'went on the wire',
      'card: perfect-filter entry for 01:00:5e:01:01:02',
      h2.detail,
    ]);
    expect(h2.stages[1].timeNs).toBe(f.endNs);
    expect(row.timeNs).toBe(f.endNs); // the segment's tap sees it as the cards do
  });

  it('follows a frame from a host’s capture, and finds the segment’s copy of it', () => {
    const flood = rows('ip.dst == 239.1.1.24 && udp').filter((r) => r.point === 'h1:eth0')[3];
    expect(flood.fate).toBe('group not joined');
    const f = h.call('capture.follow', { no: flood.no }) as FrameFollow;
    expect(station(f, 'h1')).toMatchObject({
      fate: 'group not joined',
      detail: 'IP dropped it: the host has not joined the group',
      captured: { no: flood.no },
    });
    expect(station(f, 'h1').stages[1].what).toBe('card: hash bin 4 set (bins set: 4, 31)');
    expect(station(f, 'h2').detail).toBe(
      'no perfect-filter entry for 01:00:5e:01:01:18 (3 of 14 entries used)',
    );
    expect(f.segment).not.toBeNull();
    const onWire = h.call('capture.row', { no: f.segment!.no }) as { row: CaptureRowView };
    expect(onWire.row).toMatchObject({ point: 'segment', info: flood.info });
  });

  it('follows a frame a host sent through the segment’s copy of it', async () => {
    // h1 pings h2: its ARP request goes out at h1:eth0 before the wire numbers it.
    h.call('shell.exec', { host: 'h1', line: 'ping -c 1 10.0.0.3' });
    h.call('run.start', { speed: 'max' });
    const until = (h.call('run.state', {}) as RunState).simTimeNs + 5e6;
    while ((h.call('run.state', {}) as RunState).simTimeNs < until)
      await new Promise((r) => setTimeout(r, 20));
    h.call('run.pause', {});
    // h1's own announcement went out at boot too: the request is the one asking for h2.
    const request = rows('arp').find(
      (r) =>
        r.point === 'h1:eth0' && r.direction === 'out' && /^Who has 10\.0\.0\.3\?/.test(r.info),
    )!;
    expect(request).toBeDefined();
    const f = h.call('capture.follow', { no: request.no }) as FrameFollow;
    expect(f).toMatchObject({ sender: 'h1:eth0', destination: 'ff:ff:ff:ff:ff:ff' });
    expect(station(f, 'h1')).toMatchObject({ fate: 'sent', captured: { no: request.no } });
    for (const other of ['h0', 'h2'])
      expect(station(f, other)).toMatchObject({
        fate: 'consumed by kernel',
        stages: [{ what: 'went on the wire' }, { what: 'card: broadcast' }, {}],
      });
    const onWire = h.call('capture.row', { no: f.segment!.no }) as { row: CaptureRowView };
    expect(onWire.row).toMatchObject({ point: 'segment', info: request.info });
  });

  it('says which frames it cannot follow, and why', async () => {
    rows('');
    expect(() => h.call('capture.follow', { no: 10_000_000 })).toThrow(
      /^no frame 10000000 in the capture \(frames held: 1 to \d+\)$/,
    );
    expect(() => h.call('capture.follow', { no: -1 })).toThrow();
    // A capture read back from a file has frames, but the lab knows nothing of their fates.
    // An export runs in slices: its reply is a promise.
    const file = await h.engine.handle('capture.bytes', { format: 'pcapng' });
    h.call('capture.load', { bytes: file.bytes, fileName: 'again.pcapng' });
    expect(() => h.call('capture.follow', { no: 1 })).toThrow(
      'frame 1 was read from a file: the lab has no record of it at other hosts',
    );
  });
});
