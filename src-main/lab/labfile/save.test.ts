import { describe, expect, it } from 'vitest';
import { EVERY_FIELD_LAB, HASH_COLLISIONS_LAB } from './example';
import { parseLabSpec, validateLabData } from './load';
import { saveLabSpec, toLabData } from './save';
import type { LabSpec } from './schema';

function load(text: string, file = 'lab.yaml'): LabSpec {
  const r = parseLabSpec(text, file);
  if (r.errors) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r.spec;
}

describe('saveLabSpec', () => {
  it('writes the example the way it was written, units and all', () => {
    expect(saveLabSpec(load(HASH_COLLISIONS_LAB), 'yaml')).toBe(`name: hash-collisions
seed: 7
segment: { rate: 100Mbps, delay: 500ns, duplex: half }
hosts:
  - name: h0
    interfaces: [ { name: eth0, nic: nofilter, ip: 10.0.0.1/24 } ]
  - name: h1
    cpu: { perFrame: 2us }
    sysctl: { net.core.rmem_default: 212992 }
    interfaces: [ { name: eth0, nic: hash64, ip: 10.0.0.2/24, mac: 02:00:00:00:00:02 } ]
    join: [ { group: 239.1.1.1, port: 5000, readRate: 1000pps } ]
  - name: h2
    interfaces: [ { name: eth0, nic: perfect, ip: 10.0.0.3/24, entries: 8 } ]
    join: [ { group: 239.1.1.1, port: 5000 } ]
generators:
  - { name: flood, from: h0, to: 239.1.1.24:5000, pattern: cbr, rate: 10000pps, size: 18, start: 0s, stop: 1s }
captures: [ h1:eth0, segment ]
`);
  });

  it.each([
    ['the example', HASH_COLLISIONS_LAB],
    ['a lab with every field', EVERY_FIELD_LAB],
  ])('saves %s as YAML and JSON that load back to the same spec', (_name, text) => {
    const spec = load(text);
    for (const format of ['yaml', 'json'] as const) {
      const saved = saveLabSpec(spec, format);
      expect(load(saved, `lab.${format}`)).toEqual(spec);
      // Saving is stable: a second round writes the same text.
      expect(saveLabSpec(load(saved, `lab.${format}`), format)).toBe(saved);
    }
  });

  it('writes JSON that any JSON reader takes, with units as text and I/O bases in hex', () => {
    const data = JSON.parse(saveLabSpec(load(EVERY_FIELD_LAB), 'json'));
    expect(data.segment).toEqual({
      rate: '10Mbps',
      delay: '1.5us',
      duplex: 'full',
      faults: { bitErrorRate: 1e-6, lossRate: 0.01 },
    });
    expect(data.hosts[0].interfaces[0]).toMatchObject({
      io: '0x220',
      irqInterval: '50us',
      mac: '02:aa:bb:cc:dd:ee',
    });
    expect(data.generators[0]).toMatchObject({
      from: 'b:eth0',
      to: '255.255.255.255:9',
      rate: '64kbps',
    });
    expect(data.captures).toEqual(['segment', 'a:eth1']);
  });

  it('writes I/O bases in YAML as hex numbers', () => {
    const yaml = saveLabSpec(load(EVERY_FIELD_LAB), 'yaml');
    expect(yaml).toContain('io: 0x220');
    expect(yaml).toContain('io: 0x240');
  });

  it('round-trips values that have no short spelling', () => {
    const spec: LabSpec = {
      hosts: [
        {
          name: 'h0',
          cpu: { perFrame: 1234.5 },
          interfaces: [{ name: 'eth0', nic: 'hash64', ip: '10.0.0.1/8', irqInterval: 1 }],
        },
      ],
      segment: { rate: 1234567.5, delay: 0.25 },
      generators: [
        {
          name: 'g',
          from: { host: 'h0' },
          to: { ip: '10.0.0.2', port: 1 },
          rate: { pps: 0.5 },
          start: 7,
          stop: 1e9 + 1,
        },
      ],
    };
    for (const format of ['yaml', 'json'] as const) {
      expect(load(saveLabSpec(spec, format), `lab.${format}`)).toEqual(spec);
    }
  });

  it('gives the file form as data, which validates back to the spec', () => {
    const spec = load(EVERY_FIELD_LAB);
    const data = toLabData(spec);
    expect(validateLabData(data).spec).toEqual(spec);
    // The data shares nothing with the spec.
    (data.exercise as { checks: unknown[] }).checks.push('more');
    expect(spec.exercise?.checks).toHaveLength(2);
  });

  it('keeps a register-level card’s driver file and a driver exercise’s starter', () => {
    const spec = load(`
hosts:
  - name: h1
    interfaces: [{ name: eth0, nic: tulip, driver: { file: mine.js } }]
exercise:
  title: t
  instructions: i
  starter: { file: mine.js, header: 'Exercise: t.', replace: { get-stats-missed: '// TODO' } }
  checks: [{ title: c, path: hosts.h1.devices.eth0.stats.rx_packets, gt: 0 }]
`);
    const data = toLabData(spec);
    expect(validateLabData(data).spec).toEqual(spec);
    expect(saveLabSpec(spec, 'yaml')).toContain('driver: { file: mine.js }');
  });
});
