import { describe, expect, it } from 'vitest';
import { SkbPool } from './skb-pool';
import { SkBuffHead } from './sk-buff-head';
import { SkbError } from './skb-error';
import { skbDataSize, skbTruesize } from './truesize';

describe('SkBuff geometry', () => {
  it('moves data and tail as layers reserve, put, push, pull and trim', () => {
    const pool = new SkbPool();
    const skb = pool.alloc(128);
    expect(skb.end).toBe(skbDataSize(128));
    expect(skb.headroom).toBe(0);
    skb.reserve(64);
    expect([skb.data, skb.tail, skb.len]).toEqual([64, 64, 0]);
    const payload = skb.put(18);
    expect(payload).toBe(64);
    skb.buf.set(new Uint8Array(18).fill(0xaa), payload);
    // UDP, IPv4 and Ethernet headers pushed in front, as the transmit path does.
    expect(skb.push(8)).toBe(56);
    expect(skb.push(20)).toBe(36);
    expect(skb.push(14)).toBe(22);
    expect(skb.len).toBe(60);
    expect(skb.headroom).toBe(22);
    expect(skb.tailroom).toBe(skb.end - 82);
    // The receive path pulls them off again.
    expect(skb.pull(14)).toBe(36);
    expect(skb.pull(28)).toBe(64);
    expect(skb.bytes()).toEqual(new Uint8Array(18).fill(0xaa));
    expect(skb.pull(19)).toBe(-1);
    skb.trim(10);
    expect(skb.len).toBe(10);
    skb.free();
  });

  it('panics (throws) past the head or the end, naming the buffer', () => {
    const pool = new SkbPool();
    const skb = pool.alloc(64);
    skb.reserve(16);
    expect(() => skb.push(17)).toThrow(/push under panic: 17 bytes with 16 headroom on skb#1/);
    expect(() => skb.put(skb.end)).toThrow(/put over panic/);
    skb.free();
  });

  it('charges truesize as Linux 6.18 does: a small buffer costs 832 bytes, a full-size one 2304', () => {
    const pool = new SkbPool();
    const small = pool.alloc(64 + 64);
    const big = pool.alloc(1536 + 64);
    expect(small.truesize).toBe(832);
    expect(big.truesize).toBe(2304);
    // The small-head cache (576-byte objects, 256 bytes of data) takes every head up to 256 bytes.
    expect(skbTruesize(skbDataSize(1))).toBe(832);
    expect(skbTruesize(skbDataSize(256))).toBe(832);
    // One byte more goes to kmalloc-1024: 704 bytes of data.
    expect(skbTruesize(skbDataSize(257))).toBe(1280);
    expect(pool.bytes).toBe(832 + 2304);
    small.free();
    big.free();
    expect(pool.bytes).toBe(0);
  });
});

describe('clone and copy', () => {
  it('clone shares the data area until both are freed; copy does not', () => {
    const pool = new SkbPool();
    const a = pool.alloc(100);
    a.buf[a.put(4)] = 7;
    const b = a.clone();
    expect(b.buf).toBe(a.buf);
    expect(a.cloned && b.cloned).toBe(true);
    expect(b.len).toBe(4);
    b.pull(2);
    expect(a.len).toBe(4); // offsets are per buffer
    const c = a.copy();
    expect(c.buf).not.toBe(a.buf);
    expect(c.buf[c.data]).toBe(7);
    expect(pool.outstanding).toBe(3);
    a.free();
    expect(b.cloned).toBe(false);
    b.free();
    c.free();
    expect(pool.outstanding).toBe(0);
    expect(pool.allocated).toBe(3);
    expect(pool.freed).toBe(3);
  });

  it('get() takes a reference that needs its own free', () => {
    const pool = new SkbPool();
    const skb = pool.alloc(64).get();
    skb.free();
    expect(pool.outstanding).toBe(1);
    skb.free();
    expect(pool.outstanding).toBe(0);
  });
});

describe('misuse is caught and named', () => {
  it('double free', () => {
    const pool = new SkbPool();
    const q = new SkBuffHead('eth0 rx ring');
    const skb = pool.alloc(64);
    q.enqueueTail(skb);
    q.dequeue();
    skb.owner = q;
    skb.free();
    expect(() => skb.free()).toThrow(SkbError);
    expect(() => skb.free()).toThrow(/double free of skb#1 \(freed while held by eth0 rx ring\)/);
  });

  it('use after free, even after many more allocations', () => {
    const pool = new SkbPool();
    const stale = pool.alloc(64);
    stale.free();
    for (let i = 0; i < 200; i++) pool.alloc(64).free();
    expect(() => stale.put(1)).toThrow(/use after free: put on skb#1/);
    expect(() => stale.bytes()).toThrow(SkbError);
  });

  it('freeing a buffer still on a queue', () => {
    const pool = new SkbPool();
    const q = new SkBuffHead('qdisc eth0');
    const skb = pool.alloc(64);
    q.enqueueTail(skb);
    expect(() => skb.free()).toThrow(/free while still queued on qdisc eth0/);
  });

  it('reports leaks with their owners', () => {
    const pool = new SkbPool();
    const q = new SkBuffHead('sock 239.1.1.1:5000');
    q.enqueueTail(pool.alloc(64));
    pool.alloc(64).free();
    expect(pool.outstanding).toBe(1);
    expect(pool.report()).toBe('2 allocated, 1 freed, 1 outstanding: skb#1 (sock 239.1.1.1:5000)');
    expect(q.purge()).toBe(1);
    expect(pool.outstanding).toBe(0);
  });
});

describe('SkBuffHead', () => {
  it('is a FIFO that can also take buffers back at the head', () => {
    const pool = new SkbPool();
    const q = new SkBuffHead('q');
    const [a, b, c] = [pool.alloc(64), pool.alloc(64), pool.alloc(64)];
    q.enqueueTail(a);
    q.enqueueTail(b);
    q.enqueueHead(c);
    expect(q.qlen).toBe(3);
    expect(a.owner).toBe(q);
    expect([q.dequeue(), q.dequeue(), q.dequeue(), q.dequeue()]).toEqual([c, a, b, null]);
    expect(a.owner).toBeNull();
    expect(() => {
      q.enqueueTail(a);
      new SkBuffHead('other').enqueueTail(a);
    }).toThrow(/queued on other while still on q/);
  });

  it('recycles buffers so steady traffic allocates no new memory', () => {
    const pool = new SkbPool();
    const q = new SkBuffHead('q');
    for (let i = 0; i < 10000; i++) {
      q.enqueueTail(pool.alloc(1600));
      if (q.qlen > 32) q.dequeue()!.free();
    }
    q.purge();
    // Every head beyond the quarantine and the queue's depth was reused.
    expect(pool.outstandingBuffers()).toEqual([]);
    expect((pool as unknown as { heads: unknown[] }).heads.length).toBeLessThan(300);
  });
});
