import { describe, expect, it } from 'vitest';
import { Lab } from '../lab';
import { ROOT } from '../netdev/cred';
import { MS } from '../sim/time';
import { parseIpv4 } from '../wire/ipv4-addr';
import { Capture, type CapturePoint } from './capture';
import { exportPcapng } from './export';
import { DIR_IN, DIR_OUT, DIR_UNKNOWN, FrameStore } from './frame-store';

const frameOf = (n: number, len = 60) => Uint8Array.from({ length: len }, (_, i) => (n + i) & 0xff);

describe('FrameStore: one copy of a wire frame for every point that saw it', () => {
  it('shares the bytes of records of the same wire frame, each reading them back', () => {
    const s = new FrameStore();
    for (let seq = 1; seq <= 1000; seq++) {
      const f = frameOf(seq);
      s.appendWireFrame(seq, 0, DIR_UNKNOWN, f, 0, 60, 60, seq);
      for (let p = 1; p <= 7; p++) s.appendWireFrame(seq + p, p, DIR_IN, f, 0, 60, 60, seq);
    }
    expect(s.count).toBe(8000);
    expect(s.bytes).toBe(8000 * 60); // what an exported file holds
    expect(s.memoryBytes()).toBeLessThan(8000 * 60); // held once, not eight times
    // A record of another length (a snaplen, a longer frame) keeps its own copy.
    s.appendWireFrame(9000, 1, DIR_IN, frameOf(1000, 64), 0, 64, 64, 1000);
    expect(s.data(8001)).toEqual(frameOf(1000, 64));
    expect(s.data(8000)).toEqual(frameOf(1000));
    for (const n of [1, 8, 9, 4321, 8000]) {
      const seq = Math.ceil(n / 8);
      expect(s.data(n)).toEqual(frameOf(seq));
      expect(s.wireSeqOf(n)).toBe(seq);
    }
    expect([s.pointOf(4321), s.directionOf(4321), s.wireLength(4321)]).toEqual([
      0,
      DIR_UNKNOWN,
      60,
    ]);
    expect([s.pointOf(4322), s.directionOf(4322), s.wireLength(4322)]).toEqual([1, DIR_IN, 60]);
  });

  it('shares them too when devices take frames in batches (a NAPI poll takes several)', () => {
    const inOrder = new FrameStore();
    const batched = new FrameStore();
    for (let first = 1; first <= 1024; first += 16) {
      for (let seq = first; seq < first + 16; seq++) {
        const f = frameOf(seq);
        inOrder.appendWireFrame(seq, 0, DIR_UNKNOWN, f, 0, 60, 60, seq);
        for (let p = 1; p <= 7; p++) inOrder.appendWireFrame(seq, p, DIR_IN, f, 0, 60, 60, seq);
        batched.appendWireFrame(seq, 0, DIR_UNKNOWN, f, 0, 60, 60, seq);
      }
      // Each device's poll then hands it the batch, device after device.
      for (let p = 1; p <= 7; p++) {
        for (let seq = first; seq < first + 16; seq++) {
          batched.appendWireFrame(seq + p, p, DIR_IN, frameOf(seq), 0, 60, 60, seq);
        }
      }
    }
    expect(batched.count).toBe(inOrder.count);
    expect(batched.memoryBytes()).toBe(inOrder.memoryBytes());
    // A batch is 128 records: 16 of the segment's, then 16 of each device's. The second batch's
    // third device, its sixth frame (wire frame 16 + 6):
    const n = 128 + 16 + 16 * 2 + 6;
    expect([batched.pointOf(n), batched.wireSeqOf(n)]).toEqual([3, 22]);
    expect(batched.data(n)).toEqual(frameOf(22));
  });

  it('keeps each record’s point, direction, outcome and time at their limits', () => {
    const s = new FrameStore();
    s.appendSent(1.5, 0xffff, DIR_OUT, frameOf(1), 0, 60, 60, 7, 0);
    s.appendWireFrame(2.5, 0, DIR_UNKNOWN, frameOf(1), 0, 60, 60, 2 ** 40, 255, 7);
    s.appendWireFrame(3.5, 0xfffe, DIR_IN, frameOf(1), 0, 60, 60, 2 ** 40);
    const read = (n: number) => [
      s.timeOf(n),
      s.pointOf(n),
      s.directionOf(n),
      s.auxOf(n),
      s.wireSeqOf(n),
    ];
    expect(read(1)).toEqual([1.5, 0xffff, DIR_OUT, 0, 0]); // a sent frame has no wire number
    expect(read(2)).toEqual([2.5, 0, DIR_UNKNOWN, 255, 2 ** 40]);
    expect(read(3)).toEqual([3.5, 0xfffe, DIR_IN, 0, 2 ** 40]);
  });

  it('copies when the length differs or the first record is gone', () => {
    const s = new FrameStore({ maxFrames: 3, maxBytes: 0 });
    s.appendWireFrame(0, 0, DIR_UNKNOWN, frameOf(1, 64), 0, 64, 64, 7);
    s.appendWireFrame(1, 1, DIR_IN, frameOf(1, 60), 0, 60, 60, 7); // shorter: its own copy
    expect(s.data(2)).toEqual(frameOf(1, 60));
    s.append(2, 2, DIR_OUT, frameOf(5), 0, 60, 60, 0);
    s.append(3, 2, DIR_OUT, frameOf(6), 0, 60, 60, 0); // record 1 goes
    s.appendWireFrame(4, 3, DIR_IN, frameOf(1, 64), 0, 64, 64, 7); // the 64-byte copy went with it
    expect(s.first).toBe(3);
    expect(s.data(5)).toEqual(frameOf(1, 64));
  });

  it('has the wire’s record of a sent frame read the sender’s copy when nothing was padded', () => {
    const s = new FrameStore();
    s.appendSent(0, 0, DIR_OUT, frameOf(1), 0, 60, 60, 77);
    s.appendSent(1, 0, DIR_OUT, frameOf(1), 0, 60, 60, 77); // handed to the driver again
    s.appendWireFrame(2, 1, DIR_UNKNOWN, frameOf(1), 0, 60, 60, 5, 0, 77);
    s.appendWireFrame(3, 2, DIR_IN, frameOf(1), 0, 60, 60, 5);
    // A 42-byte ARP went out padded to 60: the wire's record is its own copy.
    s.appendSent(4, 0, DIR_OUT, frameOf(2, 42), 0, 42, 42, 78);
    const padded = Uint8Array.from([...frameOf(2, 42), ...new Uint8Array(18)]);
    s.appendWireFrame(5, 1, DIR_UNKNOWN, padded, 0, 60, 60, 6, 0, 78);
    expect([1, 2, 3, 4, 5, 6].map((n) => s.wireSeqOf(n))).toEqual([0, 0, 5, 5, 0, 6]);
    expect([1, 2, 3, 4].map((n) => s.directionOf(n))).toEqual([
      DIR_OUT,
      DIR_OUT,
      DIR_UNKNOWN,
      DIR_IN,
    ]);
    for (const n of [1, 2, 3, 4]) expect(s.data(n)).toEqual(frameOf(1));
    expect(s.data(5)).toEqual(frameOf(2, 42));
    expect(s.data(6)).toEqual(padded);
    expect(s.bytes).toBe(4 * 60 + 42 + 60);
  });

  it('evicts in ring mode exactly the frames it would if each record had its own copy', () => {
    const limits = { maxFrames: 0, maxBytes: 10_000 };
    const shared = new FrameStore(limits);
    const copied = new FrameStore(limits);
    for (let seq = 1; seq <= 2000; seq++) {
      const len = 40 + (seq % 50);
      for (let p = 0; p < 3; p++) {
        shared.appendWireFrame(seq, p, DIR_IN, frameOf(seq, len), 0, len, len, seq);
        copied.append(seq, p, DIR_IN, frameOf(seq, len), 0, len, len, seq);
      }
    }
    expect([shared.first, shared.last, shared.bytes, shared.overwritten]).toEqual([
      copied.first,
      copied.last,
      copied.bytes,
      copied.overwritten,
    ]);
    for (let n = shared.first; n <= shared.last; n++)
      expect(shared.data(n)).toEqual(copied.data(n));
  });

  it('holds bounded memory in a long ring, however late a device’s record comes', () => {
    const s = new FrameStore({ maxFrames: 1000, maxBytes: 0 });
    let peak = 0;
    const chunks = new Set<ArrayBufferLike>();
    for (let seq = 1; seq <= 150_000; seq++) {
      s.append(seq, 9, DIR_OUT, frameOf(seq + 1), 0, 60, 60, 0); // a sender's own copy
      chunks.add(s.data(s.last).buffer);
      s.appendWireFrame(seq, 0, DIR_UNKNOWN, frameOf(seq), 0, 60, 60, seq);
      // Receivers take it up to 40 frames later (their rings), some after its first record went.
      const late = seq - (seq % 41);
      if (late > 0) s.appendWireFrame(seq, 1, DIR_IN, frameOf(late), 0, 60, 60, late);
      if (seq % 1000 === 0) peak = Math.max(peak, s.memoryBytes());
    }
    expect(s.count).toBe(1000);
    for (let n = s.first; n <= s.last; n++) {
      const seq = s.wireSeqOf(n);
      expect(s.data(n)).toEqual(frameOf(seq === 0 ? s.timeOf(n) + 1 : seq));
    }
    expect(peak).toBeLessThan(13 << 20); // three 4 MiB chunks and a few pages, not 150,000 frames
    // 18 MB went through the ring: the small first chunks, then the same full-size ones again
    // (fresh memory is the dearest part of capturing), not a new 4 MiB chunk each time.
    const full = [...chunks].filter((b) => b.byteLength === 4 << 20);
    expect(full.length).toBeLessThanOrEqual(3);
    // One frame at a time: chunks and pages are reused, not piled up.
    const one = new FrameStore({ maxFrames: 1, maxBytes: 0 });
    for (let i = 0; i < 200_000; i++) one.append(i, 0, DIR_IN, frameOf(i), 0, 60, 60, 0);
    expect(one.memoryBytes()).toBeLessThan(5 << 20); // one 4 MiB chunk, not all 12 MB written
    expect(one.data(200_000)).toEqual(frameOf(199_999));
  });

  it('reads frames back past 2^31 and 2^32 records and copies (a ring running for days)', () => {
    const s = new FrameStore({ maxFrames: 5000, maxBytes: 0 });
    // Start the numbers just short of 2^32, as hours at gigabit rate would.
    s.last = 2 ** 32 - 3000;
    (s as unknown as { copies: { last: number } }).copies.last = 2 ** 32 - 2000;
    s.clear();
    const first = s.last + 1;
    for (let i = 0; i < 6000; i++) {
      s.appendWireFrame(i, 0, DIR_UNKNOWN, frameOf(i), 0, 60, 60, i + 1);
      s.appendWireFrame(i, 1, DIR_IN, frameOf(i), 0, 60, 60, i + 1);
    }
    expect(s.first).toBe(first + 7000);
    for (let n = s.first; n <= s.last; n++) {
      const i = Math.floor((n - first) / 2);
      expect([s.timeOf(n), s.pointOf(n), s.wireSeqOf(n)]).toEqual([i, (n - first) % 2, i + 1]);
      expect(s.data(n)).toEqual(frameOf(i));
    }
  });

  it('keeps records across metadata pages as the ring turns, and after clear', () => {
    const s = new FrameStore({ maxFrames: 5000, maxBytes: 0 });
    for (let n = 1; n <= 20_000; n++) s.append(n * 10, n % 9, DIR_IN, frameOf(n, 20), 0, 20, 24, n);
    expect([s.first, s.last]).toEqual([15_001, 20_000]);
    for (const n of [15_001, 16_383, 16_384, 16_385, 20_000]) {
      expect([s.timeOf(n), s.pointOf(n), s.wireSeqOf(n)]).toEqual([n * 10, n % 9, n]);
      expect(s.data(n)).toEqual(frameOf(n, 20));
    }
    expect(() => s.data(15_000)).toThrow(/frame 15000 is not held \(15001..20000\)/);
    s.clear();
    expect(s.count).toBe(0);
    s.append(1, 0, DIR_IN, frameOf(3), 0, 60, 60, 0);
    expect(s.data(20_001)).toEqual(frameOf(3));
  });
});

describe('a capture at every device and on the segment', () => {
  it('stores each wire frame once, and exports the same file as separate copies would give', () => {
    const lab = new Lab({ seed: 4 });
    const hosts = ['h0', 'h1', 'h2', 'h3'].map((n, i) => {
      const h = lab.addHost(n);
      lab.addInterface(h, { model: i === 0 ? 'nofilter' : 'perfect', ip: `10.0.0.${i + 1}/24` });
      return h;
    });
    const g = parseIpv4('239.1.1.1')!;
    for (const h of hosts.slice(1)) {
      const s = h.kernel.udp.socket();
      s.mcIf = h.nics[0].dev ?? null;
      h.kernel.udp.bind(s, 0, 5000, ROOT);
      h.kernel.udp.addMembership(s, g, h.nics[0].dev);
    }
    const points: CapturePoint[] = hosts.map((h) => ({
      kind: 'device',
      name: `${h.name}:eth0`,
      host: h,
      dev: h.nics[0].dev,
    }));
    points.push({ kind: 'segment', name: 'segment', segment: lab.segment });
    const cap = new Capture(points, lab.sched);
    // The same capture with a store that copies every record's bytes, as it did before sharing.
    const ref = new Capture(points, lab.sched);
    ref.store.appendWireFrame = ref.store.append.bind(ref.store);
    ref.store.appendSent = (t, p, d, data, at, c, w, _key, aux) =>
      ref.store.append(t, p, d, data, at, c, w, 0, aux);
    cap.start();
    ref.start();
    lab.run(10 * MS);
    const tx = hosts[0].kernel.udp.socket();
    tx.mcIf = hosts[0].nics[0].dev;
    for (let i = 0; i < 800; i++) hosts[0].kernel.udp.sendto(tx, null, 18 + (i % 400), g, 5000);
    lab.run(50 * MS);
    cap.stop();
    ref.stop();
    const s = cap.store;
    expect(s.count).toBe(ref.store.count);
    expect(s.count).toBeGreaterThan(4000);
    for (let n = 1; n <= s.last; n++) {
      expect(s.data(n)).toEqual(ref.store.data(n));
      expect([s.wireSeqOf(n), s.directionOf(n)]).toEqual([
        ref.store.wireSeqOf(n),
        ref.store.directionOf(n),
      ]);
    }
    // A received frame reads what the segment carried (both without the FCS, as Linux captures).
    const rows = cap.rows(1, s.last);
    const inRow = rows.find((r) => r.point === 'h2:eth0' && r.direction === 'in')!;
    const wireRow = rows.find(
      (r) => r.point === 'segment' && s.wireSeqOf(r.no) === s.wireSeqOf(inRow.no),
    )!;
    expect(s.data(inRow.no)).toEqual(s.data(wireRow.no));
    expect(wireRow.wireLength).toBe(inRow.wireLength);
    // Five records per datagram (out at h0, the segment, in at three hosts), one copy of its bytes.
    expect(s.memoryBytes()).toBeLessThan(ref.store.memoryBytes() * 0.6);
    const file = (c: Capture) => {
      const chunks: Uint8Array[] = [];
      exportPcapng(c, (chunk) => chunks.push(chunk.slice()));
      return Buffer.concat(chunks);
    };
    expect(file(cap).equals(file(ref))).toBe(true);
    lab.teardown();
  });
  it('keeps the wire’s own copy of a frame a bit error changed, not its sender’s', () => {
    const lab = new Lab({ seed: 6 });
    const h0 = lab.addHost('h0');
    lab.addInterface(h0, { model: 'nofilter', ip: '10.0.0.1/24' });
    lab.segment.setFaults({ bitErrorRate: 1e-3 }); // about two 64-byte frames in five
    const points: CapturePoint[] = [
      { kind: 'device', name: 'h0:eth0', host: h0, dev: h0.nics[0].dev },
      { kind: 'segment', name: 'segment', segment: lab.segment },
    ];
    const cap = new Capture(points, lab.sched);
    const ref = new Capture(points, lab.sched);
    ref.store.appendWireFrame = ref.store.append.bind(ref.store);
    ref.store.appendSent = (t, p, d, data, at, c, w, _key, aux) =>
      ref.store.append(t, p, d, data, at, c, w, 0, aux);
    cap.start();
    ref.start();
    const tx = h0.kernel.udp.socket();
    tx.mcIf = h0.nics[0].dev ?? null;
    for (let i = 0; i < 200; i++) h0.kernel.udp.sendto(tx, null, 18, parseIpv4('239.1.1.1')!, 5000);
    lab.run(20 * MS);
    const rows = cap.rows(1, cap.store.last);
    expect(rows.filter((r) => r.fate === 'corrupted (bad FCS)').length).toBeGreaterThan(20);
    expect(rows.filter((r) => r.fate === 'on the wire').length).toBeGreaterThan(20);
    for (let n = 1; n <= cap.store.last; n++) expect(cap.store.data(n)).toEqual(ref.store.data(n));
    lab.teardown();
  });
});
