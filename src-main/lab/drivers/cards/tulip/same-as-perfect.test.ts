import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSameFrames } from '../../../testing/same-frames';
import { loadQuickJS } from '../../student/quickjs';

// The bar for a reference driver: the same lab with the built-in perfect model and
// with a Tulip run by tulip.js delivers the same frames to the same sockets. Both filter
// perfectly while the groups fit (16 entries; the Tulip's table also holds its own address
// and broadcast, so 14 groups).
const source = readFileSync(
  new URL('../../../../../resources/drivers/tulip.js', import.meta.url),
  'utf8',
);
const reader = () => ({ file: 'tulip.js', source });

const lab = (nic: string) => `
name: same-frames
seed: 3
segment: { rate: 10Mbps, delay: 500ns, duplex: full }
hosts:
  - { name: h0, interfaces: [{ name: eth0, nic: nofilter, ip: 10.0.0.1/24 }] }
  - name: h1
    interfaces: [{ name: eth0, nic: ${nic}, ip: 10.0.0.2/24 }]
    join:
      - { group: 239.1.1.1, port: 5000 }
      - { group: 239.1.1.5, port: 5005 }
      - { group: 239.1.1.9, port: 5009 }
  - name: h2
    interfaces: [{ name: eth0, nic: hash64, ip: 10.0.0.3/24 }]
    join: [{ group: 239.1.1.1, port: 5000 }]
generators:
  - { name: mc, from: h0, to: '239.1.1.1:5000', rate: 500pps, size: 100 }
  - { name: mc5, from: h0, to: '239.1.1.5:5005', rate: 300pps, size: 1200 }
  - { name: mc9, from: h0, to: '239.1.1.9:5009', rate: 300pps, size: 18 }
  # Not joined: a perfect filter keeps it out, in hardware, on both cards.
  - { name: other, from: h0, to: '239.1.1.24:5000', rate: 300pps, size: 18 }
  # 239.129.1.1 has 239.1.1.1's very MAC: both cards let it in, the kernel drops it.
  - { name: same-mac, from: h0, to: '239.129.1.1:5000', rate: 100pps, size: 18 }
  - { name: uni, from: h0, to: '10.0.0.2:6000', rate: 200pps, size: 300 }
  - { name: back, from: h1, to: '10.0.0.1:7000', rate: 200pps, size: 1000 }
sinks:
  - { host: h1, port: 6000 }
  - { host: h0, port: 7000 }
`;

const run = (nic: string) => runSameFrames(lab(nic), reader);

describe('tulip.js on a Tulip against the built-in perfect model', () => {
  beforeAll(async () => {
    await loadQuickJS();
  });

  it('delivers the same frames to the same sockets', () => {
    const builtin = run('perfect');
    const student = run('tulip');
    expect(student.reports).toEqual([]);
    expect(builtin.result.delivered).toBeGreaterThan(300);
    expect(builtin.result.notJoined).toBeGreaterThan(20);
    // The sockets and the kernel's UDP counters agree frame for frame. (The fates do not yet:
    // frames that reach the host by a bus master's DMA carry no wire number to follow.)
    expect(student.result.sinks).toEqual(builtin.result.sinks);
    expect(student.result.snmpUdp).toEqual(builtin.result.snmpUdp);
  });
});
