import { describe, expect, it } from 'vitest';
import { formatMac, isValidEtherAddr, macFromKey, macKey, parseMac, writeMacKey } from './mac';

describe('MAC addresses', () => {
  it('round-trips text, bytes and 48-bit keys', () => {
    const mac = parseMac('02:00:5E:10:00:FF')!;
    expect(formatMac(mac)).toBe('02:00:5e:10:00:ff');
    expect(macKey(mac)).toBe(0x02005e1000ff);
    expect(formatMac(macFromKey(0xffffffffffff))).toBe('ff:ff:ff:ff:ff:ff');
    expect(formatMac(macFromKey(macKey(mac)))).toBe('02:00:5e:10:00:ff');
  });

  it('rejects text that is not a MAC', () => {
    expect(parseMac('02:00:5e:10:00')).toBeNull();
    expect(parseMac('02:00:5e:10-00:ff')).toBeNull();
    expect(parseMac('zz:00:5e:10:00:ff')).toBeNull();
  });

  it('knows which addresses a device may take', () => {
    expect(isValidEtherAddr(parseMac('02:00:00:00:00:01')!)).toBe(true);
    expect(isValidEtherAddr(parseMac('01:00:5e:00:00:01')!)).toBe(false);
    expect(isValidEtherAddr(parseMac('00:00:00:00:00:00')!)).toBe(false);
  });
});

describe('writeMacKey', () => {
  it('writes a key back as the bytes it came from, at an offset', () => {
    const out = new Uint8Array(8);
    for (const text of [
      '02:00:5e:10:00:ff',
      'ff:ff:ff:ff:ff:ff',
      '00:00:00:00:00:00',
      '80:01:02:03:04:05',
    ]) {
      writeMacKey(out, 1, macKey(parseMac(text)!));
      expect(formatMac(out, 1)).toBe(text);
    }
    expect(out[0]).toBe(0);
    expect(out[7]).toBe(0);
  });
});
