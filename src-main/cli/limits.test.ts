// The `netlab` command against careless and hostile input (issue 16): files sized before they
// are read, captures within their memory budget, pcap names that never overwrite each other,
// and lab-file text that cannot drive the terminal.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function netlab(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/netlab.mjs'), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'netlab-limits-'));

/** A flood of full-size frames at line rate, captured on the wire and at a host. */
const FLOOD = `name: flood
hosts:
  - name: h0
    interfaces: [{ name: eth0, nic: nofilter, ip: 10.0.0.1/24 }]
  - name: h1
    interfaces: [{ name: eth0, nic: nofilter, ip: 10.0.0.2/24 }]
generators:
  - { name: f, from: h0, to: '10.0.0.2:9', rate: 100Mbps, size: 1472 }
captures: [segment, h1:eth0]
`;

describe('netlab and its limits', { timeout: 120_000 }, () => {
  it('sizes a lab file before reading it: /dev/zero and a 2 MiB file are refused at once', () => {
    const zero = netlab('validate', '/dev/zero');
    expect(zero.code).toBe(2);
    expect(zero.err).toBe(
      'netlab: /dev/zero: is longer than that: over the limit of 1 MiB for a lab file\n',
    );
    const big = join(tmp(), 'big.yaml');
    writeFileSync(big, `name: big\n#${'x'.repeat(2 * 2 ** 20)}\n`);
    const r = netlab('run', big);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`netlab: ${big}: is 2 MiB: over the limit of 1 MiB for a lab file\n`);
    expect(netlab('validate', tmp()).err).toContain('is a directory, not a lab file');
  });

  it('keeps a capture within --capture-limit, or the lab file captureLimit, and says it was reached', () => {
    const dir = tmp();
    const lab = join(dir, 'flood.yaml');
    writeFileSync(lab, FLOOD);
    const r = netlab(
      'run',
      lab,
      '--for',
      '2s',
      '--capture-limit',
      '2MiB',
      '--json',
      join(dir, 'a.json'),
    );
    expect(r.code).toBe(0);
    const a = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')) as {
      capture: { frames: number; bytes: number; limit: number; overwritten: number };
    };
    expect(a.capture.limit).toBe(2 * 2 ** 20);
    expect(a.capture.bytes).toBeLessThanOrEqual(2 * 2 ** 20);
    expect(a.capture.bytes).toBeGreaterThan(1.9 * 2 ** 20);
    // 2 s at 100 Mbps is some 16,000 frames a point: most were overwritten.
    expect(a.capture.overwritten).toBeGreaterThan(25_000);
    expect(r.err).toContain(
      `netlab: the capture reached its limit of 2MiB: its oldest ${a.capture.overwritten} frames were overwritten`,
    );

    writeFileSync(lab, FLOOD + 'captureLimit: 1MiB\n');
    const b = netlab('run', lab, '--for', '1s', '--json', join(dir, 'b.json'));
    expect(b.code).toBe(0);
    const bj = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')) as {
      capture: { bytes: number; limit: number };
    };
    expect(bj.capture).toMatchObject({ limit: 2 ** 20 });
    expect(bj.capture.bytes).toBeLessThanOrEqual(2 ** 20);

    const bad = netlab('run', lab, '--capture-limit', '10');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(
      '--capture-limit: expected a size such as 64MiB, 512MB or 1GiB, got "10"',
    );
    writeFileSync(lab, FLOOD + 'captureLimit: 100GiB\n');
    expect(netlab('validate', lab).err).toContain(
      'captureLimit: expected a capture limit from 1MiB to 4GiB, got "100GiB"',
    );
  });

  it('never lets two capture points overwrite one pcap file', () => {
    const dir = tmp();
    const lab = join(dir, 'names.yaml');
    writeFileSync(
      lab,
      `name: names
hosts:
  - name: a-b
    interfaces: [{ name: c, nic: nofilter, ip: 10.0.0.1/24 }]
  - name: a
    interfaces: [{ name: b-c, nic: nofilter, ip: 10.0.0.2/24 }]
generators:
  - { name: g, from: a-b, to: '10.0.0.2:9', rate: 1000pps, size: 100 }
captures: [a-b:c, a:b-c]
`,
    );
    const r = netlab('run', lab, '--for', '100ms', '--pcap', join(dir, 'pcaps'));
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'pcaps')).sort()).toEqual(['a-b-c.2.pcap', 'a-b-c.pcap']);
    expect(r.err).toContain(
      'netlab: a:b-c is written to a-b-c.2.pcap: its usual name is taken by another capture point',
    );
    // Each file holds its own point's frames: a-b sent them, a received them.
    const sizes = ['a-b-c.pcap', 'a-b-c.2.pcap'].map(
      (f) => readFileSync(join(dir, 'pcaps', f)).length,
    );
    expect(sizes.every((n) => n > 24 + 50 * 100)).toBe(true);
  });

  it('prints lab-file text with its control characters escaped, never raw to the terminal', () => {
    const dir = tmp();
    const lab = join(dir, 'ex.yaml');
    writeFileSync(
      lab,
      `name: ex
hosts:
  - name: h0
    interfaces: [{ name: eth0, nic: nofilter, ip: 10.0.0.1/24 }]
exercise:
  title: "Clear \\e[2J\\e]0;pwned\\a screen \\u009b31m and \\u202e reversed"
  instructions: x
  checks:
    - { title: "check \\e[31m red", path: simTimeNs, gt: 0 }
`,
    );
    const r = netlab('check', lab, '--for', '1ms');
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(r.out).not.toMatch(/[\u001b\u0007\u009b\u202e]/);
    expect(r.out).toContain(
      'Clear \\x1b[2J\\x1b]0;pwned\\x07 screen \\x9b31m and \\u202e reversed',
    );
    expect(r.out).toContain('PASS check \\x1b[31m red');
  });
});
