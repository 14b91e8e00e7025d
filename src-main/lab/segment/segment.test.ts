import { describe, expect, it, vi } from 'vitest';
import { PhyFrame, TX_OK, type MacPort } from '../drivers/phy';
import { devChangeFlags, devGetFlags, devOpen } from '../netdev/dev';
import { IFF_PROMISC, IFF_RUNNING, IFF_UP } from '../netdev/flags';
import type { Rng } from '../sim/rng';
import { Scheduler } from '../sim/scheduler';
import type { SkBuff } from '../skb/sk-buff';
import { ETH_P_EXPERIMENTAL, Rig, type RigHost } from '../testing/rig';
import { crc32 } from '../wire/crc32';
import { EthernetView } from '../wire/ethernet';
import { parseMac } from '../wire/mac';
import {
  Segment,
  WIRE_COLLISION,
  WIRE_CORRUPTED,
  WIRE_LOST,
  WIRE_OK,
  type Duplex,
  type SegmentConfig,
} from './segment';
import { ST_IDLE } from './station';

const mac = (s: string) => parseMac(s)!;
const BCAST = mac('ff:ff:ff:ff:ff:ff');
/** The CRC-32 of any frame followed by its own (correct) FCS. */
const CRC32_RESIDUE = 0x2144df1c;

/** One frame as a tap saw it. */
interface Tapped {
  seq: number;
  /** When the tap saw it: delivery time for whole frames, jam end for fragments. */
  t: number;
  outcome: number;
  len: number;
  /** Last byte of the source MAC: host index + 1. */
  src: number;
  start: number;
  bytes: Uint8Array;
}

function tapAll(rig: Rig): Tapped[] {
  const log: Tapped[] = [];
  rig.segment.taps.push((frame, outcome, wireLen) =>
    log.push({
      seq: frame.seq,
      t: rig.sched.now,
      outcome,
      len: wireLen,
      src: frame.buf[11],
      start: frame.startTime,
      bytes: frame.buf.slice(0, wireLen),
    }),
  );
  return log;
}

const src = (h: RigHost) => h.nic.dev.devAddr[5];
const ok = (log: Tapped[]) => log.filter((f) => f.outcome === WIRE_OK);
const fragments = (log: Tapped[]) => log.filter((f) => f.outcome === WIRE_COLLISION);

/** Replaces a host's stack with one that records when each frame was received. */
function rxTimes(h: RigHost): number[] {
  const times: number[] = [];
  h.nic.dev.rxHandler = (skb: SkBuff) => {
    times.push(skb.tstamp);
    skb.free();
  };
  return times;
}

/** The frame as the MAC puts it on the wire: padded to 60 bytes, then the FCS, LSB first. */
function wireFrame(dest: Uint8Array, from: RigHost, payload: number, fill: number): Uint8Array {
  const len = Math.max(14 + payload, 60);
  const f = new Uint8Array(len + 4);
  EthernetView.write(f, 0, dest, from.nic.dev.devAddr, ETH_P_EXPERIMENTAL);
  f.fill(fill, 14, 14 + payload);
  const fcs = crc32(f, 0, len);
  f.set([fcs & 0xff, (fcs >>> 8) & 0xff, (fcs >>> 16) & 0xff, fcs >>> 24], len);
  return f;
}

function bitsDiffering(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) for (let x = a[i] ^ b[i]; x; x &= x - 1) n++;
  return n;
}

/** The segment's own RNG, to pin its backoff draws in a test. */
const rngOf = (s: Segment) => (s as unknown as { rng: Rng }).rng;

function closeAll(rig: Rig): void {
  rig.teardown();
  expect(rig.pool.outstanding).toBe(0);
}

function promisc(h: RigHost): void {
  expect(devChangeFlags(h.nic.dev, h.nic.dev.flags | IFF_PROMISC)).toBe(0);
}

class FakeMac implements MacPort {
  readonly rx: number[] = [];
  readonly done: [number, number][] = [];
  readonly carrier: boolean[] = [];
  constructor(readonly name: string) {}
  receive(frame: PhyFrame): void {
    this.rx.push(frame.seq);
  }
  txDone(status: number, collisions: number): void {
    this.done.push([status, collisions]);
  }
  carrierChanged(on: boolean): void {
    this.carrier.push(on);
  }
}

describe('timing on the wire', () => {
  it.each([
    [10e6, 57_600, 51_200],
    [100e6, 5_760, 5_120],
    [1e9, 576, 4_096], // gigabit half duplex: the 4096-bit slot
  ])('at %d bit/s a 64-byte frame takes %d ns plus the propagation delay', (bitRate, ns, slot) => {
    const rig = new Rig({ bitRate });
    const a = rig.addHost('nofilter');
    const b = rig.addHost('nofilter');
    const times = rxTimes(b);
    const log = tapAll(rig);
    expect(rig.segment.frameNs(64)).toBe(ns);
    expect(rig.segment.slotNs).toBe(slot);
    rig.send(a, b.nic.dev.devAddr, 46);
    rig.run(1_000_000);
    // (64 bytes + 8 of preamble and SFD) * 8 bits, then 500 ns until the last bit reaches b.
    expect(times).toEqual([ns + 500]);
    expect(log.map(({ seq, t, outcome, len, start }) => ({ seq, t, outcome, len, start }))).toEqual(
      [{ seq: 1, t: ns + 500, outcome: WIRE_OK, len: 64, start: 0 }],
    );
    expect(rig.segment.stats).toMatchObject({ frames: 1, bytes: 64, deliveries: 1, busyNs: ns });
    closeAll(rig);
  });

  it('spaces back-to-back frames of one sender by frame time + 96-bit gap: 148,809 frames/s', () => {
    const rig = new Rig();
    const a = rig.addHost('nofilter');
    const b = rig.addHost('nofilter');
    const times = rxTimes(b);
    const log = tapAll(rig);
    const n = 100; // more than the TX ring: the qdisc refills it as it drains
    for (let i = 0; i < n; i++) rig.send(a, b.nic.dev.devAddr, 46);
    rig.run(10_000_000);
    expect(log.map((f) => f.start)).toEqual(Array.from({ length: n }, (_, i) => i * 6_720));
    expect(times).toEqual(Array.from({ length: n }, (_, i) => 6_260 + i * 6_720));
    expect(Math.floor(1e9 / (log[1].start - log[0].start))).toBe(148_809);
    expect(a.nic.stats).toMatchObject({ tx_packets: n, collisions: 0, tx_errors: 0 });
    expect(rig.segment.stats.collisions).toBe(0);
    closeAll(rig);
  });

  it('spaces full-size frames by 1526 bytes of frame and preamble plus the gap', () => {
    const rig = new Rig();
    const a = rig.addHost('nofilter');
    const b = rig.addHost('nofilter');
    const log = tapAll(rig);
    for (let i = 0; i < 10; i++) rig.send(a, b.nic.dev.devAddr, 1500);
    rig.run(10_000_000);
    expect(log.every((f) => f.len === 1518 && f.outcome === WIRE_OK)).toBe(true);
    expect(log.map((f) => f.start)).toEqual(Array.from({ length: 10 }, (_, i) => i * 123_040));
    expect(b.received.map((f) => f.length)).toEqual(Array(10).fill(1514));
    closeAll(rig);
  });
});

describe('padding and FCS', () => {
  it('pads a short frame to 60 bytes and appends the IEEE CRC-32; the receiver gets 60 bytes', () => {
    const rig = new Rig();
    const a = rig.addHost('nofilter');
    const b = rig.addHost('nofilter');
    const log = tapAll(rig);
    rig.send(a, b.nic.dev.devAddr, 10, 0xab);
    rig.run(1_000_000);
    expect(log).toHaveLength(1);
    const f = log[0].bytes;
    expect(log[0].len).toBe(64);
    expect(f.subarray(14, 24).every((x) => x === 0xab)).toBe(true);
    expect(f.subarray(24, 60).every((x) => x === 0)).toBe(true);
    const fcs = crc32(f, 0, 60);
    expect(Array.from(f.subarray(60, 64))).toEqual([
      fcs & 0xff,
      (fcs >>> 8) & 0xff,
      (fcs >>> 16) & 0xff,
      fcs >>> 24,
    ]);
    expect(crc32(f, 0, 64)).toBe(CRC32_RESIDUE);
    expect(f).toEqual(wireFrame(b.nic.dev.devAddr, a, 10, 0xab));
    // The FCS is stripped on receive; the padding is not (the MAC cannot tell it from data).
    expect(b.received).toHaveLength(1);
    expect(b.received[0]).toEqual(f.subarray(0, 60));
    expect(b.nic.stats).toMatchObject({ rx_packets: 1, rx_bytes: 60, rx_errors: 0 });
    expect(rig.segment.stats.bytes).toBe(64);
    closeAll(rig);
  });

  it('does not pad a frame already long enough', () => {
    const rig = new Rig();
    const a = rig.addHost('nofilter');
    const b = rig.addHost('nofilter');
    const log = tapAll(rig);
    rig.send(a, BCAST, 100, 7);
    rig.run(1_000_000);
    expect(log[0].len).toBe(118);
    expect(log[0].bytes).toEqual(wireFrame(BCAST, a, 100, 7));
    expect(b.received[0]).toEqual(log[0].bytes.subarray(0, 114));
    closeAll(rig);
  });
});

describe('CSMA/CD: deferral', () => {
  it('a station that hears the carrier waits for the frame to pass and a gap: no collision', () => {
    const rig = new Rig();
    const [a, b, c] = [rig.addHost('nofilter'), rig.addHost('nofilter'), rig.addHost('nofilter')];
    const log = tapAll(rig);
    rig.send(a, BCAST);
    rig.run(2_000);
    rig.send(b, BCAST);
    rig.run(1_000_000);
    expect(log.map(({ src: s, start, t, outcome }) => ({ s, start, t, outcome }))).toEqual([
      { s: src(a), start: 0, t: 6_260, outcome: WIRE_OK },
      // a's last bit passes b at 6260; b waits 960 ns of gap, then sends.
      { s: src(b), start: 7_220, t: 13_480, outcome: WIRE_OK },
    ]);
    expect(rig.segment.stats.collisions).toBe(0);
    for (const h of [a, b]) expect(h.nic.stats).toMatchObject({ tx_packets: 1, collisions: 0 });
    expect(c.received).toHaveLength(2);
    closeAll(rig);
  });

  it('carrier is heard the moment it arrives: only a station that starts before that collides', () => {
    const outcome = (at: number) => {
      const rig = new Rig();
      const a = rig.addHost('nofilter');
      const b = rig.addHost('nofilter');
      rig.send(a, BCAST);
      rig.run(at);
      rig.send(b, BCAST);
      rig.run(1_000_000);
      expect(a.nic.stats.tx_packets + b.nic.stats.tx_packets).toBe(2);
      return rig.segment.stats.collisions > 0 ? 'collides' : 'defers';
    };
    // a's signal reaches b 500 ns after a began.
    expect(outcome(499)).toBe('collides');
    expect(outcome(500)).toBe('defers');
    expect(outcome(700)).toBe('defers');
  });

  it('a station that wants to send just after the carrier dropped still waits the gap', () => {
    const rig = new Rig();
    const a = rig.addHost('nofilter');
    const b = rig.addHost('nofilter');
    const log = tapAll(rig);
    rig.send(a, BCAST);
    rig.run(6_300); // a's frame passed b at 6260
    rig.send(b, BCAST);
    rig.run(1_000_000);
    expect(log.map((f) => [f.src, f.start])).toEqual([
      [src(a), 0],
      [src(b), 7_220],
    ]);
    closeAll(rig);
  });

  it('carrier arriving in the last third of the gap does not stop a waiting station', () => {
    const rig = new Rig();
    const a = rig.addHost('nofilter');
    const b = rig.addHost('nofilter');
    const log = tapAll(rig);
    rig.send(a, BCAST);
    rig.send(a, BCAST);
    rig.run(2_000);
    rig.send(b, BCAST); // defers to a's first frame
    rig.run(6_200); // to 8200 ns
    // a, the last sender, starts its next frame a gap after its own end (6720); that
    // reaches b at 7220, exactly as b's gap after the carrier drop (6260) ends: b sends too.
    expect(
      log.map(({ src: s, start, t, outcome, len }) => ({ s, start, t, outcome, len })),
    ).toEqual([
      { s: src(a), start: 0, t: 6_260, outcome: WIRE_OK, len: 64 },
      // a hears b at 7720 and jams 32 bits: 8 bytes of frame went out after the preamble.
      { s: src(a), start: 6_720, t: 8_040, outcome: WIRE_COLLISION, len: 8 },
      // b hears a at once, during its preamble: it completes the preamble, then jams.
      { s: src(b), start: 7_220, t: 8_180, outcome: WIRE_COLLISION, len: 4 },
    ]);
    expect(rig.segment.stats.collisions).toBe(1);
    rig.run(10_000_000);
    expect(a.nic.stats.tx_packets).toBe(2);
    expect(b.nic.stats.tx_packets).toBe(1);
    expect(a.nic.stats.collisions + b.nic.stats.collisions).toBeGreaterThanOrEqual(2);
    closeAll(rig);
  });
});

describe('CSMA/CD: collisions and backoff', () => {
  it('two stations starting together collide, jam, back off and both get through', () => {
    const rig = new Rig();
    const a = rig.addHost('nofilter');
    const b = rig.addHost('nofilter');
    const c = rig.addHost('nofilter');
    const log = tapAll(rig);
    rig.send(a, BCAST, 46, 1);
    rig.send(b, BCAST, 46, 2);
    rig.run(1_000);
    // Each hears the other 500 ns in, still in its preamble (640 ns): it finishes the
    // preamble, jams 32 bits and stops at 960 ns, leaving a 96-bit fragment.
    expect(log.map(({ seq, t, outcome, len, src: s }) => ({ seq, t, outcome, len, s }))).toEqual([
      { seq: 1, t: 960, outcome: WIRE_COLLISION, len: 4, s: src(a) },
      { seq: 2, t: 960, outcome: WIRE_COLLISION, len: 4, s: src(b) },
    ]);
    expect(rig.segment.stats.collisions).toBe(1);
    rig.run(10_000_000);
    for (const h of [a, b]) {
      expect(h.nic.stats).toMatchObject({ tx_packets: 1, tx_errors: 0 });
      expect(h.nic.stats.collisions).toBeGreaterThanOrEqual(1);
    }
    // Every collision here is between the two of them, and each counts its own.
    expect(a.nic.stats.collisions).toBe(rig.segment.stats.collisions);
    expect(b.nic.stats.collisions).toBe(rig.segment.stats.collisions);
    expect(fragments(log)).toHaveLength(2 * rig.segment.stats.collisions);
    expect(fragments(log).every((f) => f.len < 64)).toBe(true);
    expect(
      ok(log)
        .map((f) => f.src)
        .sort(),
    ).toEqual([src(a), src(b)]);
    // Nothing of the fragments reaches a stack.
    expect(a.received.map((f) => f[14])).toEqual([2]);
    expect(b.received.map((f) => f[14])).toEqual([1]);
    expect(c.received.map((f) => f[14]).sort()).toEqual([1, 2]);
    expect(rig.segment.stats).toMatchObject({ frames: 2, deliveries: 4 });
    closeAll(rig);
  });

  it('retries after the drawn number of slot times', () => {
    const rig = new Rig();
    const a = rig.addHost('nofilter');
    const b = rig.addHost('nofilter');
    const log = tapAll(rig);
    const draw = vi.spyOn(rngOf(rig.segment), 'int');
    draw.mockReturnValueOnce(1).mockReturnValueOnce(0); // a waits one slot, b none
    rig.send(a, BCAST);
    rig.send(b, BCAST);
    rig.run(10_000_000);
    expect(draw.mock.calls).toEqual([[2], [2]]); // after the first collision: 0 or 1 slot
    // b: jam ends at 960, the group's tail passes at 1460, a gap later it sends.
    // a: its slot (5120 ns) ends at 6080 with b on the wire; it defers to b's end + gap.
    expect(ok(log).map(({ src: s, start, t }) => ({ s, start, t }))).toEqual([
      { s: src(b), start: 2_420, t: 8_680 },
      { s: src(a), start: 9_640, t: 15_900 },
    ]);
    expect(a.nic.stats.collisions).toBe(1);
    expect(b.nic.stats.collisions).toBe(1);
    closeAll(rig);
  });

  it('a collision of three is one collision event, and each of the three counts it', () => {
    const rig = new Rig();
    const hosts = [rig.addHost('nofilter'), rig.addHost('nofilter'), rig.addHost('nofilter')];
    const log = tapAll(rig);
    for (const h of hosts) rig.send(h, BCAST);
    rig.run(1_000);
    expect(fragments(log)).toHaveLength(3);
    expect(rig.segment.stats.collisions).toBe(1);
    rig.run(100_000_000);
    for (const h of hosts) expect(h.nic.stats.tx_packets).toBe(1);
    const nicCollisions = hosts.reduce((n, h) => n + h.nic.stats.collisions, 0);
    expect(nicCollisions).toBe(fragments(log).length);
    closeAll(rig);
  });

  it('gives a frame up after 16 collisions: tx_aborted_errors, with a doubling backoff range', () => {
    const rig = new Rig();
    const a = rig.addHost('nofilter');
    const b = rig.addHost('nofilter');
    const log = tapAll(rig);
    // Both always draw 0 slots, so they meet again at every attempt.
    const draw = vi.spyOn(rngOf(rig.segment), 'int').mockReturnValue(0);
    rig.send(a, BCAST, 46, 1);
    rig.send(a, BCAST, 46, 2);
    rig.send(b, BCAST, 46, 3);
    rig.run(37_259);
    expect(a.nic.stats.tx_aborted_errors).toBe(0);
    rig.run(1); // the 16th jam ends 15 rounds of 2420 ns after the first
    for (const h of [a, b]) {
      expect(h.nic.stats).toMatchObject({
        tx_packets: 0,
        tx_errors: 1,
        tx_aborted_errors: 1,
        collisions: 16,
      });
    }
    expect(rig.segment.stats).toMatchObject({ collisions: 16, aborted: 2, frames: 0 });
    expect(fragments(log)).toHaveLength(32);
    expect(fragments(log).at(-1)!.t).toBe(37_260);
    // Backoff draws from [0, 2^k) with k = min(attempts, 10), for 15 retries each.
    const ranges = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 1024, 1024, 1024, 1024, 1024];
    expect(draw.mock.calls.map(([n]) => n)).toEqual(ranges.flatMap((n) => [n, n]));
    // a's next frame starts with a clean slate.
    rig.run(1_000_000);
    expect(a.nic.stats).toMatchObject({ tx_packets: 1, tx_aborted_errors: 1, collisions: 16 });
    expect(ok(log).map((f) => [f.src, f.t])).toEqual([[src(a), 44_980]]);
    expect(b.received.map((f) => f[14])).toEqual([2]);
    closeAll(rig);
  });

  it('heavy contention: every frame is sent or aborted, and the books agree', () => {
    const rig = new Rig();
    rig.record = false;
    const hosts = Array.from({ length: 8 }, () => rig.addHost('nofilter'));
    const log = tapAll(rig);
    const n = 200;
    for (let i = 0; i < n; i++) for (const h of hosts) expect(rig.send(h, BCAST)).toBe(0);
    rig.run(1_000_000_000);
    const seg = rig.segment.stats;
    let sent = 0;
    let aborted = 0;
    let nicCollisions = 0;
    for (const h of hosts) {
      const s = h.nic.stats;
      expect(s.tx_packets + s.tx_aborted_errors).toBe(n);
      expect(s.tx_errors).toBe(s.tx_aborted_errors);
      expect(s.tx_window_errors + s.tx_carrier_errors).toBe(0);
      sent += s.tx_packets;
      aborted += s.tx_aborted_errors;
      nicCollisions += s.collisions;
    }
    expect(seg.collisions).toBeGreaterThan(0);
    expect(seg.frames).toBe(sent);
    expect(seg.aborted).toBe(aborted);
    expect(ok(log)).toHaveLength(sent);
    // Each collision event takes at least two stations, each counting it once.
    expect(nicCollisions).toBe(fragments(log).length);
    expect(nicCollisions).toBeGreaterThanOrEqual(2 * seg.collisions);
    for (const h of hosts) {
      // Each station receives every frame but its own that got through.
      expect(h.nic.stats.rx_packets).toBe(sent - h.nic.stats.tx_packets);
    }
    expect(seg.deliveries).toBe(7 * sent);
    expect(seg.busyNs).toBeLessThanOrEqual(rig.sched.now);
    expect(rig.segment.stations.every((st) => st.state === ST_IDLE && st.frame === null)).toBe(
      true,
    );
    closeAll(rig);
  });
});

describe('CSMA/CD: segments too long for the slot time', () => {
  it('a collision heard after the first slot is late: tx_window_errors, no retry', () => {
    const rig = new Rig({ delay: 4_000 }); // a round trip of 8 us against a 5.12 us slot
    const a = rig.addHost('nofilter');
    const b = rig.addHost('nofilter');
    const log = tapAll(rig);
    rig.send(a, BCAST, 500, 1);
    rig.run(3_900); // a's signal has not reached b yet
    rig.send(b, BCAST, 500, 2);
    rig.run(100_000_000);
    // b hears a 100 ns in and retries; a hears b 7.9 us in, past the slot.
    expect(a.nic.stats).toMatchObject({
      tx_packets: 0,
      tx_errors: 1,
      tx_window_errors: 1,
      tx_aborted_errors: 0,
      collisions: 1,
    });
    expect(b.nic.stats).toMatchObject({ tx_packets: 1, tx_errors: 0, collisions: 1 });
    expect(rig.segment.stats).toMatchObject({ collisions: 1, lateCollisions: 1, frames: 1 });
    expect(log.map(({ src: s, t, outcome, len }) => ({ s, t, outcome, len }))).toEqual([
      { s: src(b), t: 4_860, outcome: WIRE_COLLISION, len: 4 },
      { s: src(a), t: 8_220, outcome: WIRE_COLLISION, len: 94 },
      // The group's tail passes at 12220; b sends a gap later; 42.08 us + 4 us to arrive.
      { s: src(b), t: 59_260, outcome: WIRE_OK, len: 518 },
    ]);
    expect(a.received.map((f) => f[14])).toEqual([2]);
    expect(b.received).toHaveLength(0);
    closeAll(rig);
  });

  it('on the same segment, a collision heard within the slot is an ordinary one', () => {
    const rig = new Rig({ delay: 4_000 });
    const a = rig.addHost('nofilter');
    const b = rig.addHost('nofilter');
    rig.send(a, BCAST, 500);
    rig.run(1_000); // a will hear b 5000 ns in: inside the 5120 ns slot
    rig.send(b, BCAST, 500);
    rig.run(100_000_000);
    expect(rig.segment.stats.lateCollisions).toBe(0);
    for (const h of [a, b]) expect(h.nic.stats).toMatchObject({ tx_packets: 1, tx_errors: 0 });
    closeAll(rig);
  });

  it('frames shorter than the delay collide unheard: the senders never learn, the wire recovers', () => {
    const rig = new Rig({ delay: 10_000 });
    const [a, b, c] = [rig.addHost('nofilter'), rig.addHost('nofilter'), rig.addHost('nofilter')];
    const log = tapAll(rig);
    rig.send(a, BCAST, 46, 1);
    rig.run(100);
    rig.send(b, BCAST, 46, 2);
    rig.run(20_000);
    // Both frames ended before either sender could hear the other: both think they were sent.
    expect(log.map(({ src: s, t, outcome, len }) => ({ s, t, outcome, len }))).toEqual([
      { s: src(a), t: 5_760, outcome: WIRE_COLLISION, len: 64 },
      { s: src(b), t: 5_860, outcome: WIRE_COLLISION, len: 64 },
    ]);
    for (const h of [a, b]) expect(h.nic.stats).toMatchObject({ tx_packets: 1, collisions: 0 });
    expect(rig.segment.stats).toMatchObject({ collisions: 1, frames: 0, deliveries: 0 });
    expect(rig.segment.stations.every((st) => st.state === ST_IDLE)).toBe(true);
    // The medium is free again.
    rig.send(c, BCAST, 46, 3);
    rig.run(1_000_000);
    expect(ok(log).map((f) => [f.src, f.t])).toEqual([[src(c), 20_100 + 5_760 + 10_000]]);
    expect(a.received.map((f) => f[14])).toEqual([3]);
    expect(b.received.map((f) => f[14])).toEqual([3]);
    closeAll(rig);
  });
});

describe('robustness', () => {
  it('at any rate and delay, every frame completes exactly once and the medium drains', () => {
    for (const bitRate of [10e6, 100e6, 1e9]) {
      for (const delay of [0, 1, 500, 2_560, 4_000, 7_000, 30_000, 1e6]) {
        const rig = new Rig({ bitRate, delay });
        rig.record = false;
        const hosts = Array.from({ length: 5 }, () => rig.addHost('nofilter'));
        const n = 30;
        let k = 0;
        for (let i = 0; i < n; i++)
          for (const h of hosts) rig.send(h, BCAST, 10 + ((k++ * 37) % 1400));
        rig.run(20e9);
        const seg = rig.segment;
        const at = `${bitRate} bit/s, ${delay} ns`;
        let sent = 0;
        let late = 0;
        for (const h of hosts) {
          const s = h.nic.stats;
          expect(s.tx_packets + s.tx_errors, at).toBe(n);
          expect(s.tx_errors, at).toBe(s.tx_aborted_errors + s.tx_window_errors);
          expect(s.rx_packets, at).toBeLessThanOrEqual(seg.stats.frames);
          sent += s.tx_packets;
          late += s.tx_window_errors;
        }
        expect(late, at).toBe(seg.stats.lateCollisions);
        expect(
          seg.stations.every((st) => st.state === ST_IDLE && st.frame === null),
          at,
        ).toBe(true);
        expect(rig.sched.pending, at).toBe(0);
        // While a minimum frame outlasts the round trip, every collision is heard, so every
        // frame a sender counts as sent was sent cleanly. (Beyond that, see the test above.)
        if (2 * delay + 32 * seg.bitNs < seg.frameNs(64)) expect(seg.stats.frames, at).toBe(sent);
        closeAll(rig);
      }
    }
  });
});

describe('fault injection', () => {
  it('a bit error fails every receiver’s FCS check: rx_crc_errors, nothing reaches the stack', () => {
    const rig = new Rig();
    const [a, b, c] = [rig.addHost('nofilter'), rig.addHost('hash64'), rig.addHost('perfect')];
    promisc(b); // so that a flipped destination bit cannot have the filter drop it first
    promisc(c);
    const log = tapAll(rig);
    rig.segment.setFaults({ bitErrorRate: 1 });
    const n = 20;
    for (let i = 0; i < n; i++) rig.send(a, BCAST, 46, i);
    rig.run(10_000_000);
    expect(a.nic.stats.tx_packets).toBe(n); // the sender cannot know
    for (const h of [b, c]) {
      expect(h.nic.stats).toMatchObject({ rx_crc_errors: n, rx_errors: n, rx_packets: 0 });
      expect(h.received).toHaveLength(0);
    }
    expect(rig.segment.stats).toMatchObject({ corrupted: n, frames: n, lost: 0 });
    expect(log.map((f) => f.outcome)).toEqual(Array(n).fill(WIRE_CORRUPTED));
    log.forEach((f, i) => {
      // Exactly one bit flipped, so the frame no longer checks against its FCS.
      expect(bitsDiffering(f.bytes, wireFrame(BCAST, a, 46, i))).toBe(1);
      expect(crc32(f.bytes)).not.toBe(CRC32_RESIDUE);
    });
    closeAll(rig);
  });

  it('a moderate bit error rate corrupts about the expected share; the rest arrives intact', () => {
    const rig = new Rig();
    const [a, b, c] = [rig.addHost('nofilter'), rig.addHost('nofilter'), rig.addHost('nofilter')];
    promisc(b);
    promisc(c);
    const log = tapAll(rig);
    rig.segment.setFaults({ bitErrorRate: 1e-3 }); // 1 - 0.999^512: 40% of 64-byte frames
    const n = 400;
    for (let i = 0; i < n; i++) rig.send(a, BCAST, 46, i & 0xff);
    rig.run(100_000_000);
    const bad = rig.segment.stats.corrupted;
    expect(bad).toBeGreaterThan(0.3 * n);
    expect(bad).toBeLessThan(0.5 * n);
    expect(log.filter((f) => f.outcome === WIRE_CORRUPTED)).toHaveLength(bad);
    for (const h of [b, c]) {
      expect(h.nic.stats).toMatchObject({
        rx_crc_errors: bad,
        rx_errors: bad,
        rx_packets: n - bad,
      });
    }
    for (const f of ok(log)) expect(crc32(f.bytes)).toBe(CRC32_RESIDUE);
    const fills = ok(log).map((f) => f.bytes[14]);
    expect(b.received.map((f) => f[14])).toEqual(fills);
    for (const r of b.received) expect(r).toEqual(wireFrame(BCAST, a, 46, r[14]).subarray(0, 60));
    closeAll(rig);
  });

  it('a lost frame reaches nobody, and the sender counts it sent', () => {
    const rig = new Rig();
    const [a, b, c] = [rig.addHost('nofilter'), rig.addHost('nofilter'), rig.addHost('nofilter')];
    const log = tapAll(rig);
    rig.segment.setFaults({ lossRate: 1 });
    for (let i = 0; i < 10; i++) rig.send(a, BCAST);
    rig.run(10_000_000);
    expect(rig.segment.stats).toMatchObject({ lost: 10, deliveries: 0, frames: 10 });
    expect(log.map((f) => f.outcome)).toEqual(Array(10).fill(WIRE_LOST));
    expect(a.nic.stats.tx_packets).toBe(10);
    for (const h of [b, c]) expect(h.nic.stats).toMatchObject({ rx_packets: 0, rx_errors: 0 });

    rig.segment.setFaults({ lossRate: 0.25 });
    const n = 400;
    for (let i = 0; i < n; i++) rig.send(a, BCAST);
    rig.run(100_000_000);
    const lost = rig.segment.stats.lost - 10;
    expect(lost).toBeGreaterThan(0.15 * n);
    expect(lost).toBeLessThan(0.35 * n);
    // Loss is of the frame on the wire: every receiver misses the same ones.
    for (const h of [b, c]) expect(h.nic.stats.rx_packets).toBe(n - lost);
    expect(rig.segment.stats.deliveries).toBe(2 * (n - lost));
    closeAll(rig);
  });
});

describe('cable', () => {
  it('an unplugged sender finds no carrier: tx_carrier_errors, and the device is not RUNNING', () => {
    const rig = new Rig();
    const [a, b] = [rig.addHost('nofilter'), rig.addHost('nofilter')];
    const log = tapAll(rig);
    const st = rig.segment.stations[0];
    expect(devGetFlags(a.nic.dev) & IFF_RUNNING).toBe(IFF_RUNNING);
    rig.segment.setPlugged(st, false);
    expect(st.carrier).toBe(false);
    expect(devGetFlags(a.nic.dev) & (IFF_UP | IFF_RUNNING)).toBe(IFF_UP);
    for (let i = 0; i < 3; i++) rig.send(a, BCAST);
    rig.run(1_000_000);
    expect(a.nic.stats).toMatchObject({ tx_packets: 0, tx_errors: 3, tx_carrier_errors: 3 });
    expect(b.received).toHaveLength(0);
    expect(log).toHaveLength(0);
    expect(rig.segment.stats).toMatchObject({ frames: 0, busyNs: 0 });

    rig.segment.setPlugged(st, true);
    expect(devGetFlags(a.nic.dev) & IFF_RUNNING).toBe(IFF_RUNNING);
    rig.send(a, BCAST);
    rig.run(1_000_000);
    expect(a.nic.stats).toMatchObject({ tx_packets: 1, tx_carrier_errors: 3 });
    expect(b.received).toHaveLength(1);
    closeAll(rig);
  });

  it('an unplugged receiver gets nothing while the others do; plugged back in, it does', () => {
    const rig = new Rig();
    const [a, b, c] = [rig.addHost('nofilter'), rig.addHost('nofilter'), rig.addHost('nofilter')];
    const stC = rig.segment.stations[2];
    rig.segment.setPlugged(stC, false);
    expect(devGetFlags(c.nic.dev) & IFF_RUNNING).toBe(0);
    rig.send(a, BCAST, 46, 1);
    rig.run(1_000_000);
    expect(b.received).toHaveLength(1);
    expect(c.received).toHaveLength(0);
    expect(c.nic.stats.rx_errors).toBe(0);
    expect(a.nic.stats).toMatchObject({ tx_packets: 1, tx_errors: 0 });
    expect(rig.segment.stats.deliveries).toBe(1);
    rig.segment.setPlugged(stC, true);
    expect(devGetFlags(c.nic.dev) & IFF_RUNNING).toBe(IFF_RUNNING);
    rig.send(a, BCAST, 46, 2);
    rig.run(1_000_000);
    expect(c.received.map((f) => f[14])).toEqual([2]);
    expect(b.received).toHaveLength(2);
    closeAll(rig);
  });

  it('a device opened while unplugged comes up without RUNNING and gains it with the cable', () => {
    const rig = new Rig();
    const h = rig.addHost('hash64', {}, false);
    const st = rig.segment.stations[0];
    rig.segment.setPlugged(st, false);
    expect(devOpen(h.nic.dev)).toBe(0);
    expect(devGetFlags(h.nic.dev) & (IFF_UP | IFF_RUNNING)).toBe(IFF_UP);
    rig.segment.setPlugged(st, true);
    expect(devGetFlags(h.nic.dev) & IFF_RUNNING).toBe(IFF_RUNNING);
    closeAll(rig);
  });

  it('tells the NIC only of real carrier changes', () => {
    const seg = new Segment(new Scheduler(), {
      bitRate: 100e6,
      delay: 500,
      duplex: 'half',
      seed: 1,
    });
    const port = new FakeMac('x');
    const st = seg.attach(port);
    seg.setPlugged(st, true);
    seg.setPlugged(st, false);
    seg.setPlugged(st, false);
    seg.setPlugged(st, true);
    expect(port.carrier).toEqual([false, true]);
  });
});

describe('full duplex', () => {
  it('two stations sending at line rate at once never collide', () => {
    const rig = new Rig({ duplex: 'full' });
    const [a, b] = [rig.addHost('nofilter'), rig.addHost('nofilter')];
    const log = tapAll(rig);
    const n = 100;
    for (let i = 0; i < n; i++) {
      rig.send(a, b.nic.dev.devAddr);
      rig.send(b, a.nic.dev.devAddr);
    }
    rig.run(10_000_000);
    expect(rig.segment.stats.collisions).toBe(0);
    expect(log.every((f) => f.outcome === WIRE_OK)).toBe(true);
    for (const h of [a, b]) {
      expect(h.nic.stats).toMatchObject({ tx_packets: n, rx_packets: n, collisions: 0 });
      const starts = log.filter((f) => f.src === src(h)).map((f) => f.start);
      expect(starts).toEqual(Array.from({ length: n }, (_, i) => i * 6_720));
    }
    closeAll(rig);
  });
});

describe('utilisation', () => {
  it('one sender at line rate keeps the medium busy 5.76 us of every 6.72', () => {
    const rig = new Rig();
    const a = rig.addHost('nofilter');
    rig.addHost('nofilter');
    rig.record = false;
    a.nic.dev.txQueueLen = 2_000;
    expect(rig.segment.utilisation()).toBe(0);
    for (let i = 0; i < 1_600; i++) rig.send(a, BCAST);
    rig.run(1_000_000);
    // 148 frames have ended by 1 ms (the 149th ends at 1000.32 us).
    expect(rig.segment.utilisation()).toBe((148 * 5_760) / 1e6);
    expect(rig.segment.utilisation()).toBeCloseTo(5.76 / 6.72, 2);
    rig.run(9_000_000);
    expect(rig.segment.utilisation()).toBeCloseTo(5.76 / 6.72, 3);
    closeAll(rig);
  });

  it('stays below 1 in half duplex however many stations contend', () => {
    const rig = new Rig();
    rig.record = false;
    const hosts = Array.from({ length: 4 }, () => rig.addHost('nofilter'));
    for (let i = 0; i < 100; i++) for (const h of hosts) rig.send(h, BCAST);
    rig.run(2_000_000);
    expect(rig.segment.stats.collisions).toBeGreaterThan(0);
    expect(rig.segment.utilisation()).toBeGreaterThan(0.5);
    expect(rig.segment.utilisation()).toBeLessThanOrEqual(1);
    closeAll(rig);
  });
});

describe('fault settings', () => {
  it('refuses rates that are not probabilities, naming them', () => {
    const rig = new Rig();
    expect(() => rig.segment.setFaults({ lossRate: 1.5 })).toThrow(
      /lossRate = 1.5 is not a probability/,
    );
    expect(() => rig.segment.setFaults({ bitErrorRate: -1 })).toThrow(RangeError);
    expect(() => rig.segment.setFaults({ lossRate: NaN })).toThrow(RangeError);
    rig.segment.setFaults({ lossRate: 0.5 });
    expect(rig.segment.faults).toEqual({ bitErrorRate: 0, lossRate: 0.5 });
  });
});

describe('determinism', () => {
  const scenario = (segmentSeed: number) => {
    const rig = new Rig({ seed: segmentSeed }, 1);
    rig.record = false;
    const hosts = Array.from({ length: 5 }, () => rig.addHost('nofilter'));
    rig.segment.setFaults({ bitErrorRate: 1e-5 });
    rig.segment.setFaults({ lossRate: 0.01 });
    const seqs: [number, number, number][] = [];
    rig.segment.taps.push((frame, outcome) => seqs.push([frame.seq, rig.sched.now, outcome]));
    for (let i = 0; i < 60; i++) for (const h of hosts) rig.send(h, BCAST, 46 + ((i * 7) % 200));
    rig.run(200_000_000);
    closeAll(rig);
    return {
      seqs,
      segment: { ...rig.segment.stats },
      nics: hosts.map((h) => ({ ...h.nic.stats })),
    };
  };

  it('one seed, one scenario: identical counters and tap sequence; another seed differs', () => {
    const first = scenario(7);
    expect(first.segment.collisions).toBeGreaterThan(0);
    expect(first.seqs.some(([, , o]) => o === WIRE_COLLISION)).toBe(true);
    expect(scenario(7)).toEqual(first);
    const other = scenario(8);
    expect(other.seqs).not.toEqual(first.seqs);
  });
});

describe('configuration', () => {
  const config = (c: Partial<SegmentConfig>): SegmentConfig => ({
    bitRate: 100e6,
    delay: 500,
    duplex: 'half',
    seed: 1,
    ...c,
  });
  const make = (c: Partial<SegmentConfig>) => () => new Segment(new Scheduler(), config(c));

  it('refuses out-of-range values with a RangeError that names them', () => {
    expect(make({ bitRate: 0 })).toThrow(RangeError);
    expect(make({ bitRate: 0 })).toThrow(/bit rate 0 bit\/s/);
    expect(make({ bitRate: -10e6 })).toThrow(/bit rate -10000000 bit\/s/);
    expect(make({ bitRate: NaN })).toThrow(/bit rate NaN/);
    expect(make({ bitRate: 1e12 })).toThrow(RangeError);
    expect(make({ delay: -1 })).toThrow(RangeError);
    expect(make({ delay: -1 })).toThrow(/delay -1 ns/);
    expect(make({ delay: 2e6 })).toThrow(/delay 2000000 ns/);
    expect(make({ duplex: 'Half' as Duplex })).toThrow(RangeError);
    expect(make({ duplex: 'Half' as Duplex })).toThrow(/Half/);
    expect(make({ delay: 0, bitRate: 10e6, duplex: 'full' })).not.toThrow();
  });

  it('derives bit time and slot from the bit rate', () => {
    const s = make({ bitRate: 10e6 })();
    expect(s.bitNs).toBe(100);
    expect(s.slotNs).toBe(51_200);
    expect(s.frameNs(1518)).toBe(1_220_800);
  });

  it('refuses a second frame from a station before the first is done', () => {
    const seg = make({})();
    const st = seg.attach(new FakeMac('x'));
    const frame = st.allocFrame();
    frame.len = 64;
    st.transmit(frame);
    const again = st.allocFrame();
    again.len = 64;
    expect(() => st.transmit(again)).toThrow(/x: transmit while a frame is in progress/);
  });

  it('drives a bare MacPort: one completion per frame, frames recycled', () => {
    const sched = new Scheduler();
    const seg = new Segment(sched, config({}));
    const a = new FakeMac('a');
    const b = new FakeMac('b');
    const sa = seg.attach(a);
    seg.attach(b);
    const used = new Set<PhyFrame>();
    for (let i = 0; i < 5; i++) {
      const f = sa.allocFrame();
      used.add(f);
      f.buf.fill(0xff, 0, 6);
      f.len = 64;
      sa.transmit(f);
      sched.runUntil(sched.now + 10_000);
    }
    expect(a.done).toEqual(Array(5).fill([TX_OK, 0]));
    expect(b.rx).toEqual([1, 2, 3, 4, 5]);
    expect(used.size).toBe(1); // the one frame buffer, reused
  });
});
