import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const EXAMPLE = join(ROOT, 'resources/labs/hash-collisions.yaml');

function netlab(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/netlab.mjs'), ...args], {
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'netlab-cli-'));

// Each test starts the command as a user would: a Node process, a few seconds each here.
const SLOW = { timeout: 60_000 };

describe('netlab run', SLOW, () => {
  it("runs the issue's example: h1's hash filter lets the whole flood in and its kernel drops it; h2's perfect filter keeps it out", () => {
    const dir = tmp();
    const r = netlab(
      'run',
      EXAMPLE,
      '--for',
      '1s',
      '--json',
      join(dir, 'a.json'),
      '--pcap',
      join(dir, 'pcap'),
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/h1:eth0 +hash64 +hash/);
    const j = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'));
    const flood = 10_000;
    const h1 = j.hosts.h1;
    const h2 = j.hosts.h2;
    expect(h1.devices.eth0.nic.framesIn).toBeGreaterThanOrEqual(flood);
    expect(h1.fates.notJoined).toBe(flood);
    expect(h1.fates.delivered).toBe(0);
    expect(h1.snmp.Udp.InDatagrams).toBe(0);
    // The flood, and h1's two IGMPv3 reports to 224.0.0.22, a group h2's filter does not take.
    expect(h2.devices.eth0.nic.framesFiltered).toBe(flood + 2);
    expect(h2.devices.eth0.nic.framesIn).toBeLessThan(10);
    expect(j.simTimeNs).toBe(1e9);
    expect(j.segment.frames).toBeGreaterThanOrEqual(flood);
    expect(j.sinks).toHaveLength(2);
    expect(j.sinks[0]).toMatchObject({
      host: 'h1',
      group: '239.1.1.1',
      port: 5000,
      received: 0,
      lost: 0,
    });
    expect(readFileSync(join(dir, 'pcap', 'h1-eth0.pcap')).length).toBeGreaterThan(flood * 60);
    expect(readFileSync(join(dir, 'pcap', 'segment.pcap')).length).toBeGreaterThan(flood * 60);
  });

  it('is deterministic: the same lab and seed give byte-identical JSON and pcap files', () => {
    const a = tmp();
    const b = tmp();
    for (const d of [a, b]) {
      expect(
        netlab(
          'run',
          EXAMPLE,
          '--for',
          '200ms',
          '--seed',
          '3',
          '--json',
          join(d, 'r.json'),
          '--pcap',
          d,
        ).code,
      ).toBe(0);
    }
    for (const f of ['r.json', 'h1-eth0.pcap', 'segment.pcap']) {
      expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
    }
    // Another seed, another run: the hosts boot at other times (and back off by other slots).
    const c = tmp();
    netlab('run', EXAMPLE, '--for', '200ms', '--seed', '4', '--pcap', c);
    expect(
      readFileSync(join(c, 'segment.pcap')).equals(readFileSync(join(a, 'segment.pcap'))),
    ).toBe(false);
  });

  it('refuses bad input with exit code 2 and a one-line reason', () => {
    expect(netlab('run', '/nonexistent/lab.yaml')).toMatchObject({
      code: 2,
      err: 'netlab: /nonexistent/lab.yaml: no such file\n',
    });
    const r = netlab('run', EXAMPLE, '--for', 'soon');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--for: expected a duration such as 500ns, 2us, 1ms or 2s, got "soon"');
    expect(netlab('run', EXAMPLE, '--seed', '-1').code).toBe(2);
    expect(netlab('frobnicate').code).toBe(2);
  });
});

describe('netlab validate', SLOW, () => {
  it('exits 0 for a good file and 2 with every error, by line, for a bad one', () => {
    expect(netlab('validate', EXAMPLE)).toMatchObject({ code: 0 });
    const dir = tmp();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'name: x\nhosts:\n  - name: h0\n    interfaces: [{ name: eth0, nic: hash65 }]\n',
    );
    const r = netlab('validate', bad);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${bad}:4:37: hosts[0].interfaces[0].nic: expected one of nofilter, hash64, perfect, promisc-only, ne2000, tulip, at1700, got "hash65"`,
    );
    const dup = join(dir, 'dup.yaml');
    writeFileSync(
      dup,
      'name: x\nhosts:\n  - name: h0\n    interfaces: [{ name: eth0, nic: hash64 }]\n  - name: h0\n',
    );
    expect(netlab('validate', dup)).toMatchObject({
      code: 2,
      err: `netlab: ${dup}:5:11: hosts[1].name: duplicate host name "h0" (also hosts[0])\n`,
    });
  });
});

describe('netlab shell', SLOW, () => {
  it("runs commands on a host after the lab ran, through the host's shell", () => {
    const r = netlab(
      'shell',
      EXAMPLE,
      'h2',
      '--after',
      '10ms',
      '-c',
      'ping -c 2 10.0.0.2; nicctl eth0 filter; su user; ifconfig eth0 down',
    );
    expect(r.out).toContain('2 packets transmitted, 2 received, 0% packet loss');
    expect(r.out).toContain('01:00:5e:01:01:01');
    expect(r.out).toContain('SIOCSIFFLAGS: Operation not permitted');
    expect(r.code).not.toBe(0); // the last command failed
    expect(netlab('shell', EXAMPLE, 'h9', '-c', 'ifconfig')).toMatchObject({ code: 2 });
  });
});
