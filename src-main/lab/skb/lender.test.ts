import { describe, expect, it } from 'vitest';
import { Ipv4View } from '../wire/ipv4';
import { ByteVerdicts, type SkbLender } from './lender';
import { SkbError } from './skb-error';
import { SkbPool } from './skb-pool';
import { NET_SKB_PAD } from './truesize';

/** A frame on a pretend wire: its bytes at NET_SKB_PAD, as a receive buffer lays out its data. */
class FakeWireFrame implements SkbLender {
  readonly lent = new Uint8Array(256);
  readonly verdicts = new ByteVerdicts();
  refs = 1;
  reused = 0;
  constructor(bytes: number[]) {
    this.lent.set(bytes, NET_SKB_PAD);
  }
  hold(): void {
    this.refs++;
  }
  release(): void {
    if (--this.refs === 0) this.reused++;
  }
}

/** A receive buffer holding `len` bytes of `frame`, by reference, as a NIC's DMA leaves it. */
function received(pool: SkbPool, frame: FakeWireFrame, len: number) {
  const skb = pool.alloc(NET_SKB_PAD + len);
  skb.reserve(NET_SKB_PAD);
  skb.put(len);
  skb.borrow(frame);
  return skb;
}

describe('buffers that reference a wire frame’s bytes', () => {
  it('read the frame’s bytes and are charged as their own copy would be', () => {
    const pool = new SkbPool();
    const frame = new FakeWireFrame([1, 2, 3, 4, 5, 6]);
    const skb = received(pool, frame, 6);
    expect([...skb.bytes()]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(skb.truesize).toBe(832);
    expect(skb.end).toBe(256);
    expect(pool.bytes).toBe(832);
    expect(frame.refs).toBe(2);
    // The medium lets go of the frame; the buffer still holds it.
    frame.release();
    expect(frame.reused).toBe(0);
    skb.free();
    expect(frame.reused).toBe(1);
    expect(pool.outstanding).toBe(0);
  });

  it('keep the frame until the last clone is freed', () => {
    const pool = new SkbPool();
    const frame = new FakeWireFrame([9, 8, 7]);
    const skb = received(pool, frame, 3);
    frame.release();
    const clone = skb.clone();
    skb.free();
    expect(frame.reused).toBe(0);
    expect([...clone.bytes()]).toEqual([9, 8, 7]);
    clone.free();
    expect(frame.reused).toBe(1);
  });

  it('are copied before anyone writes through them: the frame on the wire never changes', () => {
    const pool = new SkbPool();
    const frame = new FakeWireFrame([1, 2, 3, 4]);
    const skb = received(pool, frame, 4);
    const other = received(pool, frame, 4); // another host's buffer on the same frame
    const at = skb.push(2);
    skb.buf[at] = 0xaa;
    skb.buf[at + 1] = 0xbb;
    expect([...skb.bytes()]).toEqual([0xaa, 0xbb, 1, 2, 3, 4]);
    expect([...other.bytes()]).toEqual([1, 2, 3, 4]);
    expect(frame.lent[NET_SKB_PAD - 1]).toBe(0);
    expect(frame.refs).toBe(2); // the writer gave its reference back
    skb.free();
    other.free();
    frame.release();
    expect(frame.reused).toBe(1);
    expect(pool.outstanding).toBe(0);
  });

  it('give a writing clone a private copy while the others keep reading the frame', () => {
    const pool = new SkbPool();
    const frame = new FakeWireFrame([5, 6, 7]);
    const skb = received(pool, frame, 3);
    const clone = skb.clone();
    const at = clone.put(1);
    clone.buf[at] = 8;
    expect([...clone.bytes()]).toEqual([5, 6, 7, 8]);
    expect([...skb.bytes()]).toEqual([5, 6, 7]);
    expect(clone.truesize).toBe(skb.truesize);
    clone.free();
    skb.free();
    frame.release();
    expect(frame.reused).toBe(1);
    expect(pool.outstanding).toBe(0);
    expect(pool.bytes).toBe(0);
  });

  it('refuse to reference a frame from a cloned buffer, naming it', () => {
    const pool = new SkbPool();
    const skb = pool.alloc(128);
    const clone = skb.clone();
    expect(() => skb.borrow(new FakeWireFrame([1]))).toThrow(SkbError);
    expect(() => skb.borrow(new FakeWireFrame([1]))).toThrow(/borrow on a cloned buffer on skb#1/);
    clone.free();
    skb.free();
  });

  it('keep a header summary only for the offset and length it was made at', () => {
    const v = new ByteVerdicts();
    const bytes = new Uint8Array(128);
    // A valid 20-byte IPv4 header at 78: version 4, IHL 5, total length 46, UDP.
    bytes.set([0x45, 0, 0, 46, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 239, 1, 1, 1], 78);
    const view = new Ipv4View(bytes, 78, 46);
    view.fillChecksum();
    expect(v.ipv4.isOf(78, 46)).toBe(false);
    v.ipv4.parse(bytes, 78, 46);
    expect(v.ipv4.isOf(78, 46)).toBe(true);
    expect(v.ipv4.isOf(78, 45)).toBe(false);
    expect(v.ipv4).toMatchObject({ ok: true, dst: 0xef010101, protocol: 17, totalLength: 46 });
    expect(v.udp.isOf(78, 46)).toBe(false);
    bytes[88] ^= 1; // the checksum no longer verifies
    expect(v.ipv4.parse(bytes, 78, 46).ok).toBe(false);
    v.clear();
    expect(v.ipv4.isOf(78, 46)).toBe(false);
  });
});
