// The `wire` event as the window receives it: through the engine's own operations (a frame step,
// a real-time run, 'max'), checked against the API's schema; and the feed on its own, run for a
// flood's worth of frames, for its bound and its updates.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventName } from '../ipc/events';
import type { RunState } from '../ipc/views';
import { wireFramesSchema, type WireFramesView } from '../ipc/wire-view';
import { buildLab } from '../lab/labfile/build';
import { parseLabSpec } from '../lab/labfile/load';
import { LabSession } from '../lab/labfile/session';
import { Engine } from './engine';
import { engineOps, type EngineOpArgs, type EngineOpName } from './engine-ops';
import { MAX_WIRE_FRAMES, WIRE_FRAMES_ALWAYS, WireFeed, wireLabel } from './wire-feed';

const labsDir = join(import.meta.dirname, '..', '..', 'resources', 'labs');
const labText = readFileSync(join(labsDir, 'hash-collisions.yaml'), 'utf8');
const noSockets = () => null;

function engineHarness() {
  const wire: WireFramesView[] = [];
  const engine = new Engine((event: EventName, data: unknown) => {
    if (event === 'wire') wire.push(wireFramesSchema.parse(data));
  });
  const call = <K extends EngineOpName>(op: K, args: EngineOpArgs<K>) =>
    engineOps[op].result.parse(engine.handle(op, engineOps[op].args.parse(args) as never));
  call('lab.load', { text: labText, fileName: 'hash-collisions.yaml' });
  return { engine, call, wire, last: () => wire[wire.length - 1] };
}

function labOf(text: string) {
  const parsed = parseLabSpec(text, 'lab.yaml');
  if (parsed.errors) throw new Error(JSON.stringify(parsed.errors));
  return new LabSession(buildLab(parsed.spec)).lab;
}

describe('the wire event after a frame step', () => {
  it('lists the stepped frame, ended, with its label and every station’s verdict', () => {
    const h = engineHarness();
    // The flood starts 1 ms in; until then the hosts announce themselves (ARP, IGMP).
    let push: WireFramesView;
    let run: RunState;
    do {
      run = h.call('run.step', { unit: 'frame' }) as RunState;
      push = h.last();
    } while (!push.frames.some((f) => f.summary === 'NETLAB 239.1.1.24') && run.simTimeNs < 5e6);
    const flood = push.frames.find((f) => f.summary === 'NETLAB 239.1.1.24')!;
    expect(flood).toMatchObject({
      sender: 'h0:eth0',
      outcome: 'ok',
      protocol: 'NETLAB',
      // The step ends as the frame's last bit has passed every station.
      endNs: run.simTimeNs,
    });
    expect(flood.info).toContain('5000');
    const at = (station: string) => flood.stations.find((s) => s.station === station)!;
    expect(at('h0:eth0')).toMatchObject({ verdict: 'sent' });
    // h1's hash filter lets 239.1.1.24 in (bin 4 is 239.1.1.1's too); its kernel drops it.
    expect(at('h1:eth0')).toMatchObject({ verdict: 'dropped', fate: 'group not joined' });
    // h2's perfect filter keeps it out.
    expect(at('h2:eth0')).toMatchObject({ verdict: 'filtered', fate: 'hardware filter' });
    expect(at('h2:eth0').detail).toContain('no perfect-filter entry for 01:00:5e:01:01:18');
    expect(push.skipped).toBe(0);
    h.engine.close();
  });

  it('a collision: each collider’s attempt, ended, the others missed it; counted in the interval', () => {
    const h = engineHarness();
    // The hosts boot apart, so the lab opens without collisions: past their boot, h1 and h2
    // ping at the same nanosecond (h0 floods), and their ARP requests collide.
    while ((h.call('run.state', {}) as RunState).simTimeNs < 300_000)
      h.call('run.step', { unit: 'frame' });
    h.call('shell.exec', { host: 'h2', line: 'ping -c 1 10.0.0.9' });
    h.call('shell.exec', { host: 'h1', line: 'ping -c 1 10.0.0.9' });
    let push: WireFramesView;
    let steps = 0;
    do {
      h.call('run.step', { unit: 'frame' });
      push = h.last();
    } while (push.collisions === 0 && ++steps < 10);
    expect(push.collisions).toBe(1);
    expect(push.frames.map((f) => [f.sender, f.outcome])).toEqual([
      ['h2:eth0', 'collision'],
      ['h1:eth0', 'collision'],
    ]);
    for (const f of push.frames) {
      for (const s of f.stations)
        expect(s.verdict).toBe(s.station === f.sender ? 'sent' : 'missed');
      expect(f.endNs).toBe(push.simTimeNs);
    }
    h.engine.close();
  });

  it('a frame step stops at a frame ending on any segment: a router’s copy on lan2', () => {
    const h = engineHarness();
    h.call('lab.load', {
      text: readFileSync(join(labsDir, 'router-ttl.yaml'), 'utf8'),
      fileName: 'router-ttl.yaml',
    });
    h.call('shell.exec', { host: 'r', line: 'sysctl -w net.ipv4.ip_forward=1' });
    const endedOn = (push: WireFramesView, at: number) => [
      ...(push.frames.some((f) => f.endNs === at) ? ['first'] : []),
      ...(push.others ?? [])
        .filter((o) => o.frames.some((f) => f.endNs === at))
        .map((o) => o.segment),
    ];
    let lan2Steps = 0;
    for (let i = 0; i < 200 && lan2Steps < 3; i++) {
      const run = h.call('run.step', { unit: 'frame' }) as RunState & { frameEnded: boolean };
      expect(run.frameEnded).toBe(true);
      // Every frame step ends a frame somewhere, and steps stop on lan2's frames alone too.
      const where = endedOn(h.last(), run.simTimeNs);
      expect(where.length).toBeGreaterThan(0);
      if (where.length === 1 && where[0] === 'lan2') lan2Steps++;
    }
    expect(lan2Steps).toBe(3);
    h.engine.close();
  });

  it('a step event shows a frame in flight, and the next push its end', () => {
    const h = engineHarness();
    let push: WireFramesView;
    do {
      h.call('run.step', { unit: 'event' });
      push = h.last();
    } while (push.frames.length === 0);
    expect(push.frames[0]).toMatchObject({ outcome: 'in flight', endNs: null });
    expect(push.frames[0].summary).not.toBe('');
    expect(push.frames[0].stations.filter((s) => s.verdict === 'pending')).toHaveLength(2);
    const seq = push.frames[0].seq;
    h.call('run.step', { unit: 'frame' });
    const again = h.last().frames.find((f) => f.seq === seq);
    expect(again?.outcome).not.toBe('in flight');
    expect(again?.endNs).not.toBeNull();
    h.engine.close();
  });

  it('at max speed lists no frame and keeps no tap on the segment', async () => {
    const h = engineHarness();
    const seg = (h.engine as unknown as { state: { lab: { segment: { taps: unknown[] } } } }).state
      .lab.segment;
    const tapsPaused = seg.taps.length;
    h.call('run.start', { speed: 'max' });
    expect(seg.taps.length).toBe(tapsPaused - 1);
    const before = h.wire.length;
    const start = Date.now();
    while (h.wire.length < before + 2 && Date.now() - start < 10_000)
      await new Promise((r) => setTimeout(r, 20));
    h.call('run.pause', {});
    const running = h.wire.slice(before, -1);
    expect(running.length).toBeGreaterThan(0);
    for (const push of running) {
      expect(push.frames).toEqual([]);
      expect(push.skipped).toBe(push.begun);
    }
    expect(running.some((p) => p.begun > 0 && p.utilisation > 0)).toBe(true);
    expect(seg.taps.length).toBe(tapsPaused);
    h.engine.close();
  });
});

describe('WireFeed', () => {
  it('lists the last 64 frames begun, and counts the rest as skipped', () => {
    const lab = labOf(labText);
    const feed = new WireFeed(lab);
    feed.detailed = true;
    lab.sched.runUntil(30.05e6); // the flood: 10,000 frames a second from 1 ms
    const push = feed.push(noSockets, Infinity);
    const newest = lab.segment.lastFrameSeq;
    expect(push.begun).toBe(newest);
    expect(push.begun).toBeGreaterThan(200);
    expect(push.frames).toHaveLength(MAX_WIRE_FRAMES);
    expect(push.frames.map((f) => f.seq)).toEqual(
      Array.from({ length: MAX_WIRE_FRAMES }, (_, i) => newest - MAX_WIRE_FRAMES + 1 + i),
    );
    expect(push.skipped).toBe(newest - MAX_WIRE_FRAMES);
    expect(push.frames.every((f) => f.summary !== '')).toBe(true);
    expect(push).toMatchObject({ sinceNs: 0, simTimeNs: 30.05e6 });
    // The flood's 18-byte datagrams: 84 bytes of wire time (with the gap) every 100 µs.
    expect(push.utilisation).toBeGreaterThan(0.05);
    expect(push.utilisation).toBeLessThan(0.07);
    // The next push covers only what came after.
    lab.sched.runUntil(30.55e6);
    const next = feed.push(noSockets, Infinity);
    expect(next.sinceNs).toBe(30.05e6);
    expect(next.begun).toBe(5);
    expect(next.frames.map((f) => f.seq)).toEqual([1, 2, 3, 4, 5].map((i) => newest + i));
    expect(next.skipped).toBe(0);
  });

  it('lists fewer when out of time: the newest first, and at least the newest 8', () => {
    const lab = labOf(labText);
    const feed = new WireFeed(lab);
    feed.detailed = true;
    lab.sched.runUntil(10.05e6);
    const push = feed.push(noSockets, 0);
    const newest = lab.segment.lastFrameSeq;
    expect(push.frames.map((f) => f.seq)).toEqual(
      Array.from({ length: WIRE_FRAMES_ALWAYS }, (_, i) => newest - WIRE_FRAMES_ALWAYS + 1 + i),
    );
    expect(push.skipped).toBe(push.begun - WIRE_FRAMES_ALWAYS);
  });

  it('a running interval too dense to draw lists no new frame, but updates listed ones', () => {
    const lab = labOf(labText);
    const feed = new WireFeed(lab);
    feed.detailed = true;
    lab.sched.runUntil(1e6 + 3000); // the first flood frame is half sent
    const sending = feed.push(noSockets, Infinity).frames.at(-1)!;
    expect(sending.outcome).toBe('in flight');
    // 10,000 frames a second: at 1× far more than the window draws one by one…
    lab.sched.runUntil(11e6);
    const dense = feed.push(noSockets, Infinity, 1);
    expect(dense.begun).toBeGreaterThan(90);
    expect(dense.skipped).toBe(dense.begun);
    expect(dense.frames.map((f) => [f.seq, f.outcome])).toEqual([[sending.seq, 'ok']]);
    // …at 0.001× ten a wall second: each one is drawn, so listed.
    lab.sched.runUntil(11.5e6);
    const slow = feed.push(noSockets, Infinity, 0.001);
    expect(slow.begun).toBe(5);
    expect(slow.frames).toHaveLength(5);
    expect(slow.skipped).toBe(0);
  });

  it('frames sent while not detailed are counted, not listed, and have no bytes kept', () => {
    const lab = labOf(labText);
    const feed = new WireFeed(lab);
    const taps = lab.segment.taps.length;
    lab.sched.runUntil(2e6);
    const quiet = feed.push(noSockets);
    expect(quiet.frames).toEqual([]);
    expect(quiet.skipped).toBe(quiet.begun);
    feed.detailed = true;
    expect(lab.segment.taps).toHaveLength(taps + 1);
    lab.sched.runUntil(2.2e6);
    const push = feed.push(noSockets);
    expect(push.begun).toBe(2);
    expect(push.frames).toHaveLength(2);
    feed.close();
    expect(lab.segment.taps).toHaveLength(taps);
  });

  it('lists a frame again while its fate moves on: in flight, then ended', () => {
    const lab = labOf(labText);
    const feed = new WireFeed(lab);
    feed.detailed = true;
    lab.sched.runUntil(1e6 + 3000); // the first flood frame is half sent
    const first = feed.push(noSockets);
    const sending = first.frames[first.frames.length - 1];
    expect(sending).toMatchObject({ outcome: 'in flight', summary: 'NETLAB 239.1.1.24' });
    lab.sched.runUntil(1e6 + 10_000);
    const next = feed.push(noSockets);
    expect(next.begun).toBe(0);
    expect(next.frames.map((f) => [f.seq, f.outcome])).toEqual([[sending.seq, 'ok']]);
    // Settled: not listed again.
    lab.sched.runUntil(1e6 + 20_000);
    expect(feed.push(noSockets).frames).toEqual([]);
  });
});

describe('wireLabel', () => {
  it('names a frame by protocol and destination, and ARP by what it asks or says', () => {
    expect(wireLabel({ protocol: 'NETLAB', destination: '239.1.1.24', info: '' })).toBe(
      'NETLAB 239.1.1.24',
    );
    expect(
      wireLabel({
        protocol: 'ARP',
        destination: 'Broadcast',
        info: 'Who has 10.0.0.3? Tell 10.0.0.1',
      }),
    ).toBe('ARP who-has 10.0.0.3');
    expect(
      wireLabel({ protocol: 'ARP', destination: 'x', info: '10.0.0.3 is at 02:00:00:00:00:03' }),
    ).toBe('ARP 10.0.0.3 is-at');
    expect(
      wireLabel({
        protocol: 'ARP',
        destination: 'Broadcast',
        info: 'ARP Announcement for 10.0.0.1',
      }),
    ).toBe('ARP announce 10.0.0.1');
    expect(wireLabel({ protocol: 'Ethernet', destination: '', info: '' })).toBe('Ethernet');
  });
});
