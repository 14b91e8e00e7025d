import { describe, expect, it } from 'vitest';
import {
  HOST_GAP,
  HOST_HEADER,
  IFACE_ROW,
  ifaceBadges,
  layoutHosts,
  layoutPorts,
  PORT_NAME_ROW,
  PORT_NOTE,
  PORT_NOTE_CHARS,
  PORT_TABLE,
  portNotes,
  recentUtilisation,
  wrapText,
  type PortLike,
} from './topology';

describe('interface badges', () => {
  it('shows UP/DOWN, the flags that are set and the filter mode', () => {
    expect(
      ifaceBadges(['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'], 'hash').map((b) => b.text),
    ).toEqual(['UP', 'hash']);
    expect(
      ifaceBadges(['BROADCAST', 'PROMISC', 'ALLMULTI'], null).map((b) => [b.text, b.kind]),
    ).toEqual([
      ['DOWN', 'down'],
      ['PROMISC', 'flag'],
      ['ALLMULTI', 'flag'],
    ]);
  });
});

describe('layoutHosts', () => {
  it('stacks hosts with a row per interface', () => {
    const { boxes, height } = layoutHosts([
      { name: 'h0', interfaces: 1 },
      { name: 'h1', interfaces: 2 },
    ]);
    expect(boxes[0].y).toBe(HOST_GAP);
    expect(boxes[1].ifaceY).toEqual([
      boxes[1].y + HOST_HEADER,
      boxes[1].y + HOST_HEADER + IFACE_ROW,
    ]);
    expect(height).toBe(boxes[1].y + boxes[1].height + HOST_GAP);
  });

  it('makes room under the interfaces for what a card shows there', () => {
    const { boxes } = layoutHosts([
      { name: 'sw', interfaces: 3, extra: 30 },
      { name: 'h1', interfaces: 1 },
    ]);
    expect(boxes[0].footY).toBe(boxes[0].y + HOST_HEADER + 3 * IFACE_ROW);
    expect(boxes[0].height).toBe(HOST_HEADER + 3 * IFACE_ROW + 30 + 4);
    expect(boxes[1].y).toBe(boxes[0].y + boxes[0].height + HOST_GAP);
  });
});

describe('recentUtilisation', () => {
  it('turns two cumulative averages into the utilisation between them', () => {
    // Busy 0.1 s of the first 1 s, then 0.5 s of the next 1 s.
    expect(
      recentUtilisation({ utilisation: 0.3, simTimeNs: 2e9 }, { utilisation: 0.1, simTimeNs: 1e9 }),
    ).toBeCloseTo(0.5);
    expect(recentUtilisation({ utilisation: 0.3, simTimeNs: 2e9 }, null)).toBe(0.3);
  });
});

const counters = (over: Record<string, number> = {}) => ({
  datagramsIn: 3,
  datagramsOut: 5,
  sendErrors: 0,
  toOutside: 5,
  fromOutside: 3,
  malformed: 0,
  queueDrops: 0,
  txErrors: 0,
  wireErrors: 0,
  ...over,
});

describe('external ports on the topology', () => {
  const open: PortLike = {
    name: 'vm',
    listen: '127.0.0.1:7000',
    remote: '127.0.0.1:7001',
    state: 'open',
    error: '',
    counters: counters(),
  };
  const failed: PortLike = {
    name: 'gns3',
    listen: '192.168.100.200:65535',
    remote: '192.168.100.201:65535',
    state: 'failed',
    error: 'port gns3: cannot listen on 127.0.0.1:7000: bind EADDRINUSE 127.0.0.1:7000',
    counters: counters({ datagramsIn: 0, datagramsOut: 0, toOutside: 0, fromOutside: 0 }),
  };

  it('notes a failed port’s reason, wrapped to the box, instead of its counters', () => {
    const notes = portNotes(failed);
    expect(notes.join(' ')).toBe(failed.error);
    expect(notes.length).toBeGreaterThan(1);
    for (const line of notes) expect(line.length).toBeLessThanOrEqual(PORT_NOTE_CHARS);
  });

  it('notes only the error counters that are not zero', () => {
    expect(portNotes(open)).toEqual([]);
    expect(portNotes({ ...open, counters: counters({ malformed: 2, sendErrors: 1 }) })).toEqual([
      'malformed 2 · send errors 1',
    ]);
  });

  it('stacks ports below the hosts, each sized for what it shows', () => {
    const hosts = layoutHosts([{ name: 'h0', interfaces: 1 }]);
    const { boxes, height } = layoutPorts(hosts.height, [open, failed]);
    expect(boxes[0]).toMatchObject({
      name: 'vm',
      y: hosts.height,
      addresses: ['127.0.0.1:7000 → 127.0.0.1:7001'],
      counters: true,
      notes: [],
    });
    expect(boxes[0].height).toBe(PORT_NAME_ROW + PORT_NOTE + PORT_TABLE + 6);
    expect(boxes[0].tapY).toBeGreaterThan(boxes[0].y);
    expect(boxes[0].tapY).toBeLessThan(boxes[0].y + PORT_NAME_ROW);
    expect(boxes[1].y).toBe(boxes[0].y + boxes[0].height + HOST_GAP);
    expect(boxes[1].counters).toBe(false);
    // Addresses too long for one line take two.
    expect(boxes[1].addresses).toEqual(['192.168.100.200:65535 →', '192.168.100.201:65535']);
    expect(boxes[1].height).toBe(
      PORT_NAME_ROW + 2 * PORT_NOTE + boxes[1].notes.length * PORT_NOTE + 6,
    );
    expect(height).toBe(boxes[1].y + boxes[1].height + HOST_GAP);
    expect(layoutPorts(40, [])).toEqual({ boxes: [], height: 40 });
  });

  it('wraps at spaces and cuts words longer than a line', () => {
    expect(wrapText('a bb ccc dddd', 6)).toEqual(['a bb', 'ccc', 'dddd']);
    expect(wrapText('abcdefghij xy', 4)).toEqual(['abcd', 'efgh', 'ij', 'xy']);
    expect(wrapText('  ', 4)).toEqual([]);
  });
});
