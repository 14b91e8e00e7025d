import { describe, expect, it } from 'vitest';
import { formatSpecErrors } from './errors';
import { resolvePath } from './exercise';
import { parseLabSpec } from './load';

const LAB = `hosts:
  - name: h0
    interfaces: [{ name: eth0, nic: hash64, ip: 10.0.0.1/24 }]
exercise:
  title: t
  instructions: i
  checks:
`;

describe('exercise checks in a lab file', () => {
  it('need exactly one operator, and a path or a host and command', () => {
    const r = parseLabSpec(
      LAB +
        '    - { title: a, path: hosts.h0.fates.delivered, gt: 0, lt: 5 }\n' +
        '    - { title: b, host: h0, equals: 1 }\n' +
        '    - { title: c, path: x, gt: "many" }\n',
      'lab.yaml',
    );
    expect(formatSpecErrors(r.errors!)).toBe(
      [
        'lab.yaml:8:7: exercise.checks[0]: expected exactly one of equals, notEquals, gt, gte, lt, lte, contains, notContains, got gt and lt',
        'lab.yaml:9:7: exercise.checks[1]: expected either path, or host and command',
        'lab.yaml:10:32: exercise.checks[2].gt: expected a number, got "many"',
      ].join('\n'),
    );
  });

  it('accept a well-formed exercise', () => {
    const r = parseLabSpec(
      LAB + '    - { title: a, path: "sinks[0].received", gte: 1 }\n',
      'lab.yaml',
    );
    expect(r.errors).toBeUndefined();
    expect(r.spec!.exercise!.checks[0]).toEqual({ title: 'a', path: 'sinks[0].received', gte: 1 });
  });
});

describe('resolvePath', () => {
  const report = {
    hosts: { h1: { devices: { eth0: { flags: ['UP'] } }, sockets: [{ id: 3 }] } },
    sinks: [{ name: 'h1:239.1.1.1:5000', received: 7 }],
  };
  it('follows keys, indexes, and names in lists', () => {
    expect(resolvePath(report, 'hosts.h1.devices.eth0.flags')).toEqual(['UP']);
    expect(resolvePath(report, 'hosts.h1.sockets[0].id')).toBe(3);
    expect(resolvePath(report, 'sinks["h1:239.1.1.1:5000"].received')).toBe(7);
    expect(resolvePath(report, 'hosts.h9.devices')).toBeUndefined();
    expect(resolvePath(report, 'hosts.h1.constructor')).toBeUndefined();
  });
});
