import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RealRun, Scenario } from './scenario';

const AGENT = fileURLToPath(new URL('./real-agent.py', import.meta.url));
/** The MACs the lab gives its hosts' first cards (02:00:00:00:HH:00), set on the veth ends too. */
const HOSTS = [
  { name: 'h0', mac: '02:00:00:00:01:00' },
  { name: 'h1', mac: '02:00:00:00:02:00' },
];

/** The router topology: r is the lab's third host (02:00:00:00:03:NN), cabled to both. */
const ROUTER = {
  hosts: [...HOSTS, { name: 'r', mac: '02:00:00:00:03:00', macs: { eth1: '02:00:00:00:03:01' } }],
  links: [
    ['h0', 'eth0', 'r', 'eth0'],
    ['r', 'eth1', 'h1', 'eth0'],
  ],
};

/** Why the real kernel side cannot run here, or null when it can (root, ip, python3). */
export function liveUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'not root';
  for (const tool of ['ip', '/usr/bin/python3', 'ifconfig']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`]);
    if (r.status !== 0) return `${tool} is not installed`;
  }
  return null;
}

/**
 * Runs a scenario on this machine's kernel, in two network namespaces of its
 * own (real-agent.py deletes them whatever happens).
 */
export function runReal(sc: Scenario): RealRun {
  const shape = sc.topology === 'router' ? ROUTER : { hosts: HOSTS };
  const input = JSON.stringify({ ...shape, steps: sc.steps });
  const r = spawnSync('/usr/bin/python3', [AGENT], { input, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${sc.id}: real-agent.py failed: ${r.stderr || r.error}`);
  return JSON.parse(r.stdout) as RealRun;
}
