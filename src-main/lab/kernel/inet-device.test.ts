import { describe, expect, it } from 'vitest';
import type { NetDevice } from '../netdev/net-device';
import { InDevice, type IpMcList } from './inet-device';

function group(g: number): IpMcList {
  return {
    group: g,
    users: 1,
    timer: -1,
    unsolicitedLeft: 0,
    reporter: false,
    loaded: true,
    crcount: 0,
  };
}

describe('InDevice.mayHaveJoined', () => {
  it('never says no to a joined group, and follows joins and leaves', () => {
    const ind = new InDevice({} as NetDevice);
    const joined = [0xe0000001, 0xef010101, 0xef010102, 0xe1020304];
    expect(ind.mayHaveJoined(0xef010101)).toBe(false);
    for (const g of joined) {
      ind.mcList.unshift(group(g));
      ind.mcListGen++;
    }
    for (const g of joined) expect(ind.mayHaveJoined(g)).toBe(true);
    // Most groups nobody joined are told apart without the list.
    let no = 0;
    for (let i = 0; i < 1000; i++) {
      const g = (0xe0000000 + i * 7919) >>> 0;
      const member = ind.findGroup(g) !== undefined;
      if (member) expect(ind.mayHaveJoined(g)).toBe(true);
      else if (!ind.mayHaveJoined(g)) no++;
    }
    expect(no).toBeGreaterThan(500);
    ind.mcList.splice(
      ind.mcList.findIndex((m) => m.group === 0xef010102),
      1,
    );
    ind.mcListGen++;
    const rest = joined.filter((g) => g !== 0xef010102);
    for (const g of rest) expect(ind.mayHaveJoined(g)).toBe(true);
    expect(ind.findGroup(0xef010102)).toBeUndefined();
  });
});
