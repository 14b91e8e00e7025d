// The store against a model that keeps every record's own bytes: random sends, wire frames
// (some made of a sent buffer, seen again and again), plain frames, snaplens, byte-limited rings
// and clears. Sharing copies must never change what a record reads back or what a ring evicts.
// FUZZ_SEED and FUZZ_STORE_OPS make a longer hunt.
import { describe, expect, it } from 'vitest';
import { Rng } from '../sim/rng';
import { DIR_IN, DIR_OUT, DIR_UNKNOWN, FrameStore, type RingLimits } from './frame-store';

const SEED = Number(process.env.FUZZ_SEED ?? 7);
const OPS = Number(process.env.FUZZ_STORE_OPS ?? 4000);
/** Full-size frames, enough to turn copy pages over and reuse the store's 4 MiB chunks. */
const BIG_OPS = 15 * OPS;

interface Expected {
  bytes: Uint8Array;
  wireLen: number;
  seq: number;
  dir: number;
  point: number;
  aux: number;
  time: number;
}

/** Bytes that differ with `key` and `len`, the same each time they are made. */
function bytesOf(key: number, len: number, salt: number): Uint8Array {
  let h = (key * 2654435761 + len * 40503 + salt * 97531) >>> 0;
  return Uint8Array.from({ length: len }, () => {
    h = (Math.imul(h ^ (h >>> 15), 2246822519) + 374761393) >>> 0;
    return h & 0xff;
  });
}

/** The model: every record holds its own bytes; a ring drops the oldest as the store must. */
class Model {
  readonly records = new Map<number, Expected>();
  first = 1;
  last = 0;
  bytes = 0;
  /** The time of the newest record the ring let go of since the last clear (NaN: none). */
  droppedTime = NaN;

  constructor(private readonly limits: RingLimits) {}

  add(e: Expected): number {
    const { maxFrames, maxBytes } = this.limits;
    const count = () => this.last - this.first + 1;
    while (
      count() > 0 &&
      ((maxFrames > 0 && count() >= maxFrames) ||
        (maxBytes > 0 && this.bytes + e.bytes.length > maxBytes))
    ) {
      this.bytes -= this.records.get(this.first)!.bytes.length;
      this.droppedTime = this.records.get(this.first)!.time;
      this.records.delete(this.first++);
    }
    this.records.set(++this.last, e);
    this.bytes += e.bytes.length;
    return this.last;
  }

  clear(): void {
    this.records.clear();
    this.first = this.last + 1;
    this.bytes = 0;
    this.droppedTime = NaN;
  }

  /** frame.time_delta of the oldest held record: since the one dropped before it, if any. */
  oldestDelta(): number {
    const t = this.records.get(this.first)!.time;
    return Number.isNaN(this.droppedTime) ? 0 : t - this.droppedTime;
  }
}

function readBack(s: FrameStore, n: number): Expected {
  return {
    bytes: Uint8Array.from(s.data(n)),
    wireLen: s.wireLength(n),
    seq: s.wireSeqOf(n),
    dir: s.directionOf(n),
    point: s.pointOf(n),
    aux: s.auxOf(n),
    time: s.timeOf(n),
  };
}

/** Record `n` as the model has it (compared by hand: a million `expect`s would be slow). */
function check(s: FrameStore, n: number, e: Expected): void {
  const b = s.data(n);
  const same =
    b.length === e.bytes.length &&
    b.every((x, i) => x === e.bytes[i]) &&
    s.wireLength(n) === e.wireLen &&
    s.wireSeqOf(n) === e.seq &&
    s.directionOf(n) === e.dir &&
    s.pointOf(n) === e.point &&
    s.auxOf(n) === e.aux &&
    s.timeOf(n) === e.time;
  if (!same) expect({ n, ...readBack(s, n) }).toEqual({ n, ...e });
}

function fuzz(
  rng: Rng,
  limits: RingLimits,
  base: number,
  ops: number,
  maxLen: number,
  /** How far back a frame seen again, or a buffer sent again, may be. */
  window = 16,
): void {
  const s = new FrameStore(limits);
  const model = new Model(limits);
  const lengths = [0, 14, 42, 60, 64, 98, maxLen];
  // Mostly one length for one buffer or frame; now and then another (a runt, a cut).
  const lengthOf = (key: number) =>
    rng.chance(0.9) ? lengths[(key * 7 + 3) % lengths.length] : rng.int(maxLen + 1);
  /** What each wire frame is: the sent buffer it was made of (0: none) and its length. */
  const wire = new Map<number, { sentKey: number; len: number }>();
  let sentKey = base;
  let wireSeq = base;
  let snaplen = 65535;
  const recent = (last: number) => last - rng.int(Math.min(window, last - base));
  const cut = (len: number) => {
    const cap = rng.chance(0.1) ? rng.int(len + 1) : Math.min(len, snaplen);
    return limits.maxBytes > 0 && cap > limits.maxBytes ? limits.maxBytes : cap;
  };
  /** The frame inside a larger buffer, as a driver's buffer holds it. */
  const inBuffer = (b: Uint8Array, at: number) => {
    const buf = new Uint8Array(at + b.length + 3);
    buf.set(b, at);
    return buf;
  };

  for (let time = 1; time <= ops; time++) {
    if (rng.chance(0.01)) snaplen = [65535, 14, 60, 64, 100][rng.int(5)];
    if (rng.chance(0.003)) {
      s.clear();
      model.clear();
      continue;
    }
    const point = rng.int(6);
    const aux = rng.int(256);
    const at = rng.int(8);
    let n: number;
    let e: Expected;
    const r = rng.next();
    if (r < 0.25) {
      // A device sends a buffer, now and then one it was handed before.
      const key = rng.chance(0.6) || sentKey === base ? ++sentKey : recent(sentKey);
      const len = lengthOf(key);
      const b = bytesOf(key, len, 1);
      const cap = cut(len);
      n = s.appendSent(time, point, DIR_OUT, inBuffer(b, at), at, cap, len, key, aux);
      e = { bytes: b.slice(0, cap), wireLen: len, seq: 0, dir: DIR_OUT, point, aux, time };
    } else if (r < 0.93) {
      // A wire frame seen by the segment or a device: a new one, or one seen before.
      let seq: number;
      if (rng.chance(0.3) || wireSeq === base) {
        seq = ++wireSeq;
        const key = rng.chance(0.6) && sentKey > base ? recent(sentKey) : 0;
        wire.set(seq, { sentKey: key, len: lengthOf(key || seq) });
      } else seq = recent(wireSeq);
      const w = wire.get(seq)!;
      const b = w.sentKey > 0 ? bytesOf(w.sentKey, w.len, 1) : bytesOf(seq, w.len, 2);
      const cap = cut(w.len);
      const dir = rng.chance(0.3) ? DIR_UNKNOWN : DIR_IN;
      const key = w.sentKey > 0 && rng.chance(0.8) ? w.sentKey : 0;
      n = s.appendWireFrame(time, point, dir, inBuffer(b, at), at, cap, w.len, seq, aux, key);
      e = { bytes: b.slice(0, cap), wireLen: w.len, seq, dir, point, aux, time };
    } else {
      // A frame with a copy of its own (an imported one, a device's with no wire number).
      const len = rng.int(maxLen + 1);
      const b = bytesOf(time, len, 3);
      const cap = cut(len);
      n = s.append(time, point, DIR_IN, inBuffer(b, at), at, cap, len, 0, aux);
      e = { bytes: b.slice(0, cap), wireLen: len, seq: 0, dir: DIR_IN, point, aux, time };
    }
    const m = model.add(e);
    if (n !== m || s.first !== model.first || s.bytes !== model.bytes) {
      expect([n, s.first, s.bytes]).toEqual([m, model.first, model.bytes]);
    }
    check(s, n, e);
    if (s.sincePrevious(s.first) !== model.oldestDelta()) {
      expect([s.first, s.sincePrevious(s.first)]).toEqual([model.first, model.oldestDelta()]);
    }
    if (time % 2000 === 0) for (const [k, held] of model.records) check(s, k, held);
  }
  for (const [k, held] of model.records) check(s, k, held);
}

describe('FrameStore against a model that keeps every record’s own bytes', () => {
  const rings: [string, RingLimits][] = [
    ['no limit', { maxFrames: 0, maxBytes: 0 }],
    ['a ring of 1 frame', { maxFrames: 1, maxBytes: 0 }],
    ['a ring of 17 frames', { maxFrames: 17, maxBytes: 0 }],
    ['a ring of 300 bytes', { maxFrames: 0, maxBytes: 300 }],
    ['a ring of 40 bytes (frames cut to it)', { maxFrames: 0, maxBytes: 40 }],
    ['a ring of 100 frames and 5000 bytes', { maxFrames: 100, maxBytes: 5000 }],
  ];
  rings.forEach(([name, limits], i) => {
    it(`${name}: every record reads back what it was given`, () => {
      fuzz(new Rng(SEED + i), limits, 0, OPS, 200);
      // Numbers past 2^32, as a ring running for days has.
      fuzz(new Rng(SEED + 100 + i), limits, 2 ** 32 - 30, OPS, 200);
    });
  });

  it('full-size frames in rings of 1, 2, 5 and 5000 frames and of 1600 and 3000 bytes', () => {
    const rings: RingLimits[] = [
      { maxFrames: 1, maxBytes: 0 },
      { maxFrames: 5, maxBytes: 0 },
      { maxFrames: 5000, maxBytes: 0 },
      { maxFrames: 0, maxBytes: 3000 },
    ];
    rings.forEach((limits, i) => fuzz(new Rng(SEED + 200 + i), limits, 0, BIG_OPS, 1514));
    // Rings of a frame or two, the same frames seen again soon: a copy's last record goes as the
    // next record is made room for, now and then at the end of a copy page or chunk.
    fuzz(new Rng(SEED + 300), { maxFrames: 2, maxBytes: 0 }, 0, BIG_OPS, 1514, 1);
    fuzz(new Rng(SEED + 301), { maxFrames: 0, maxBytes: 1600 }, 0, BIG_OPS, 1514, 4);
  });
});
