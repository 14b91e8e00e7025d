import { describe, expect, it } from 'vitest';
import {
  PAYLOAD_ERR_MAGIC,
  PAYLOAD_ERR_SHORT,
  PAYLOAD_ERR_TRUNCATED,
  PAYLOAD_HLEN,
  PAYLOAD_MAGIC,
  PayloadView,
} from './payload';

describe('netlab payload header', () => {
  it('is 18 bytes: exactly what a minimum Ethernet frame carries over UDP/IPv4', () => {
    expect(PAYLOAD_HLEN).toBe(60 - 14 - 20 - 8);
  });

  it('writes and reads back every field, in network byte order, at any offset', () => {
    const bytes = new Uint8Array(40).fill(0xee);
    PayloadView.write(bytes, 5, 0xbeef, 0xdeadbeef, 1_000_000_000);
    expect([...bytes.subarray(5, 11)]).toEqual([0x4e, 0x4c, 0x41, 0x42, 0xbe, 0xef]);
    expect(new TextDecoder().decode(bytes.subarray(5, 9))).toBe('NLAB');
    expect([...bytes.subarray(11, 15)]).toEqual([0xde, 0xad, 0xbe, 0xef]);
    // 1e9 as a big-endian binary64: 0x41cdcd6500000000
    expect([...bytes.subarray(15, 23)]).toEqual([0x41, 0xcd, 0xcd, 0x65, 0, 0, 0, 0]);
    expect(bytes[4]).toBe(0xee);
    expect(bytes[23]).toBe(0xee);
    const v = new PayloadView().at(bytes, 5, PAYLOAD_HLEN);
    expect(v.check()).toBe('');
    expect(v.magic).toBe(PAYLOAD_MAGIC);
    expect(v.generatorId).toBe(0xbeef);
    expect(v.seq).toBe(0xdeadbeef);
    expect(v.sendTime).toBe(1e9);
  });

  it('carries send times bit for bit, fractional and huge ones included', () => {
    const bytes = new Uint8Array(PAYLOAD_HLEN);
    const v = new PayloadView(bytes);
    for (const t of [0, 333_333.333_333_333_3, 2 ** 53 + 2, 1e18 / 7, Number.MIN_VALUE, -0]) {
      PayloadView.write(bytes, 0, 1, 2, t);
      expect(Object.is(v.sendTime, t)).toBe(true);
    }
    PayloadView.writeSendTime(bytes, 0, 12.5);
    expect(v.sendTime).toBe(12.5);
    expect(v.seq).toBe(2);
  });

  it('says what is missing from a short or foreign payload', () => {
    const bytes = new Uint8Array(PAYLOAD_HLEN);
    PayloadView.write(bytes, 0, 1, 2, 3);
    const v = new PayloadView(bytes);
    expect(v.check(3)).toBe(PAYLOAD_ERR_SHORT);
    expect(v.check(4)).toBe(PAYLOAD_ERR_TRUNCATED);
    expect(v.check(17)).toBe(PAYLOAD_ERR_TRUNCATED);
    expect(v.check(18)).toBe('');
    // More claimed than the buffer holds is bounded by the buffer.
    expect(new PayloadView(bytes, 0, 100).check()).toBe('');
    expect(new PayloadView(bytes.subarray(0, 10), 0, 18).check()).toBe(PAYLOAD_ERR_TRUNCATED);
    bytes[0] = 0x4f;
    expect(v.check()).toBe(PAYLOAD_ERR_MAGIC);
    expect(new PayloadView(new Uint8Array(0)).check()).toBe(PAYLOAD_ERR_SHORT);
  });
});
