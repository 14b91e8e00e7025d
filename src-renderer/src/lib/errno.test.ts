import { describe, expect, it } from 'vitest';
import { explainRefusal } from './errno';

describe('explainRefusal', () => {
  it('says what the errno means for the operation that got it', () => {
    expect(
      explainRefusal('iface.setMac', { errno: 'EBUSY', message: 'Device or resource busy' }),
    ).toBe('EBUSY: this NIC changes its MAC only while down');
    expect(
      explainRefusal('iface.up', { errno: 'EBUSY', message: 'Device or resource busy' }),
    ).toMatch(/^EBUSY: .*IRQ/);
  });

  it('falls back to the meaning shared by every operation, then to strerror', () => {
    expect(
      explainRefusal('iface.setMtu', { errno: 'EPERM', message: 'Operation not permitted' }),
    ).toMatch(/^EPERM: only root/);
    expect(
      explainRefusal('iface.setMtu', { errno: 'ENOSPC', message: 'No space left on device' }),
    ).toBe('ENOSPC: no space left on device');
  });
});
