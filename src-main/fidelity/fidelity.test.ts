import { describe, expect, it } from 'vitest';
import { compareRuns } from './compare';
import { readFixture } from './fixtures';
import { runLab } from './lab-side';
import { normalize } from './normalize';
import { SCENARIOS } from './scenarios';
import { BRIDGE_SCENARIOS, compareBridgeRuns, readBridgeFixture } from './bridge/compare';
import { runBridgeLab } from './bridge/lab';
import { BRIDGE_STEPS } from './bridge/scenario';

describe('the lab beside the recorded real kernel (npm run fidelity, without root)', () => {
  it.each(SCENARIOS.map((s) => [s.id, s] as const))('%s', (_id, sc) => {
    const fixture = readFixture(sc);
    expect(fixture, `fixtures/${sc.id}.json`).not.toBeNull();
    expect(compareRuns(sc, runLab(sc, fixture!.rmemMax), fixture!.steps)).toEqual([]);
  });
});

describe('the bridge beside the recorded real kernel (issue 22)', () => {
  it('bridge link/fdb/mdb, ip -d link show br0, and where a multicast flood goes', () => {
    const fixture = readBridgeFixture();
    expect(fixture, 'fixtures/bridge-snooping.json').not.toBeNull();
    expect(compareBridgeRuns(runBridgeLab(BRIDGE_STEPS), fixture!.steps)).toEqual([]);
    // The recorded flood steps: to every port, then (querier) only h2's, then every port again.
    const floods = fixture!.steps.filter((_, i) => BRIDGE_STEPS[i].op === 'flood');
    expect(floods.map((f) => f.out[0])).toEqual([
      'eth0 +0 eth1 +20 eth2 +20',
      'eth0 +0 eth1 +20 eth2 +0',
      'eth0 +0 eth1 +20 eth2 +20',
    ]);
  });

  it('bridge fdb/mdb add and del, bridge_slave details, and a leave pruned after 2 s', () => {
    const sc = BRIDGE_SCENARIOS[1];
    const fixture = readBridgeFixture(sc);
    expect(fixture, `fixtures/${sc.id}.json`).not.toBeNull();
    expect(compareBridgeRuns(runBridgeLab(sc.steps), fixture!.steps, sc)).toEqual([]);
    // Linux after h2's leave: the group query (and 2 s on eth1's general query) out eth1.
    const counts = fixture!.steps.filter((_, i) => sc.steps[i].op === 'count');
    expect(counts.map((c) => c.out[0])).toEqual([
      'eth0 +1 eth1 +1 eth2 +1',
      'eth0 +1 eth1 +2 eth2 +1',
      'eth0 +1 eth1 +1 eth2 +0',
    ]);
  });
});

describe('normalize', () => {
  it('takes out only the differences kept on purpose', () => {
    expect(
      normalize([
        '1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
        '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
        '2: eth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
        '    link/ether 02:00:00:00:02:00 brd ff:ff:ff:ff:ff:ff link-netns nlf1h0 promiscuity 1  allmulti 0 minmtu 68 maxmtu 65535 ',
        '    veth addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 ',
      ]),
    ).toEqual([
      // lo stays: the lab has one, as Linux does.
      '1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
      '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
      '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc <default> state UP mode DEFAULT group default qlen 1000',
      '    link/ether 02:00:00:00:02:00 brd ff:ff:ff:ff:ff:ff promiscuity 1  allmulti 0 minmtu 68 maxmtu <driver>',
    ]);
    // A real difference stays: PROMISC shown or not.
    expect(
      normalize(['eth0: flags=4419<UP,BROADCAST,RUNNING,PROMISC,MULTICAST>  mtu 1500']),
    ).toEqual(['eth0: flags=4419<UP,BROADCAST,RUNNING,PROMISC,MULTICAST>  mtu 1500']);
  });

  it('a differing line or exit status is reported with the step', () => {
    const sc = SCENARIOS.find((s) => s.id === 'ip-stats-and-details')!;
    const fixture = readFixture(sc)!;
    const lab = runLab(sc, fixture.rmemMax);
    lab[4] = { out: ['Option "-x" is unknown, try "ip -help".'], rc: 1 };
    lab[0] = { out: ['    RX:  bytes'], rc: 0 };
    const diffs = compareRuns(sc, lab, fixture.steps);
    expect(diffs).toHaveLength(2);
    expect(diffs[0]).toMatch(/step 1 \(h1 ip -s link show eth0\), line 1/);
    expect(diffs[1]).toMatch(/step 5 \(h1 ip -x link\): exit 1 in the lab, 255 on Linux/);
  });
});
