import { describe, expect, it } from 'vitest';
import { IFF_ALLMULTI, IFF_PROMISC, IFF_UP } from '../netdev/flags';
import { formatMac } from '../wire/mac';
import { buildLab } from './build';
import { InvalidLabSpecError } from './errors';
import { EVERY_FIELD_LAB, HASH_COLLISIONS_LAB } from './example';
import { parseLabSpec } from './load';
import { defaultMac, effectiveIrqs, type LabSpec } from './schema';

function load(text: string): LabSpec {
  const r = parseLabSpec(text, 'lab.yaml');
  if (r.errors) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r.spec;
}

describe('buildLab', () => {
  it('builds the example: segment, hosts, sysctls, CPU costs and cards, all up', () => {
    const { lab, generators, sinks, captures } = buildLab(load(HASH_COLLISIONS_LAB));
    expect(lab.segment.bitRate).toBe(100e6);
    expect(lab.segment.delay).toBe(500);
    expect(lab.segment.duplex).toBe('half');
    expect(lab.hosts.map((h) => h.name)).toEqual(['h0', 'h1', 'h2']);
    const [h0, h1, h2] = lab.hosts;
    expect(h1.machine.cpu.perFrame).toBe(2000);
    expect(h0.machine.cpu.perFrame).toBe(500);
    expect(h1.kernel.sysctl.get('net.core.rmem_default')).toBe(212992);
    expect(h0.nics[0].model.name).toBe('nofilter');
    expect(h1.nics[0].model.name).toBe('hash64');
    expect(formatMac(h1.nics[0].dev.devAddr)).toBe('02:00:00:00:00:02');
    expect(h2.nics[0].model.name).toBe('perfect');
    // entries: 8, a setup frame of 8: its broadcast and own entries leave 6 for groups.
    expect(h2.nics[0].filter.perfectCapacity).toBe(6);
    for (const h of lab.hosts) expect(h.nics[0].dev.flags & IFF_UP).toBe(IFF_UP);
    expect(h1.kernel.inDev(h1.nics[0].dev).addrs.map((a) => [a.local, a.prefixLen])).toEqual([
      [0x0a000002, 24],
    ]);

    expect(generators).toEqual([
      {
        name: 'flood',
        host: h0,
        nic: h0.nics[0],
        dest: 0xef010118,
        destText: '239.1.1.24',
        port: 5000,
        pattern: 'cbr',
        rate: { pps: 10000 },
        sizes: [18],
        startNs: 0,
        stopNs: 1e9,
        onNs: 0,
        offNs: 0,
      },
    ]);
    expect(sinks).toEqual([
      {
        name: 'h1:239.1.1.1:5000',
        host: h1,
        nic: h1.nics[0],
        port: 5000,
        group: 0xef010101,
        groupText: '239.1.1.1',
        readRate: 1000,
        origin: 'join',
      },
      {
        name: 'h2:239.1.1.1:5000',
        host: h2,
        nic: h2.nics[0],
        port: 5000,
        group: 0xef010101,
        groupText: '239.1.1.1',
        readRate: Infinity,
        origin: 'join',
      },
    ]);
    expect(captures).toEqual([{ kind: 'device', host: h1, nic: h1.nics[0] }, { kind: 'segment' }]);
    lab.run(1e6);
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });

  it('gives cards the MACs and IRQ lines the validator expects', () => {
    const spec = load(`hosts:
  - name: a
    interfaces: [{ name: eth0, nic: hash64 }, { name: eth1, nic: hash64, irq: 9 }, { name: eth2, nic: hash64 }]
  - name: b
    interfaces: [{ name: eth0, nic: perfect }, { name: eth1, nic: nofilter, up: false }]
`);
    const { lab } = buildLab(spec);
    spec.hosts.forEach((hs, h) => {
      const irqs = effectiveIrqs(hs.interfaces!);
      hs.interfaces!.forEach((_, i) => {
        const dev = lab.hosts[h].nics[i].dev;
        expect(formatMac(dev.devAddr)).toBe(defaultMac(h, i));
        expect(dev.irq).toBe(irqs[i]);
      });
    });
  });

  it('applies every interface setting', () => {
    const { lab, generators, sinks, captures } = buildLab(load(EVERY_FIELD_LAB));
    expect(lab.segment.bitRate).toBe(10e6);
    expect(lab.segment.duplex).toBe('full');
    const [a, b] = lab.hosts;
    expect(a.machine.cpu.perFrame).toBe(750);
    expect(a.kernel.sysctl.get('net.core.netdev_budget')).toBe(50);
    const [eth0, eth1] = a.nics;
    expect(formatMac(eth0.dev.devAddr)).toBe('02:aa:bb:cc:dd:ee');
    expect(eth0.dev.irq).toBe(9);
    expect(eth0.dev.baseAddr).toBe(0x220);
    expect(eth0.dev.mtu).toBe(9000);
    expect(eth0.dev.txQueueLen).toBe(100);
    expect(eth0.dev.flags & (IFF_UP | IFF_ALLMULTI | IFF_PROMISC)).toBe(IFF_UP | IFF_ALLMULTI);
    expect(eth0.tuning).toMatchObject({
      rxRing: 32,
      txRing: 16,
      entries: 16,
      fallback: 'allmulti',
      napiWeight: 16,
      irqInterval: 50_000,
      copybreak: 128,
    });
    expect(eth0.filter.mode).toBe('allmulti');
    expect(eth1.dev.flags & IFF_UP).toBe(0);
    expect(eth1.dev.baseAddr).toBe(0x240);
    expect(
      generators.map((g) => [g.name, g.nic === b.nics[0], g.pattern, g.sizes, g.onNs, g.offNs]),
    ).toEqual([
      ['burst', true, 'onoff', [18, 512, 1472], 10e6, 90e6],
      ['few', false, 'poisson', [64], 0, 0],
    ]);
    expect(generators[1]).toMatchObject({ count: 3, stopNs: Infinity });
    expect(generators[1].rate).toBeUndefined();
    expect(
      sinks.map((s) => [s.name, s.host.name, s.nic.name, s.groupText, s.readRate, s.origin]),
    ).toEqual([
      ['a:224.0.0.251:5353', 'a', 'eth0', '224.0.0.251', 2000, 'join'],
      ['discard', 'b', 'eth0', null, Infinity, 'sinks'],
      ['a:239.0.0.1:6000', 'a', 'eth0', '239.0.0.1', 100, 'sinks'],
    ]);
    expect(captures).toEqual([{ kind: 'segment' }, { kind: 'device', host: a, nic: eth1 }]);
  });

  it('sets the segment faults', () => {
    const { lab } = buildLab(load(EVERY_FIELD_LAB));
    const faults = (lab.segment as unknown as { faultRates: object }).faultRates;
    expect(faults).toEqual({ bitErrorRate: 1e-6, lossRate: 0.01 });
  });

  it('is deterministic: one spec, one lab', () => {
    const spec = load(HASH_COLLISIONS_LAB);
    const a = buildLab(spec).lab;
    const b = buildLab(spec).lab;
    expect(a.rng.nextU32()).toBe(b.rng.nextU32());
  });

  it('refuses a spec a program got wrong, before building anything', () => {
    const spec = load(HASH_COLLISIONS_LAB);
    spec.generators![0].from = { host: 'h9' };
    expect(() => buildLab(spec)).toThrow(InvalidLabSpecError);
    expect(() => buildLab(spec)).toThrow(
      'hash-collisions: generators[0].from: unknown host "h9"; did you mean "h0"? (the hosts are h0, h1, h2)',
    );
  });
});
