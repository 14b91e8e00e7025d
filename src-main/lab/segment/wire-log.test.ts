import { describe, expect, it } from 'vitest';
import { devClose } from '../netdev/dev';
import { Rig } from '../testing/rig';
import { macKey, parseMac } from '../wire/mac';
import { WIRE_COLLISION, WIRE_LOST, WIRE_OK } from './segment';
import { WIRE_IN_FLIGHT, WireLog } from './wire-log';

const BCAST = parseMac('ff:ff:ff:ff:ff:ff')!;
const GROUP = parseMac('01:00:5e:01:01:01')!;

describe('WireLog', () => {
  it('records who sent each frame, when it started and ended, and how', () => {
    const rig = new Rig();
    const [a, b] = [rig.addHost('hash64'), rig.addHost('hash64')];
    const seqs: number[] = [];
    rig.segment.taps.push((frame) => seqs.push(frame.seq));
    rig.send(a, GROUP);
    rig.run(3_000); // mid-frame: 64 bytes and the preamble take 5,760 ns
    expect(rig.segment.wireLog.find(1)).toMatchObject({ sender: 0, outcome: WIRE_IN_FLIGHT });
    expect(rig.segment.wireLog.find(1)!.endTime).toBeNaN();
    rig.run(100_000);
    rig.send(b, BCAST);
    rig.run(100_000);
    expect(seqs).toEqual([1, 2]);
    expect(rig.segment.wireLog.find(1)).toEqual({
      seq: 1,
      sender: 0,
      startTime: 0,
      // The last bit leaves a at 5,760 ns and reaches every station 500 ns later.
      endTime: 6_260,
      outcome: WIRE_OK,
      destKey: macKey(GROUP),
    });
    expect(rig.segment.wireLog.find(2)).toMatchObject({
      sender: 1,
      outcome: WIRE_OK,
      destKey: macKey(BCAST),
    });
    expect(rig.segment.wireLog.find(3)).toBeNull();
    for (const h of rig.hosts) devClose(h.nic.dev);
  });

  it('gives every attempt of a collided frame its own number, each marked a collision', () => {
    const rig = new Rig();
    const [a, b] = [rig.addHost('hash64'), rig.addHost('hash64')];
    const tapped: { seq: number; outcome: number; sender: number }[] = [];
    // The source MAC's last byte is the station's index + 1 (Rig's MACs).
    rig.segment.taps.push((frame, outcome) =>
      tapped.push({ seq: frame.seq, outcome, sender: frame.buf[11] - 1 }),
    );
    rig.send(a, BCAST);
    rig.send(b, BCAST);
    rig.run(10_000_000);
    const log = rig.segment.wireLog;
    expect(tapped.filter((t) => t.outcome === WIRE_COLLISION).length).toBeGreaterThanOrEqual(2);
    expect(
      tapped
        .filter((t) => t.outcome === WIRE_OK)
        .map((t) => t.sender)
        .sort(),
    ).toEqual([0, 1]);
    expect(new Set(tapped.map((t) => t.seq)).size).toBe(tapped.length);
    for (const t of tapped) expect(log.find(t.seq)).toMatchObject(t);
    for (const h of rig.hosts) devClose(h.nic.dev);
  });

  it('marks a frame the segment lost', () => {
    const rig = new Rig();
    const a = rig.addHost('hash64');
    rig.addHost('hash64');
    rig.segment.setFaults({ lossRate: 1 });
    rig.send(a, BCAST);
    rig.run(100_000);
    expect(rig.segment.wireLog.find(1)).toMatchObject({ sender: 0, outcome: WIRE_LOST });
    for (const h of rig.hosts) devClose(h.nic.dev);
  });

  it('keeps the last 65,536 frames and answers null for older ones and for non-numbers', () => {
    const log = new WireLog();
    for (let s = 1; s <= 70_000; s++) {
      log.begin(s, s * 10, s % 3);
      log.finish(s, s * 10 + 5, WIRE_OK, s);
    }
    expect(log.find(70_000)).toEqual({
      seq: 70_000,
      sender: 70_000 % 3,
      startTime: 700_000,
      endTime: 700_005,
      outcome: WIRE_OK,
      destKey: 70_000,
    });
    expect(log.find(70_000 - 65_535)).not.toBeNull();
    expect(log.find(70_000 - 65_536)).toBeNull();
    for (const bad of [0, -1, 1.5, NaN, 80_000]) expect(log.find(bad)).toBeNull();
  });
});
