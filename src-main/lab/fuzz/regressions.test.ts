import { describe, expect, it } from 'vitest';
import { Lab } from '../lab';
import { devClose, devSetMtu } from '../netdev/dev';
import { FATE_DEV_DROP } from '../netdev/fate';
import { ExternalPort } from '../segment/external-port';
import { US } from '../sim/time';
import { parseLabSpec } from '../spec/load';
import { auditLab } from './fate-audit';

/** Bugs the fuzzers found, each pinned by the smallest case that shows it. */

describe('frames a card or the backlog still holds when the device stops', () => {
  /** A slow host of each kind of driver, flooded with broadcasts of an unknown type. */
  function flooded() {
    const lab = new Lab({ seed: 3 });
    const napi = lab.addHost('napi', 200_000);
    lab.addInterface(napi, { model: 'perfect', ip: '10.0.0.1/24', rxRing: 8 });
    const isa = lab.addHost('isa', 200_000);
    lab.addInterface(isa, { model: 'nofilter', ip: '10.0.0.2/24' });
    const port = new ExternalPort('x', lab.segment);
    const frame = new Uint8Array(60).fill(0xff, 0, 6);
    frame[12] = 0x88;
    frame[13] = 0xb5;
    for (let i = 0; i < 40; i++) port.send(frame);
    lab.run(500 * US);
    return { lab, port, napi, isa };
  }

  it('are dropped as the device goes down, each with its fate and in rx_dropped', () => {
    const { lab, port, napi, isa } = flooded();
    expect(napi.nics[0].rx!.pending).toBeGreaterThan(0);
    expect(isa.machine.softnet.backlog.qlen).toBeGreaterThan(0);
    const held =
      napi.nics[0].rx!.pending + isa.nics[0].rx!.pending + isa.machine.softnet.backlog.qlen;
    devClose(napi.nics[0].dev);
    devClose(isa.nics[0].dev);
    const drops = napi.machine.fates.total(FATE_DEV_DROP) + isa.machine.fates.total(FATE_DEV_DROP);
    expect(drops).toBe(held);
    expect(napi.nics[0].stats.rx_dropped + isa.nics[0].stats.rx_dropped).toBe(held);
    expect(auditLab(lab, [port], { wholeRun: true, settled: false }).problems).toEqual([]);
    expect(lab.pool.outstanding).toBe(0);
  });

  it('are dropped with their fates when an MTU change rebuilds the ring', () => {
    const { lab, port, napi } = flooded();
    const held = napi.nics[0].rx!.pending;
    expect(held).toBeGreaterThan(0);
    expect(devSetMtu(napi.nics[0].dev, 1400)).toBe(0);
    expect(napi.machine.fates.total(FATE_DEV_DROP)).toBe(held);
    expect(auditLab(lab, [port], { wholeRun: true, settled: false }).problems).toEqual([]);
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });
});

describe('YAML aliases and merge keys that yaml cannot convert', () => {
  const first = (text: string) => {
    const r = parseLabSpec(text, 'lab.yaml');
    expect(r.errors).toBeDefined();
    const e = r.errors![0];
    return `${e.line}:${e.column}: ${e.message}`;
  };

  it('a merge key given a scalar or a list: an error at the key, not "could not read the file"', () => {
    expect(first('name: x\n<<: 5\n')).toBe(
      '2:1: a merge key (<<) takes a map, an alias of a map, or a list of those',
    );
    expect(first('a: &a [1]\nname: x\nhosts:\n  - <<: *a\n')).toBe(
      '4:5: a merge key (<<) takes a map, an alias of a map, or a list of those',
    );
    expect(first('a: &a {b: 1}\n<<: [*a, 3]\n')).toBe(
      '2:1: a merge key (<<) takes a map, an alias of a map, or a list of those',
    );
  });

  it('an alias of no anchor: an error at the alias, not an alias bomb', () => {
    expect(first('name: x\nseed: *s\n')).toBe(
      '2:7: the alias *s names no anchor (&s) set before it',
    );
    expect(first('seed: *s\nname: &s x\n')).toBe(
      '1:7: the alias *s names no anchor (&s) set before it',
    );
    expect(first('name: x\n<<: *m\n')).toBe('2:5: the alias *m names no anchor (&m) set before it');
  });

  it('still merges maps, and still refuses alias bombs', () => {
    const ok = parseLabSpec(
      [
        'name: m',
        'hosts:',
        '  - name: h1',
        '    interfaces: [&card { name: eth0, nic: hash64 }]',
        '  - name: h2',
        '    interfaces: [{ <<: *card, mtu: 1400 }]',
      ].join('\n'),
      'lab.yaml',
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.spec!.hosts[1].interfaces[0]).toMatchObject({
      name: 'eth0',
      nic: 'hash64',
      mtu: 1400,
    });
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 9; i++)
      bomb += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    expect(first(bomb)).toMatch(/^0:0: too many alias expansions/);
  });
});
