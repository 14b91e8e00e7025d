import { describe, expect, it } from 'vitest';
import { buildLab } from './build';
import { formatSpecError } from './errors';
import { parseLabSpec } from './load';
import { saveLabSpec } from './save';
import type { LabSpec } from './schema';

const LAB = `name: with ports
hosts:
  - name: h1
    interfaces: [{ name: eth0, nic: hash64, ip: 10.0.0.1/24 }]
ports:
  - { name: qemu, listen: 7000, remote: 127.0.0.1:7001 }
  - { name: other-lab, listen: 0.0.0.0:7002, remote: 192.168.1.20:7002 }
`;

function load(text: string): LabSpec {
  const r = parseLabSpec(text, 'lab.yaml');
  if (r.errors) throw new Error(r.errors.map(formatSpecError).join('\n'));
  return r.spec;
}

function errorsOf(text: string): string[] {
  const r = parseLabSpec(text, 'lab.yaml');
  if (!r.errors) throw new Error('expected errors');
  return r.errors.map(formatSpecError);
}

describe('lab files: external ports', () => {
  it('reads ports: a bare listening port is on 127.0.0.1, another address only when written', () => {
    expect(load(LAB).ports).toEqual([
      {
        name: 'qemu',
        listen: { host: '127.0.0.1', port: 7000 },
        remote: { host: '127.0.0.1', port: 7001 },
      },
      {
        name: 'other-lab',
        listen: { host: '0.0.0.0', port: 7002 },
        remote: { host: '192.168.1.20', port: 7002 },
      },
    ]);
  });

  it('saves them and loads them back', () => {
    const spec = load(LAB);
    for (const format of ['yaml', 'json'] as const) {
      const text = saveLabSpec(spec, format);
      expect(parseLabSpec(text, `lab.${format}`)).toEqual({ spec });
    }
    expect(saveLabSpec(spec, 'yaml')).toContain(
      '- { name: qemu, listen: 127.0.0.1:7000, remote: 127.0.0.1:7001 }',
    );
  });

  it('names what is wrong with a port', () => {
    const bad = LAB.replace('remote: 127.0.0.1:7001', 'remote: qemu-host:7001')
      .replace('listen: 0.0.0.0:7002', 'listen: 70000')
      .replace('name: other-lab', 'name: qemu');
    expect(errorsOf(bad)).toEqual([
      'lab.yaml:6:41: ports[0].remote: expected ADDRESS:PORT such as 127.0.0.1:7000, or a port, got "qemu-host:7001"',
      'lab.yaml:7:27: ports[1].listen: expected a port from 1 to 65535, got 70000',
    ]);
    const dup = LAB.replace(
      'name: other-lab, listen: 0.0.0.0:7002',
      'name: qemu, listen: 127.0.0.1:7000',
    );
    expect(errorsOf(dup)).toEqual([
      'lab.yaml:7:13: ports[1].name: duplicate port name "qemu" (also ports[0])',
      'lab.yaml:7:27: ports[1].listen: ports[0] listens on 127.0.0.1:7000 too',
    ]);
    expect(
      errorsOf(LAB.replace('remote: 127.0.0.1:7001', 'remote: 127.0.0.1:7001, mtu: 9000'))[0],
    ).toContain('ports[0].mtu: unknown key "mtu"');
  });

  it('builds the lab as before: ports are opened by whoever runs it (the CLI, the engine), not by the lab', () => {
    const built = buildLab(load(LAB));
    expect(built.lab.segment.stations).toHaveLength(1);
    expect(built.spec.ports).toHaveLength(2);
  });
});
