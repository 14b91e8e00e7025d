import { describe, expect, it } from 'vitest';
import { loadHistory, remember } from './history';

describe('filter history', () => {
  it('keeps the most recent first, without repeats, up to the limit', () => {
    let h: string[] = [];
    for (const t of ['udp', 'arp', ' udp ', '', 'igmp']) h = remember(h, t, 3);
    expect(h).toEqual(['igmp', 'udp', 'arp']);
    expect(remember(h, 'x', 3)).toEqual(['x', 'igmp', 'udp']);
  });

  it('reads a saved history, and anything malformed as empty', () => {
    expect(loadHistory('["udp", 3, "arp"]')).toEqual(['udp', 'arp']);
    expect(loadHistory('{')).toEqual([]);
    expect(loadHistory(null)).toEqual([]);
  });
});
