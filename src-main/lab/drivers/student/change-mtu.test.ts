import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLab } from '../../labfile/build';
import { parseLabSpec } from '../../labfile/load';
import { LabSession } from '../../labfile/session';
import { Shell } from '../../host/shell/shell';
import { loadQuickJS } from './quickjs';

// ndo_change_mtu as `ip link set DEV mtu N` reaches it, with dev_set_mtu's checks before it
// (the messages are iproute2's on Linux 6.18 against a veth, min 68, here max 1500).
const AT1700 = readFileSync(
  new URL('../../../../resources/drivers/at1700.js', import.meta.url),
  'utf8',
);

/** at1700.js with a changeMtu op: `body` is its code. */
const withChangeMtu = (body: string) =>
  AT1700.replace(
    'export default {\n',
    `export default {\n  changeMtu(k, dev, mtu) {\n${body}\n  },\n`,
  );

function lab(source: string) {
  const parsed = parseLabSpec(
    `
name: mtu
hosts:
  - name: h1
    interfaces: [{ name: eth0, nic: at1700, ip: 10.0.0.2/24, driver: { file: my.js } }]
`,
    'mtu.yaml',
  );
  expect(parsed.errors).toBeUndefined();
  const session = new LabSession(buildLab(parsed.spec!, () => ({ file: 'my.js', source })));
  session.lab.run(1e6);
  const h1 = session.lab.host('h1');
  const sh = new Shell(h1);
  const run = (line: string) => {
    const job = sh.exec(line);
    expect(job.done, line).toBe(true);
    return { out: job.output, status: job.exitCode };
  };
  const mtu = () => session.report().hosts.h1.devices.eth0.mtu;
  const reports = () => session.report().hosts.h1.devices.eth0.driver?.reports ?? [];
  return { session, run, mtu, reports };
}

describe('changeMtu (ndo_change_mtu)', () => {
  beforeAll(async () => {
    await loadQuickJS();
  });

  it('checks the range before the driver, with iproute2’s messages', () => {
    const calls: string[] = [];
    const { run, mtu, session } = lab(
      withChangeMtu('    k.printk(`change_mtu ${mtu}`);\n    dev.mtu = mtu;\n    return 0;'),
    );
    expect(run('ip link set eth0 mtu 67')).toEqual({
      out: ['Error: mtu less than device minimum.'],
      status: 2,
    });
    expect(run('ip link set eth0 mtu -1').out).toEqual(['Error: mtu less than device minimum.']);
    expect(run('ip link set eth0 mtu 1501').out).toEqual([
      'Error: mtu greater than device maximum.',
    ]);
    expect(run('ip link set eth0 mtu abc').out).toEqual([
      'Error: argument "abc" is wrong: Invalid "mtu" value',
    ]);
    expect(run('ifconfig eth0 mtu 40').out).toEqual(['SIOCSIFMTU: Invalid argument']);
    // None of those reached the driver; these do.
    expect(run('ip link set eth0 mtu 68')).toEqual({ out: [], status: 0 });
    expect(run('ifconfig eth0 mtu 1400').out).toEqual([]);
    expect(mtu()).toBe(1400);
    expect(run('ip link show eth0').out[0]).toMatch(/ mtu 1400 /);
    for (const line of session.lab.host('h1').registerNics[0].log) calls.push(line);
    expect(calls).toEqual(['eth0: change_mtu 68', 'eth0: change_mtu 1400']);
  });

  it('a driver’s refusal is the error ip prints', () => {
    const { run, mtu } = lab(
      withChangeMtu('    if (mtu > 1000) return -k.EINVAL;\n    dev.mtu = mtu;\n    return 0;'),
    );
    expect(run('ip link set eth0 mtu 1200')).toEqual({
      out: ['RTNETLINK answers: Invalid argument'],
      status: 2,
    });
    expect(mtu()).toBe(1500);
    expect(run('ip link set eth0 mtu 900').status).toBe(0);
    expect(mtu()).toBe(900);
  });

  it('without the op the kernel sets the MTU itself', () => {
    const { run, mtu, reports } = lab(AT1700);
    expect(run('ip link set eth0 mtu 576').status).toBe(0);
    expect(mtu()).toBe(576);
    expect(reports()).toEqual([]);
  });

  it('returning 0 without setting dev.mtu is a warning at changeMtu, and the MTU stays', () => {
    const source = withChangeMtu('    return 0;');
    const { run, mtu, reports } = lab(source);
    expect(run('ip link set eth0 mtu 1000').status).toBe(0);
    expect(mtu()).toBe(1500);
    const r = reports()[0];
    expect(r.title).toBe('change_mtu left dev->mtu as it was');
    expect(source.split('\n')[r.line - 1]).toMatch(/changeMtu\(k, dev, mtu\)/);
  });
});
