import { buildLab } from '../labfile/build';
import { parseLabSpec } from '../labfile/load';
import { LabSession } from '../labfile/session';

/**
 * The routed lab several tests build: h1 on lan1, a router r (ip_forward 1) on lan1 and lan2,
 * and h2 on lan2 unless `h2` is false (a next hop nobody answers for). `generator` is the lab
 * file's one generator, from h1.
 */
export function routedLab(generator: string, { h2 = true } = {}): LabSession {
  const text = `name: routed
segments: [{ name: lan1 }, { name: lan2 }]
hosts:
  - name: h1
    interfaces: [{ name: eth0, nic: perfect, ip: 10.0.1.2/24, segment: lan1 }]
    routes: [{ to: 10.0.2.0/24, via: 10.0.1.1 }]
  - name: r
    sysctl: { net.ipv4.ip_forward: 1 }
    interfaces:
      - { name: eth0, nic: perfect, ip: 10.0.1.1/24, segment: lan1 }
      - { name: eth1, nic: perfect, ip: 10.0.2.1/24, segment: lan2 }
${
  h2
    ? `  - name: h2
    interfaces: [{ name: eth0, nic: perfect, ip: 10.0.2.2/24, segment: lan2 }]
`
    : ''
}generators: [${generator}]
`;
  const r = parseLabSpec(text, 'routed.yaml');
  if (r.errors) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return new LabSession(buildLab(r.spec));
}
