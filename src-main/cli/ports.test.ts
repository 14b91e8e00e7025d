import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/netlab.mjs');
const EXAMPLE = join(ROOT, 'resources/labs/hash-collisions.yaml');

function netlab(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

// Lab A: h1 sends multicast to 239.1.1.1 and has joined 239.1.1.2; lab B the other way round.
// Each lab numbers its hosts from 1, so the MACs are set: default MACs would be the same in both.
const LAB_A = `
name: lab A
hosts:
  - name: h1
    interfaces: [{ name: eth0, nic: perfect, ip: 10.0.0.1/24, mac: '02:00:00:00:0a:01' }]
    join: [{ group: 239.1.1.2, port: 5001 }]
generators:
  - { name: a-to-b, from: h1, to: '239.1.1.1:5000', rate: 50pps, size: 64 }
`;
const LAB_B = `
name: lab B
hosts:
  - name: h2
    interfaces: [{ name: eth0, nic: hash64, ip: 10.0.0.2/24, mac: '02:00:00:00:0b:02' }]
    join: [{ group: 239.1.1.1, port: 5000 }]
generators:
  - { name: b-to-a, from: h2, to: '239.1.1.2:5001', rate: 50pps, size: 64 }
`;

/** The value of `field` in a /proc/net/snmp block (`Udp:` header line, then the values line). */
function snmp(text: string, proto: string, field: string): number {
  const lines = text.split('\n').filter((l) => l.startsWith(`${proto}: `));
  const names = lines[0].split(/\s+/).slice(1);
  const values = lines[1].split(/\s+/).slice(1);
  return Number(values[names.indexOf(field)]);
}

describe('netlab ports', { timeout: 90_000 }, () => {
  it('refuses bad port options with exit 2, and a port in use with exit 1', async () => {
    expect(netlab('run', EXAMPLE, '--port', '7000')).toMatchObject({
      code: 2,
      err: 'netlab: --port: expected LOCAL_PORT:REMOTE_HOST:REMOTE_PORT such as 7000:127.0.0.1:7001, got "7000"\n',
    });
    expect(netlab('run', EXAMPLE, '--port-bind', '0.0.0.0')).toMatchObject({
      code: 2,
      err: 'netlab: --port-bind: only with --port\n',
    });
    expect(
      netlab('run', EXAMPLE, '--port', '7000:127.0.0.1:7001', '--port-bind', 'any'),
    ).toMatchObject({
      code: 2,
      err: 'netlab: --port-bind: local address "any" is not an IPv4 address\n',
    });
    const busy = createSocket('udp4');
    await new Promise<void>((r) => busy.bind(0, '127.0.0.1', () => r()));
    const r = netlab('run', EXAMPLE, '--port', `${busy.address().port}:127.0.0.1:9`);
    busy.close();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/);
  });

  it("opens a lab file's ports only with --ports, and exposed ones only with --expose-ports", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-ports-'));
    const listen = await freeUdpPort();
    const lab = join(dir, 'p.yaml');
    writeFileSync(lab, `${LAB_B}ports: [{ name: vm, listen: ${listen}, remote: '127.0.0.1:9' }]\n`);
    // Without --ports the lab runs as fast as ever, its port named and closed.
    const quiet = netlab('run', lab, '--for', '10ms');
    expect(quiet.code).toBe(0);
    expect(quiet.err).toBe(
      `netlab: the lab file's ports are not opened: vm (127.0.0.1:${listen} → 127.0.0.1:9); add --ports to open them\n`,
    );
    expect(quiet.out).not.toContain('datagrams in');
    const opened = netlab('run', lab, '--ports', '--for', '10ms');
    expect(opened.code).toBe(0);
    expect(opened.err).toContain(`port vm listening on 127.0.0.1:${listen}`);

    writeFileSync(
      lab,
      `${LAB_B}ports: [{ name: vm, listen: '0.0.0.0:${listen}', remote: '224.0.0.1:9' }]\n`,
    );
    expect(netlab('run', lab, '--ports', '--for', '10ms')).toMatchObject({
      code: 2,
      err:
        `netlab: port vm listens on 0.0.0.0:${listen}, which other machines can reach; ` +
        'port vm sends to 224.0.0.1:9, a multicast address: add --expose-ports if that is what you mean\n',
    });
    expect(
      netlab('run', EXAMPLE, '--port', `${listen}:255.255.255.255:9`, '--for', '10ms'),
    ).toMatchObject({
      code: 2,
      err: `netlab: --port ${listen}:255.255.255.255:9 sends to the broadcast address: add --expose-ports if that is what you mean\n`,
    });
    const exposed = netlab('run', lab, '--ports', '--expose-ports', '--for', '10ms');
    expect(exposed.code, exposed.err).toBe(0);
    expect(exposed.err).toContain(`port vm listening on 0.0.0.0:${listen}`);
  });

  it('joins two labs into one segment: ping across with ARP, and multicast both ways', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-ports-'));
    writeFileSync(join(dir, 'a.yaml'), LAB_A);
    const portA = await freeUdpPort();
    const portB = await freeUdpPort();
    // B's port is in its lab file; A's is given with --port.
    writeFileSync(
      join(dir, 'b.yaml'),
      `${LAB_B}ports: [{ name: to-a, listen: ${portB}, remote: '127.0.0.1:${portA}' }]\n`,
    );

    // Lab B runs headless until it is interrupted; it writes its counters when it ends.
    const b = spawn(
      process.execPath,
      [BIN, 'run', join(dir, 'b.yaml'), '--ports', '--for', '60s', '--json', join(dir, 'b.json')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let bErr = '';
    let bOut = '';
    b.stderr.on('data', (d: Buffer) => (bErr += d.toString()));
    b.stdout.on('data', (d: Buffer) => (bOut += d.toString()));
    const bExit = new Promise<number | null>((r) => b.on('close', (code) => r(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!bErr.includes('listening on') && Date.now() < deadline && b.exitCode === null)
        await new Promise((r) => setTimeout(r, 50));
      expect(bErr).toContain(`port to-a listening on 127.0.0.1:${portB}`);

      // Lab A: h1's shell, in real time, pings h2 across the ports, then looks at what it learnt.
      const a = await new Promise<{ code: number | null; out: string; err: string }>((done) => {
        const p = spawn(
          process.execPath,
          [
            BIN,
            'shell',
            join(dir, 'a.yaml'),
            'h1',
            '--port',
            `${portA}:127.0.0.1:${portB}`,
            '--after',
            '1s',
            '-c',
            'ping -c 3 10.0.0.2; ip neigh; cat /proc/net/snmp',
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        let err = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.stderr.on('data', (d: Buffer) => (err += d.toString()));
        p.on('close', (code) => done({ code, out, err }));
      });
      expect(a.code, a.err).toBe(0);
      // ICMP across, after ARP: h1 asked for 10.0.0.2 and h2 (in the other process) answered.
      expect(a.out).toContain('3 packets transmitted, 3 received, 0% packet loss');
      expect(a.out).toMatch(
        /10\.0\.0\.2 dev eth0 lladdr 02:00:00:00:0b:02 (REACHABLE|STALE|DELAY)/,
      );
      // B's generator reached A's socket for 239.1.1.2:5001.
      expect(snmp(a.out, 'Udp', 'InDatagrams')).toBeGreaterThan(0);
      expect(snmp(a.out, 'Icmp', 'InEchoReps')).toBe(3);
    } finally {
      b.kill('SIGINT');
    }
    // Interrupted, B still prints and writes its report, and exits 0.
    expect(await bExit, bErr).toBe(0);
    expect(bOut).toMatch(/to-a +127\.0\.0\.1:\d+ +127\.0\.0\.1:\d+/);
    const j = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'));
    // h2 answered the three echo requests (and so resolved 10.0.0.1, or learnt it from h1's request).
    expect(j.hosts.h2.snmp.Icmp.InEchos).toBe(3);
    expect(j.hosts.h2.snmp.Icmp.OutEchoReps).toBe(3);
    // A's generator reached B's sink, as one stream from 10.0.0.1, none lost while both ran.
    const sink = j.sinks[0];
    expect(sink.received).toBeGreaterThan(0);
    expect(sink.streams).toHaveLength(1);
    expect(sink.streams[0].from).toBe('10.0.0.1:32768');
    expect(sink.streams[0].lost).toBe(0);
    expect(j.ports).toHaveLength(1);
    expect(j.ports[0].name).toBe('to-a');
    expect(j.ports[0]).toMatchObject({ malformed: 0, sendErrors: 0, wireErrors: 0 });
    expect(j.ports[0].fromOutside).toBe(j.ports[0].datagramsIn);
    expect(j.ports[0].fromOutside).toBeGreaterThanOrEqual(sink.received + 3);
  });
});
