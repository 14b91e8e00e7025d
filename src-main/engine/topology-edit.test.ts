// The editor's topology edits on the lab's file form: segments, a card's segment, bridges,
// ip_forward and routes. Each test starts from the window's new lab (h0 with eth0 on the one
// segment), edits as the editor would, then builds the result or saves and reloads it.
import { describe, expect, it } from 'vitest';
import type { ApiError } from '../ipc/protocol';
import { Shell } from '../lab/host/shell/shell';
import { buildLab } from '../lab/labfile/build';
import { parseLabSpec } from '../lab/labfile/load';
import { saveLabSpec } from '../lab/labfile/save';
import type { LabSpec } from '../lab/labfile/schema';
import { SECOND } from '../lab/sim/time';
import { newLabSpec } from './engine';
import { topologyEdits as edit } from './topology-edit';

/** The refusal `f` throws: its code, field and message. */
function refusal(f: () => unknown): { code: string; field?: string; message: string } {
  try {
    f();
  } catch (e) {
    const body = (e as ApiError).body;
    if (!body) throw e;
    return { code: body.code, field: body.field, message: body.message };
  }
  throw new Error('the edit was accepted');
}

/** Two LANs joined by router r, built as a user builds them in the editor from a new lab. */
function twoLans(): LabSpec {
  let s = newLabSpec('routed');
  s = edit['segment.add'](s, { name: 'lan2', rate: '10Mbps', duplex: 'full' });
  s = edit['host.add'](s, { name: 'r', ip: '10.0.0.254/24', segment: 'segment' });
  s = edit['nic.add'](s, { host: 'r', ip: '10.0.2.1/24', segment: 'lan2' });
  s = edit['host.add'](s, { name: 'h2', ip: '10.0.2.2/24', nic: 'perfect', segment: 'lan2' });
  s = edit['host.setForwarding'](s, { host: 'r', on: true });
  s = edit['route.add'](s, { host: 'h0', to: '10.0.2.0/24', via: '10.0.0.254' });
  s = edit['route.add'](s, { host: 'h2', to: 'default', via: '10.0.2.1' });
  return s;
}

describe('segments', () => {
  it('adding one turns the lab of one segment into named segments, every card naming its own', () => {
    const s = edit['segment.add'](newLabSpec('x'), { name: 'lan2', rate: '10Mbps', delay: '1us' });
    expect(s.segment).toBeUndefined();
    expect(s.segments).toEqual([{ name: 'segment' }, { name: 'lan2', rate: 10e6, delay: 1000 }]);
    expect(s.hosts[0].interfaces![0].segment).toBe('segment');
  });

  it("refuses a bad rate or duplicate name with the schema's rule, naming the field", () => {
    const s = newLabSpec('x');
    const r = refusal(() => edit['segment.add'](s, { name: 'lan2', rate: '100 furlongs' }));
    expect(r).toMatchObject({ code: 'invalid-lab', field: 'args.rate' });
    expect(r.message).toMatch(/segments\[1\]\.rate: expected/);
    expect(refusal(() => edit['segment.add'](s, { name: 'segment' }))).toMatchObject({
      code: 'exists',
      field: 'args.name',
    });
    expect(refusal(() => edit['segment.add'](s, { name: 'lan 2' }))).toMatchObject({
      field: 'args.name',
    });
  });

  it('removes an empty segment, and refuses one with cards on it naming them', () => {
    const s = twoLans();
    const r = refusal(() => edit['segment.remove'](s, { name: 'lan2' }));
    expect(r).toMatchObject({ code: 'refused', field: 'args.name' });
    expect(r.message).toBe(
      'lan2 has cards on it (r:eth1, h2:eth0): remove them or move them to another segment first',
    );
    const t = edit['segment.add'](s, { name: 'lan3' });
    expect(edit['segment.remove'](t, { name: 'lan3' }).segments!.map((x) => x.name)).toEqual([
      'segment',
      'lan2',
    ]);
    expect(
      refusal(() => edit['segment.remove'](newLabSpec('x'), { name: 'segment' })),
    ).toMatchObject({ code: 'refused', field: 'args.name' });
    expect(refusal(() => edit['segment.remove'](s, { name: 'lan9' }))).toMatchObject({
      code: 'not-found',
      field: 'args.name',
    });
  });

  it('a new card in a lab of several segments must say which; a move names the segment', () => {
    const s = twoLans();
    expect(refusal(() => edit['nic.add'](s, { host: 'h0' }))).toMatchObject({
      field: 'args.segment',
    });
    expect(refusal(() => edit['nic.add'](s, { host: 'h0', segment: 'lan9' }))).toMatchObject({
      code: 'not-found',
      field: 'args.segment',
    });
    const moved = edit['nic.setSegment'](s, { host: 'h2', dev: 'eth0', segment: 'segment' });
    expect(moved.hosts[2].interfaces![0].segment).toBe('segment');
    expect(
      refusal(() => edit['nic.setSegment'](s, { host: 'h2', dev: 'eth5', segment: 'lan2' })),
    ).toMatchObject({ code: 'not-found', field: 'args.dev' });
  });
});

describe('bridges', () => {
  /** h0 with three cards on three segments. */
  function threeCards(): LabSpec {
    let s = newLabSpec('br');
    s = edit['segment.add'](s, { name: 'lan2' });
    s = edit['segment.add'](s, { name: 'lan3' });
    s = edit['nic.add'](s, { host: 'h0', segment: 'lan2' });
    return edit['nic.add'](s, { host: 'h0', segment: 'lan3' });
  }

  it('adds one with its ports and snooping options, and builds it as ip link would', () => {
    const s = edit['bridge.add'](threeCards(), {
      host: 'h0',
      name: 'br0',
      ports: ['eth1', 'eth2'],
      mcastSnooping: false,
      querier: true,
    });
    expect(s.hosts[0].bridges).toEqual([
      { name: 'br0', ports: ['eth1', 'eth2'], mcastSnooping: false, querier: true },
    ]);
    const { lab } = buildLab(s);
    expect(new Shell(lab.hosts[0]).exec('bridge link').output).toEqual([
      '3: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 19 ',
      '4: eth2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 19 ',
    ]);
    expect(edit['bridge.remove'](s, { host: 'h0', name: 'br0' }).hosts[0].bridges).toBeUndefined();
  });

  it("refuses a port the host lacks, a second master and a loop, by the schema's rules", () => {
    const s = threeCards();
    const r = refusal(() =>
      edit['bridge.add'](s, { host: 'h0', name: 'br0', ports: ['eth1', 'eth7'] }),
    );
    expect(r).toMatchObject({ code: 'invalid-lab', field: 'args.ports[1]' });
    expect(r.message).toMatch(/h0 has no interface eth7/);
    const one = edit['bridge.add'](s, { host: 'h0', name: 'br0', ports: ['eth1'] });
    expect(
      refusal(() => edit['bridge.add'](one, { host: 'h0', name: 'br1', ports: ['eth1'] })).message,
    ).toMatch(/eth1 is already a port of br0: a device has one master/);
    expect(
      refusal(() => edit['bridge.add'](one, { host: 'h0', name: 'br0', ports: ['eth2'] })),
    ).toMatchObject({ code: 'exists', field: 'args.name' });
    expect(
      refusal(() => edit['bridge.add'](one, { host: 'h0', name: 'eth0', ports: ['eth2'] })),
    ).toMatchObject({ field: 'args.name' });
    // Moving a port's cable onto the segment of another port of the same bridge is a loop.
    const two = edit['bridge.add'](s, { host: 'h0', name: 'br0', ports: ['eth1', 'eth2'] });
    expect(
      refusal(() => edit['nic.setSegment'](two, { host: 'h0', dev: 'eth2', segment: 'lan2' }))
        .message,
    ).toMatch(/eth2 and eth1 are both on segment lan2: .* a loop/);
    expect(refusal(() => edit['bridge.remove'](s, { host: 'h0', name: 'br9' }))).toMatchObject({
      code: 'not-found',
      field: 'args.name',
    });
  });
});

describe('routing', () => {
  it('a router built in the editor forwards a ping across, TTL one less', () => {
    const { lab } = buildLab(twoLans());
    const job = new Shell(lab.hosts[0]).exec('ping -c 1 10.0.2.2');
    lab.run(2 * SECOND);
    expect(job.output[1]).toMatch(/^64 bytes from 10\.0\.2\.2: icmp_seq=1 ttl=63 /);
    expect(lab.hosts[1].kernel.mib.ip.ForwDatagrams).toBe(2);
  });

  it('ip_forward off drops the sysctl, and the ping is not forwarded', () => {
    const s = edit['host.setForwarding'](twoLans(), { host: 'r', on: false });
    expect(s.hosts[1].sysctl).toBeUndefined();
    const { lab } = buildLab(s);
    const job = new Shell(lab.hosts[0]).exec('ping -c 1 -W 1 10.0.2.2');
    lab.run(2 * SECOND);
    expect(job.output.join('\n')).toMatch(/1 packets transmitted, 0 received/);
  });

  it("refuses routes the kernel would refuse, naming the request's field", () => {
    const s = twoLans();
    const off = refusal(() =>
      edit['route.add'](s, { host: 'h0', to: '10.0.9.0/24', via: '10.0.5.1' }),
    );
    expect(off).toMatchObject({ code: 'invalid-lab', field: 'args.via' });
    expect(off.message).toMatch(
      /gateway 10\.0\.5\.1 is not on any of h0's subnets .*Nexthop has invalid gateway/,
    );
    expect(
      refusal(() => edit['route.add'](s, { host: 'h0', to: '10.0.2.1/24', via: '10.0.0.254' })),
    ).toMatchObject({ field: 'args.to' });
    expect(
      refusal(() => edit['route.add'](s, { host: 'h0', to: '10.0.2.0/24', via: '10.0.0.254' }))
        .message,
    ).toMatch(/duplicate route to 10\.0\.2\.0\/24.*File exists/);
    expect(
      refusal(() => edit['route.add'](s, { host: 'h0', to: '10.0.3.0/24', dev: 'wlan9' })),
    ).toMatchObject({
      code: 'not-found',
      field: 'args.dev',
      message: 'h0 has no interface wlan9 (it has eth0)',
    });
    expect(refusal(() => edit['route.add'](s, { host: 'nosuch', to: 'default' }))).toMatchObject({
      code: 'not-found',
      field: 'args.host',
    });
  });

  it('removes a route by destination (and metric), as ip route del', () => {
    const s = twoLans();
    expect(
      edit['route.remove'](s, { host: 'h2', to: '0.0.0.0/0' }).hosts[2].routes,
    ).toBeUndefined();
    const r = refusal(() => edit['route.remove'](s, { host: 'h2', to: '10.0.0.0/24' }));
    expect(r).toMatchObject({ code: 'not-found', field: 'args.to' });
    expect(r.message).toBe('h2 has no route to 10.0.0.0/24 in its lab file (it has default)');
  });
});

describe('saving what the editor built', () => {
  it('writes a lab file that loads back to the same lab', () => {
    const s = edit['bridge.add'](
      edit['nic.add'](twoLans(), { host: 'h2', segment: 'segment', ip: '10.0.0.9/24' }),
      { host: 'h2', name: 'br0', ports: ['eth0', 'eth1'], mcastSnooping: true },
    );
    for (const format of ['yaml', 'json'] as const) {
      const text = saveLabSpec(s, format);
      const back = parseLabSpec(text, `lab.${format}`);
      expect(back.errors).toBeUndefined();
      expect(back.spec).toEqual(s);
    }
    const yaml = saveLabSpec(s, 'yaml');
    expect(yaml).toContain(
      'segments:\n  - { name: segment }\n  - { name: lan2, rate: 10Mbps, duplex: full }',
    );
    expect(yaml).toContain('sysctl: { net.ipv4.ip_forward: 1 }');
    expect(yaml).toContain('routes: [ { to: default, via: 10.0.2.1 } ]');
    expect(yaml).toContain(
      'bridges: [ { name: br0, ports: [ eth0, eth1 ], mcastSnooping: true } ]',
    );
  });
});
