import { describe, expect, it } from 'vitest';
import { Lab } from './lab';
import { USER } from './netdev/cred';
import { NET_DEVICE_STAT_NAMES } from './netdev/stats';
import { labReport } from './report';
import { MS } from './sim/time';
import { parseIpv4 } from './wire/ipv4-addr';

describe('labReport', () => {
  it('reads every counter into plain JSON, with the hash false positive visible per stage', () => {
    const lab = new Lab({ seed: 3 });
    const [h0, h1] = ['h0', 'h1'].map((n) => lab.addHost(n));
    lab.addInterface(h0, { model: 'nofilter', ip: '10.0.0.1/24' });
    lab.addInterface(h1, { model: 'hash64', ip: '10.0.0.2/24' });
    const rx = h1.kernel.udp.socket();
    rx.mcIf = h1.nics[0].dev ?? null;
    h1.kernel.udp.bind(rx, 0, 5000, USER);
    h1.kernel.udp.addMembership(rx, parseIpv4('239.1.1.1')!, h1.nics[0].dev);
    lab.run(MS);
    const tx = h0.kernel.udp.socket();
    tx.mcIf = h0.nics[0].dev ?? null;
    for (let i = 0; i < 5; i++) h0.kernel.udp.sendto(tx, null, 18, parseIpv4('239.1.1.24')!, 5000);
    lab.run(MS);
    const report = JSON.parse(JSON.stringify(labReport(lab.now, lab.hosts, lab.segment)));
    const dev = report.hosts.h1.devices.eth0;
    expect(dev.flags).toEqual(['UP', 'BROADCAST', 'RUNNING', 'MULTICAST']);
    expect(dev.mcList).toEqual(['01:00:5e:00:00:01', '01:00:5e:01:01:01']);
    expect(Object.keys(dev.stats)).toEqual(NET_DEVICE_STAT_NAMES);
    expect(dev.nic).toMatchObject({ model: 'hash64', filterMode: 'hash' });
    expect(dev.nic.framesIn).toBeGreaterThanOrEqual(5);
    expect(report.hosts.h1.fates.notJoined).toBe(5);
    expect(report.hosts.h1.fates.delivered).toBe(0);
    expect(report.hosts.h1.snmp.Udp).toMatchObject({ InDatagrams: 0, NoPorts: 0, RcvbufErrors: 0 });
    expect(report.hosts.h0.snmp.Udp.OutDatagrams).toBe(5);
    expect(report.segment.frames).toBeGreaterThanOrEqual(5);
    expect(report.simTimeNs).toBe(2 * MS);
  });
});
