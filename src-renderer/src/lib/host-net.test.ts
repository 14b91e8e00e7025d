import { describe, expect, it } from 'vitest';
import type { HostNetView } from '../../../src-main/ipc/api';
import { hostNetBadges, hostNetLines, netLinesHeight, NET_LINE, NET_PAD } from './host-net';

const bridge = (over: Partial<HostNetView['bridges'][number]> = {}) => ({
  name: 'br0',
  up: true,
  ports: [
    { dev: 'eth0', state: 'forwarding' as const },
    { dev: 'eth1', state: 'forwarding' as const },
  ],
  snooping: true,
  querier: false,
  querierExists: false,
  fdbEntries: 4,
  mdbGroups: 1,
  ...over,
});
const none: HostNetView = { ipForward: false, routes: [], bridges: [] };

describe('a host as a switch or a router', () => {
  it('calls a bridging host a switch and a forwarding one a router', () => {
    expect(hostNetBadges({ ...none, bridges: [bridge()] }, 0).map((b) => b.text)).toEqual([
      'switch',
    ]);
    expect(hostNetBadges({ ...none, ipForward: true }, 2).map((b) => b.text)).toEqual(['router']);
    // Two addressed cards and ip_forward 0: it will not route, and says so.
    expect(hostNetBadges(none, 2).map((b) => b.text)).toEqual(['ip_forward 0']);
    expect(hostNetBadges(none, 1)).toEqual([]);
  });

  it('lists a bridge with its ports and what snooping does', () => {
    expect(hostNetLines({ ...none, bridges: [bridge()] }).map((l) => l.text)).toEqual([
      'br0 UP · eth0 eth1',
      'snooping, no querier: floods · mdb 1',
    ]);
    const querier = bridge({ querier: true, querierExists: true, mdbGroups: 2 });
    expect(hostNetLines({ ...none, bridges: [querier] })[1].text).toBe(
      'snooping on · querier on · mdb 2',
    );
    // Its own querier is trusted only after 10 s: until then it floods, and says why.
    const starting = bridge({ querier: true });
    expect(hostNetLines({ ...none, bridges: [starting] })[1].text).toBe(
      'querier starting: floods · mdb 1',
    );
    const off = bridge({ snooping: false, up: false });
    expect(hostNetLines({ ...none, bridges: [off] }).map((l) => l.text)).toEqual([
      'br0 DOWN · eth0 eth1',
      'IGMP snooping off: multicast floods',
    ]);
  });

  it('lists the routes a user gave, not the subnets of its own addresses', () => {
    const lines = hostNetLines({
      ...none,
      routes: [
        '10.0.1.0/24 dev eth0 proto kernel scope link src 10.0.1.2',
        '10.0.2.0/24 via 10.0.1.1 dev eth0',
      ],
    });
    expect(lines.map((l) => l.text)).toEqual(['ip route', '10.0.2.0/24 via 10.0.1.1 dev eth0']);
    expect(netLinesHeight(lines)).toBe(NET_PAD + 2 * NET_LINE);
    expect(netLinesHeight([])).toBe(0);
  });
});
