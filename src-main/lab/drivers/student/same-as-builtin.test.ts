import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSameFrames } from '../../testing/same-frames';
import { loadQuickJS } from './quickjs';

// The bar for a reference driver: the same lab with the built-in hash64 model and
// with an NE2000 run by ne2k.js delivers the same frames to the same sockets.
const source = readFileSync(
  new URL('../../../../resources/drivers/ne2k.js', import.meta.url),
  'utf8',
);
const reader = () => ({ file: 'ne2k.js', source });

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
  # 239.1.1.24 shares 239.1.1.1's hash bin: both cards let it in, the kernel drops it.
  - { name: same-bin, from: h0, to: '239.1.1.24:5000', rate: 300pps, size: 18 }
  - { name: other-bin, from: h0, to: '239.1.1.2:5000', rate: 300pps, size: 18 }
  - { name: uni, from: h0, to: '10.0.0.2:6000', rate: 200pps, size: 300 }
  - { name: back, from: h1, to: '10.0.0.1:7000', rate: 200pps, size: 1000 }
sinks:
  - { host: h1, port: 6000 }
  - { host: h0, port: 7000 }
`;

const run = (nic: string) => runSameFrames(lab(nic), reader);

describe('ne2k.js on an NE2000 against the built-in hash64 model', () => {
  beforeAll(async () => {
    await loadQuickJS();
  });

  it('delivers the same frames to the same sockets', () => {
    const builtin = run('hash64');
    const student = run('ne2000');
    expect(student.reports).toEqual([]);
    expect(builtin.result.delivered).toBeGreaterThan(200);
    expect(builtin.result.notJoined).toBeGreaterThan(50);
    expect(student.result).toEqual(builtin.result);
  });
});
