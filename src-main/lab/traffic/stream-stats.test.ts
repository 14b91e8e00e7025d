import { describe, expect, it } from 'vitest';
import { SEQ_WINDOW, StreamStats } from './stream-stats';

/** Feeds sequence numbers with a constant transit of 1000 ns, 1 µs apart. */
function feed(seqs: number[], s = new StreamStats(1, 0x0a000001, 32768)): StreamStats {
  let t = 0;
  for (const seq of seqs) {
    t += 1000;
    s.accept(seq, 18, t, t + 1000);
  }
  return s;
}

describe('a stream as the sink accounts it', () => {
  it('counts gaps as lost once the sequence has moved past them', () => {
    const s = feed([0, 1, 2, 5, 6]);
    expect([s.received, s.lost(), s.duplicated, s.reordered]).toEqual([5, 2, 0, 0]);
  });

  it('takes a late datagram back out of the losses and counts it reordered', () => {
    const s = feed([0, 1, 3, 4]);
    expect(s.lost()).toBe(1);
    feed([2], s);
    expect([s.received, s.lost(), s.duplicated, s.reordered]).toEqual([5, 0, 0, 1]);
  });

  it('tells a duplicate from a late datagram, even behind the highest', () => {
    const s = feed([0, 1, 2, 2, 3, 1, 4]);
    expect([s.received, s.lost(), s.duplicated, s.reordered]).toEqual([7, 0, 2, 0]);
  });

  it('counts nothing lost past the last datagram unless told what was sent', () => {
    const s = feed([3, 4, 5]);
    expect(s.lost()).toBe(0);
    // Sent 0..9: 0-2 and 6-9 never came.
    expect(s.lost(10)).toBe(7);
    expect(new StreamStats(1, 0, 0).lost(4)).toBe(4);
  });

  it('follows the sequence across the 32-bit wrap', () => {
    const s = feed([0xfffffffe, 0xffffffff, 1, 0, 2]);
    expect(s.highestSeq).toBe(0x100000002);
    expect([s.received, s.lost(), s.duplicated, s.reordered]).toEqual([5, 0, 0, 1]);
  });

  it('forgets which datagrams came once they are a window behind', () => {
    const s = feed([0, 1, 2]);
    feed([SEQ_WINDOW + 10], s);
    // 1 is too old to tell: taken as late (reordered), not as a duplicate.
    feed([1], s);
    expect(s.duplicated).toBe(0);
    expect(s.reordered).toBe(1);
    // Within the window, the bitmap still knows: the highest's neighbours were never seen.
    feed([SEQ_WINDOW + 9, SEQ_WINDOW + 9], s);
    expect(s.duplicated).toBe(1);
    expect(s.reordered).toBe(2);
  });

  it('keeps the RFC 3550 jitter estimate: J += (|D| − J) / 16', () => {
    const s = new StreamStats(1, 0, 0);
    s.accept(0, 18, 0, 1000);
    s.accept(1, 18, 100, 1100);
    expect(s.jitter).toBe(0);
    s.accept(2, 18, 200, 1360); // transit 1160: D = 160
    expect(s.jitter).toBe(10);
    s.accept(3, 18, 300, 1460); // D = 0
    expect(s.jitter).toBe(10 - 10 / 16);
    expect(s.latency.min).toBe(1000);
    expect(s.latency.max).toBe(1160);
  });
});
