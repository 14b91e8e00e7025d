import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLab, type DriverReader } from '../../../labfile/build';
import { parseLabSpec } from '../../../labfile/load';
import { LabSession } from '../../../labfile/session';
import { FATE_KEYS } from '../../../netdev/fate';
import { loadQuickJS } from '../../student/quickjs';

// A bus master's frames reach the host through memory the driver maps, not through a port
// the kernel watches: the card remembers which frame it wrote where, and the kernel tags the
// buffer the driver unmaps (or syncs, for a copybreak copy) with it. So a frame the Tulip
// received can be followed to its fate and socket, frame by frame, as a built-in card's.
const TULIP = readFileSync(
  new URL('../../../../../resources/drivers/tulip.js', import.meta.url),
  'utf8',
);
const reader: DriverReader = () => ({ file: 'tulip.js', source: TULIP });

const lab = (nic: string, extra = '') => `
name: follow
seed: 5
segment: { rate: 10Mbps, delay: 500ns, duplex: full }
hosts:
  - { name: h0, interfaces: [{ name: eth0, nic: nofilter, ip: 10.0.0.1/24 }] }
  - name: h1
    ${extra}
    interfaces: [{ name: eth0, nic: ${nic}, ip: 10.0.0.2/24 }]
    join: [{ group: 239.1.1.1, port: 5000 }]
generators:
  # Small frames go up as copybreak copies, big ones in the mapped buffer itself.
  - { name: small, from: h0, to: '10.0.0.2:6000', rate: 200pps, size: 18 }
  - { name: big, from: h0, to: '10.0.0.2:6000', rate: 200pps, size: 1200 }
  - { name: mc, from: h0, to: '239.1.1.1:5000', rate: 200pps, size: 100 }
  - { name: no-socket, from: h0, to: '10.0.0.2:6001', rate: 100pps, size: 100 }
  # Same MAC as 239.1.1.1: the card lets it in, the kernel drops it as not joined.
  - { name: same-mac, from: h0, to: '239.129.1.1:5000', rate: 100pps, size: 18 }
  - { name: other, from: h0, to: '239.1.1.9:5000', rate: 100pps, size: 18 }
sinks:
  - { host: h1, port: 6000 }
`;

function follow(nic: string, extra = '') {
  const parsed = parseLabSpec(lab(nic, extra), 'follow.yaml');
  expect(parsed.errors).toBeUndefined();
  const session = new LabSession(buildLab(parsed.spec!, reader));
  session.lab.run(200e6);
  const h1 = session.lab.host('h1');
  const ifindex = session.report().hosts.h1.devices.eth0.ifindex;
  const frames = session.lab.segments[0].lastFrameSeq;
  const fates: (string | null)[] = [];
  for (let seq = 1; seq <= frames; seq++) {
    const f = h1.machine.fates.find(seq, ifindex);
    fates.push(f ? `${f.stage}${f.socket >= 0 ? ` → socket ${f.socket}` : ''}` : null);
  }
  const totals = Object.fromEntries(FATE_KEYS.map((k, i) => [k, h1.machine.fates.total(i)]));
  const stats = session.report().hosts.h1.devices.eth0.stats!;
  const reports = session.report().hosts.h1.devices.eth0.driver?.reports ?? [];
  session.close();
  return { fates, totals, stats, reports };
}

describe('following a frame the Tulip received', () => {
  beforeAll(async () => {
    await loadQuickJS();
  });

  it('each frame has the fate the built-in perfect card’s has, socket and all', () => {
    const builtin = follow('perfect');
    const tulip = follow('tulip');
    expect(tulip.reports).toEqual([]);
    const seen = new Set(builtin.fates.filter((f) => f !== null).map((f) => f!.split(' → ')[0]));
    expect([...seen].sort()).toEqual([
      'consumed by kernel',
      'delivered',
      'group not joined',
      'no socket',
    ]);
    expect(tulip.fates).toEqual(builtin.fates);
    expect(tulip.totals).toEqual(builtin.totals);
    expect(tulip.totals.hwFilter).toBeGreaterThan(10);
  });

  it('a frame the card had no descriptor for is followed to "ring full", as rx_missed_errors counts', () => {
    // A slow CPU: the NAPI poll falls behind and the card runs out of descriptors.
    const slow = follow('tulip', 'cpu: { perFrame: 4ms }');
    expect(slow.reports).toEqual([]);
    expect(slow.totals.ringFull).toBeGreaterThan(0);
    expect(slow.fates.filter((f) => f === 'ring full').length).toBe(slow.totals.ringFull);
    expect(slow.totals.ringFull).toBe(slow.stats.rx_missed_errors);
  });
});
