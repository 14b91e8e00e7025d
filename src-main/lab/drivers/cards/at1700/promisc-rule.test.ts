import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLab } from '../../../labfile/build';
import { parseLabSpec } from '../../../labfile/load';
import { LabSession } from '../../../labfile/session';
import { formatReport } from '../../student/oops';
import { loadQuickJS } from '../../student/quickjs';

// The article's rule for a card that can only do unicast or promiscuous: the driver that
// goes promiscuous for a multicast list must set IFF_PROMISC itself. A driver that forgets
// gets a warning at its setMulticastList, and ifconfig would otherwise hide the cost.
const AT1700 = readFileSync(
  new URL('../../../../../resources/drivers/at1700.js', import.meta.url),
  'utf8',
);

const LAB = `
name: promisc-rule
seed: 1
hosts:
  - { name: h0, interfaces: [{ name: eth0, nic: nofilter, ip: 10.0.0.1/24 }] }
  - name: h1
    interfaces: [{ name: eth0, nic: at1700, ip: 10.0.0.2/24, driver: { file: my-at1700.js } }]
    join: [{ group: 239.1.1.1, port: 5000 }]
generators:
  - { name: mc, from: h0, to: '239.1.1.1:5000', count: 20, rate: 1000pps }
`;

function run(source: string) {
  const parsed = parseLabSpec(LAB, 'promisc-rule.yaml');
  expect(parsed.errors).toBeUndefined();
  const session = new LabSession(buildLab(parsed.spec!, () => ({ file: 'my-at1700.js', source })));
  session.lab.run(100e6);
  const dev = session.report().hosts.h1.devices.eth0;
  session.close();
  return dev;
}

describe('a promisc-only card: IFF_PROMISC for a multicast list', () => {
  beforeAll(async () => {
    await loadQuickJS();
  });

  it('the reference driver says PROMISC, with no warning', () => {
    const dev = run(AT1700);
    expect(dev.driver?.reports).toEqual([]);
    expect(dev.devFlags).toContain('PROMISC');
  });

  it('going promiscuous without the flag is a warning at the student’s setMulticastList line', () => {
    // What de620.c did from Linux 2.2 on: promiscuous for any group, dev->flags untouched.
    const start = AT1700.indexOf('function setMulticastList(k, dev) {');
    const end = AT1700.indexOf('\n}\n', start) + 3;
    const forgot =
      AT1700.slice(0, start) +
      `function setMulticastList(k, dev) {
  const io = dev.base_addr;
  if (k.netdev_mc_count(dev) > 0 || dev.flags & (k.IFF_PROMISC | k.IFF_ALLMULTI))
    k.outb(3, io + RX_MODE);
  else k.outb(2, io + RX_MODE);
}
` +
      AT1700.slice(end);
    const dev = run(forgot);
    const reports = dev.driver?.reports ?? [];
    // Said once (WARN_ONCE), though the list was set at open and again at the join.
    expect(reports).toHaveLength(1);
    const r = reports[0];
    expect(r.severity).toBe('warning');
    expect(r.title).toBe('promiscuous without IFF_PROMISC');
    expect(r.file).toBe('my-at1700.js');
    expect(forgot.split('\n')[r.line - 1]).toMatch(/function setMulticastList\(k, dev\)/);
    expect(r.message).toMatch(/multicast address.*dev\.flags \|= k\.IFF_PROMISC/);
    expect(formatReport(r)).toMatch(/my-at1700\.js:\d+/);
    // The card takes everything, and the kernel does not know it.
    expect(dev.devFlags).not.toContain('PROMISC');
    expect(dev.nic.framesIn).toBeGreaterThanOrEqual(20);
  });

  it('staying station+broadcast is no rule broken: the groups just never arrive', () => {
    const start = AT1700.indexOf('function setMulticastList(k, dev) {');
    const end = AT1700.indexOf('\n}\n', start) + 3;
    const deaf =
      AT1700.slice(0, start) +
      'function setMulticastList(k, dev) {\n  k.outb(2, dev.base_addr + RX_MODE);\n}\n' +
      AT1700.slice(end);
    const dev = run(deaf);
    expect(dev.driver?.reports).toEqual([]);
    expect(dev.nic.framesIn).toBe(0);
  });
});
