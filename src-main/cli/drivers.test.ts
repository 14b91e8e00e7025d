import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const NE2K = readFileSync(join(ROOT, 'resources/drivers/ne2k.js'), 'utf8');

function netlab(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/netlab.mjs'), ...args], {
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A lab whose h1 has an NE2000 run by `driver` (a `driver:` line, or none for the reference). */
function labDir(driver: string | null, source?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'netlab-driver-'));
  const drv = driver === null ? '' : `, driver: { file: ${driver} }`;
  writeFileSync(
    join(dir, 'lab.yaml'),
    `name: ne2k
seed: 3
hosts:
  - { name: h0, interfaces: [{ name: eth0, nic: nofilter, ip: 10.0.0.1/24 }] }
  - name: h1
    interfaces: [{ name: eth0, nic: ne2000, ip: 10.0.0.2/24${drv} }]
    join: [{ group: 239.1.1.1, port: 5000 }]
generators:
  - { name: mc, from: h0, to: '239.1.1.1:5000', rate: 1000pps, size: 100 }
`,
  );
  if (driver !== null && source !== undefined) writeFileSync(join(dir, driver), source);
  return dir;
}

describe('netlab run with a driver file', { timeout: 60_000 }, () => {
  it('runs the reference driver when the lab names none: every datagram reaches the socket', () => {
    const dir = labDir(null);
    const r = netlab('run', join(dir, 'lab.yaml'), '--for', '100ms', '--json', join(dir, 'r.json'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/h1:eth0 +ne2000 +driver/);
    const j = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(j.sinks[0].received).toBe(100);
    expect(j.hosts.h1.devices.eth0.driver).toEqual({ file: 'ne2k.js', broken: false, reports: [] });
  });

  it("reports a student driver's oops with its file, line and stack, and goes on", () => {
    const bad = NE2K.replace(
      '    const pktLen = hdr.count - 4;',
      '    const pktLen = hdr.cnt.length - 4;',
    );
    const line = bad.split('\n').findIndex((l) => l.includes('hdr.cnt.length')) + 1;
    const dir = labDir('my-ne2k.js', bad);
    const r = netlab('run', join(dir, 'lab.yaml'), '--for', '100ms', '--json', join(dir, 'r.json'));
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      `h1:eth0: my-ne2k.js:${line}:27: Oops: TypeError in interrupt: cannot read property 'length' of undefined`,
    );
    expect(r.err).toMatch(/at receive \(my-ne2k\.js:\d+:\d+\)\n\s+at interrupt \(my-ne2k\.js/);
    const j = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(j.sinks[0].received).toBe(0);
    expect(j.hosts.h1.devices.eth0.driver.broken).toBe(true);
  });

  it('a missing driver file is bad input (exit 2), named', () => {
    const dir = labDir('nowhere.js');
    const r = netlab('run', join(dir, 'lab.yaml'), '--for', '10ms');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/driver .*nowhere\.js/);
  });

  it('refuses a driver on a built-in model and a path out of the lab folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-driver-'));
    writeFileSync(
      join(dir, 'lab.yaml'),
      `hosts:
  - { name: h0, interfaces: [{ name: eth0, nic: hash64, driver: { file: a.js } }] }
  - { name: h1, interfaces: [{ name: eth0, nic: ne2000, driver: { file: ../a.js } }] }
`,
    );
    const r = netlab('validate', join(dir, 'lab.yaml'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /hosts\[0\]\.interfaces\[0\]\.driver: driver applies to register-level cards/,
    );
    expect(r.err).toMatch(/hosts\[1\]\.interfaces\[0\]\.driver\.file: expected a driver file/);
  });

  it('makes a driver exercise’s starter from the reference; the student’s saved copy wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-driver-'));
    const lab = readFileSync(join(ROOT, 'resources/labs/driver-8390-multicast.yaml'), 'utf8');
    writeFileSync(join(dir, 'lab.yaml'), lab);
    // No driver-8390-multicast.js beside it: the starter, whose makeMcBits sets no bin.
    let r = netlab('check', join(dir, 'lab.yaml'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/0\/3 checks passed/);
    // The student saved their copy, with makeMcBits written: it is the one that runs.
    writeFileSync(join(dir, 'driver-8390-multicast.js'), NE2K);
    r = netlab('check', join(dir, 'lab.yaml'));
    expect(r.out).toMatch(/3\/3 checks passed/);
    expect(r.code).toBe(0);
    // A starter naming a region the reference does not mark is bad input, named.
    const other = mkdtempSync(join(tmpdir(), 'netlab-driver-'));
    writeFileSync(join(other, 'bad.yaml'), lab.replace('make-mc-bits: |', 'make-mc-bitz: |'));
    r = netlab('check', join(other, 'bad.yaml'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/ne2k\.js marks no region "make-mc-bitz" \(it marks: make-mc-bits\)/);
  });
});
