import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FATE_NOT_FOR_HOST } from '../../../netdev/fate';
import { runSameFrames } from '../../../testing/same-frames';
import { loadQuickJS } from '../../student/quickjs';

// The bar for a reference driver: the same lab with the built-in promisc-only model
// and with an AT1700 run by at1700.js delivers the same frames to the same sockets. Neither
// card filters multicast: one group makes both promiscuous, and the kernel drops the rest.
const source = readFileSync(
  new URL('../../../../../resources/drivers/at1700.js', import.meta.url),
  'utf8',
);
const reader = () => ({ file: 'at1700.js', source });

// An up device is always in a group (IPv4 joins 224.0.0.1 in ip_mc_up), so on a card that
// cannot filter multicast the driver keeps it promiscuous: unicast to other stations
// comes in too, and the kernel drops it (not for this host).
const lab = (nic: string) => `
name: same-frames
seed: 3
segment: { rate: 10Mbps, delay: 500ns, duplex: full }
hosts:
  - { name: h0, interfaces: [{ name: eth0, nic: nofilter, ip: 10.0.0.1/24 }] }
  - name: h1
    interfaces: [{ name: eth0, nic: ${nic}, ip: 10.0.0.2/24 }]
    join: [{ group: 239.1.1.1, port: 5000 }]
  - name: h2
    interfaces: [{ name: eth0, nic: hash64, ip: 10.0.0.3/24 }]
    join: [{ group: 239.1.1.1, port: 5000 }]
generators:
  - { name: mc, from: h0, to: '239.1.1.1:5000', rate: 500pps, size: 100 }
  - { name: other, from: h0, to: '239.1.1.2:5000', rate: 300pps, size: 18 }
  # Unicast to another station: only a promiscuous card lets it in.
  - { name: h2-uni, from: h0, to: '10.0.0.3:6000', rate: 200pps, size: 300 }
  - { name: uni, from: h0, to: '10.0.0.2:6000', rate: 200pps, size: 301 }
  - { name: back, from: h1, to: '10.0.0.1:7000', rate: 400pps, size: 1000 }
sinks:
  - { host: h1, port: 6000 }
  - { host: h0, port: 7000 }
`;

const run = (nic: string) =>
  runSameFrames(lab(nic), reader, (session, report) => ({
    notForHost: session.lab.host('h1').machine.fates.total(FATE_NOT_FOR_HOST),
    flags: report.hosts['h1']!.devices['eth0']!.devFlags,
    framesIn: report.hosts['h1']!.devices['eth0']!.nic.framesIn,
  }));

describe('at1700.js on an AT1700 against the built-in promisc-only model', () => {
  beforeAll(async () => {
    await loadQuickJS();
  });

  it('delivers the same frames to the same sockets', () => {
    const builtin = run('promisc-only');
    const student = run('at1700');
    expect(student.reports).toEqual([]);
    expect(builtin.result.flags).toContain('PROMISC');
    expect(builtin.result.delivered).toBeGreaterThan(200);
    expect(builtin.result.notJoined).toBeGreaterThan(50);
    expect(builtin.result.notForHost).toBeGreaterThan(30);
    expect(student.result).toEqual(builtin.result);
  });
});
