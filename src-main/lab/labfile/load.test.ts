import { describe, expect, it } from 'vitest';
import { formatSpecError, formatSpecErrors, type SpecError } from './errors';
import { EVERY_FIELD_LAB, HASH_COLLISIONS_LAB } from './example';
import { MAX_LAB_FILE_CHARS, parseLabSpec, validateLabData } from './load';
import { NIC_MODELS } from '../drivers/models';
import { NIC_NAMES, type LabSpec } from './schema';

/** `text` with `from` replaced by `to`; fails loudly if `from` is not there. */
function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`test bug: ${JSON.stringify(from)} not in text`);
  return text.replace(from, to);
}

const ex = HASH_COLLISIONS_LAB;

function errorsOf(text: string, file = 'lab.yaml'): string[] {
  const r = parseLabSpec(text, file);
  if (!r.errors) throw new Error(`expected errors, got a spec: ${JSON.stringify(r.spec)}`);
  return r.errors.map(formatSpecError);
}

describe('parseLabSpec: the example of issue 5', () => {
  it('loads into numbers in the lab units, leaving absent fields absent', () => {
    const r = parseLabSpec(ex, 'hash-collisions.yaml');
    expect(r.errors).toBeUndefined();
    expect(r.spec).toEqual({
      name: 'hash-collisions',
      seed: 7,
      segment: { rate: 100e6, delay: 500, duplex: 'half' },
      hosts: [
        { name: 'h0', interfaces: [{ name: 'eth0', nic: 'nofilter', ip: '10.0.0.1/24' }] },
        {
          name: 'h1',
          cpu: { perFrame: 2000 },
          sysctl: { 'net.core.rmem_default': 212992 },
          interfaces: [
            { name: 'eth0', nic: 'hash64', ip: '10.0.0.2/24', mac: '02:00:00:00:00:02' },
          ],
          join: [{ group: '239.1.1.1', port: 5000, readRate: 1000 }],
        },
        {
          name: 'h2',
          interfaces: [{ name: 'eth0', nic: 'perfect', entries: 8, ip: '10.0.0.3/24' }],
          join: [{ group: '239.1.1.1', port: 5000 }],
        },
      ],
      generators: [
        {
          name: 'flood',
          from: { host: 'h0' },
          to: { ip: '239.1.1.24', port: 5000 },
          rate: { pps: 10000 },
          size: 18,
          pattern: 'cbr',
          start: 0,
          stop: 1e9,
        },
      ],
      captures: [{ kind: 'device', host: 'h1', dev: 'eth0' }, { kind: 'segment' }],
    } satisfies LabSpec);
  });

  it('loads the same lab written as JSON, told apart by name or by content', () => {
    const yaml = parseLabSpec(ex, 'lab.yaml').spec!;
    const json = JSON.stringify({
      name: 'hash-collisions',
      seed: 7,
      segment: { rate: '100Mbps', delay: '500ns', duplex: 'half' },
      hosts: [
        { name: 'h0', interfaces: [{ name: 'eth0', nic: 'nofilter', ip: '10.0.0.1/24' }] },
        {
          name: 'h1',
          cpu: { perFrame: '2us' },
          sysctl: { 'net.core.rmem_default': 212992 },
          interfaces: [
            { name: 'eth0', nic: 'hash64', ip: '10.0.0.2/24', mac: '02:00:00:00:00:02' },
          ],
          join: [{ group: '239.1.1.1', port: 5000, readRate: '1000pps' }],
        },
        {
          name: 'h2',
          interfaces: [{ name: 'eth0', nic: 'perfect', entries: 8, ip: '10.0.0.3/24' }],
          join: [{ group: '239.1.1.1', port: 5000 }],
        },
      ],
      generators: [
        {
          name: 'flood',
          from: 'h0',
          to: '239.1.1.24:5000',
          rate: '10000pps',
          size: 18,
          pattern: 'cbr',
          start: '0s',
          stop: '1s',
        },
      ],
      captures: ['h1:eth0', 'segment'],
    });
    expect(parseLabSpec(json, 'lab.json').spec).toEqual(yaml);
    expect(parseLabSpec(`\uFEFF${json}`, 'lab').spec).toEqual(yaml);
  });

  it('accepts every optional field', () => {
    const text = EVERY_FIELD_LAB;
    const r = parseLabSpec(text, 'everything.yaml');
    expect(r.errors).toBeUndefined();
    const a = r.spec!.hosts[0];
    expect(a.interfaces![0]).toMatchObject({
      mac: '02:aa:bb:cc:dd:ee',
      io: 0x220,
      irqInterval: 50_000,
    });
    expect(a.interfaces![1].io).toBe(0x240);
    expect(a.join![0].readRate).toBe(2000);
    expect(r.spec!.segment).toEqual({
      rate: 10e6,
      delay: 1500,
      duplex: 'full',
      faults: { bitErrorRate: 1e-6, lossRate: 0.01 },
    });
    expect(r.spec!.generators![0]).toMatchObject({
      from: { host: 'b', dev: 'eth0' },
      to: { ip: '255.255.255.255', port: 9 },
      rate: { bitsPerSecond: 64000 },
      size: [18, 512, 1472],
      on: 10e6,
      off: 90e6,
    });
    expect(r.spec!.exercise).toEqual({
      title: 'Everything',
      instructions: '# Read me\nThen do it.\n',
      solution: { steps: [{ host: 'a', run: 'ifconfig eth0 up' }] },
      run: 10e6,
      checks: [
        { title: "a's eth0 is up", host: 'a', command: 'ifconfig eth0', contains: 'UP' },
        { title: 'nothing dropped', path: 'hosts.a.fates.rcvbufFull', equals: 0 },
      ],
    });
  });

  it('lets YAML anchors and merge keys share settings, within limits', () => {
    const text = `hosts:
  - name: h0
    interfaces:
      - &card { name: eth0, nic: hash64, irq: 5 }
      - { <<: *card, name: eth1, irq: 9 }
`;
    const r = parseLabSpec(text, 'lab.yaml');
    expect(r.spec?.hosts[0].interfaces).toEqual([
      { name: 'eth0', nic: 'hash64', irq: 5 },
      { name: 'eth1', nic: 'hash64', irq: 9 },
    ]);
    // An error in a merged field is still placed in the file.
    expect(errorsOf(edit(text, 'irq: 9', 'irq: 7'))).toEqual([
      'lab.yaml:5:39: hosts[0].interfaces[1].irq: expected an IRQ line a hash64 card can use (3, 4, 5, 9, 10, 11, 12, 15), got 7',
    ]);
  });
});

describe('parseLabSpec: malformed files, each with its message and place', () => {
  const NICS = 'expected one of nofilter, hash64, perfect, promisc-only, ne2000, tulip, at1700';
  const cases: [string, string, string[], string?][] = [
    // wrong types
    [
      'a string for a number',
      edit(ex, 'seed: 7', 'seed: seven'),
      ['lab.yaml:2:7: seed: expected a seed from 0 to 4294967295, got "seven"'],
    ],
    [
      'a quoted port',
      edit(ex, 'port: 5000, readRate', 'port: "5000", readRate'),
      ['lab.yaml:11:38: hosts[1].join[0].port: expected a port from 1 to 65535, got "5000"'],
    ],
    [
      'a map for a list',
      'hosts: { h0: {} }\n',
      ['lab.yaml:1:8: hosts: expected a list of hosts, got a map'],
    ],
    [
      'a string for an interface',
      'hosts:\n  - name: h0\n    interfaces: [eth0]\n',
      [
        'lab.yaml:3:18: hosts[0].interfaces[0]: expected an interface such as { name: eth0, nic: hash64, ip: 10.0.0.1/24 }, got "eth0"',
      ],
    ],
    [
      'a number for a boolean',
      'hosts:\n  - name: h0\n    interfaces: [{ name: eth0, nic: hash64, up: 1 }]\n',
      ['lab.yaml:3:49: hosts[0].interfaces[0].up: expected true or false, got 1'],
    ],
    [
      'an empty value',
      'hosts:\n  - name:\n',
      [
        'lab.yaml:2:10: hosts[0].name: expected a host name such as h1 (a letter, then letters, digits, ".", "_" or "-"), got null (an empty value)',
      ],
    ],
    [
      'a missing required field',
      'hosts:\n  - interfaces: []\n',
      ['lab.yaml:2:5: hosts[0].name: missing; expected a host name such as h1'],
    ],
    ['no hosts key', 'name: x\n', ['lab.yaml:1:1: hosts: missing; expected a list of hosts']],
    ['no hosts', 'name: x\nhosts: []\n', ['lab.yaml:2:8: hosts: expected at least one host']],
    // unknown NIC and NIC-specific fields
    [
      'an unknown NIC',
      edit(ex, 'nic: hash64', 'nic: hash65'),
      [`lab.yaml:10:37: hosts[1].interfaces[0].nic: ${NICS}, got "hash65"`],
    ],
    [
      'entries on a hash NIC',
      edit(ex, 'nic: hash64,', 'nic: hash64, entries: 8,'),
      [
        'lab.yaml:10:54: hosts[1].interfaces[0].entries: entries applies only to nic: perfect, and this is a hash64',
      ],
    ],
    [
      'entries other than 8 or 16',
      edit(ex, 'entries: 8', 'entries: 12'),
      ['lab.yaml:13:55: hosts[2].interfaces[0].entries: expected 8 or 16, got 12'],
    ],
    [
      'an IRQ the card cannot use',
      edit(ex, 'nic: hash64,', 'nic: hash64, irq: 7,'),
      [
        'lab.yaml:10:50: hosts[1].interfaces[0].irq: expected an IRQ line a hash64 card can use (3, 4, 5, 9, 10, 11, 12, 15), got 7',
      ],
    ],
    [
      'an I/O base the card cannot use, an MTU too big, a ring not a power of two',
      'hosts:\n  - name: h0\n    interfaces: [{ name: eth0, nic: promisc-only, mtu: 9000, io: "0x300", rxRing: 100 }]\n',
      [
        'lab.yaml:3:56: hosts[0].interfaces[0].mtu: expected an MTU from 68 to 1500 (the most a promisc-only card takes), got 9000',
        'lab.yaml:3:66: hosts[0].interfaces[0].io: expected an I/O base a promisc-only card can use (0x240, 0x260, 0x280), got 0x300',
        'lab.yaml:3:83: hosts[0].interfaces[0].rxRing: expected a power of two from 8 to 4096, got 100',
      ],
    ],
    [
      'two cards up on one IRQ',
      'hosts:\n  - name: h0\n    interfaces:\n      - { name: eth0, nic: hash64, irq: 5 }\n      - { name: eth1, nic: hash64, irq: 5 }\n',
      [
        'lab.yaml:5:41: hosts[0].interfaces[1].irq: irq 5 is taken by eth0, and ISA lines are not shared, so opening eth1 would fail: give it another irq (3, 4, 9, 10, 11, 12, 15) or up: false',
      ],
    ],
    [
      'a default IRQ taken by an explicit one',
      'hosts:\n  - name: h0\n    interfaces:\n      - { name: eth0, nic: hash64, irq: 3 }\n      - { name: eth1, nic: hash64 }\n',
      [
        'lab.yaml:5:9: hosts[0].interfaces[1]: irq 3 (its default) is taken by eth0, and ISA lines are not shared, so opening eth1 would fail: give it another irq (4, 5, 9, 10, 11, 12, 15) or up: false',
      ],
    ],
    // duplicate names and addresses
    [
      'a duplicate host name',
      edit(ex, 'name: h2', 'name: h1'),
      [
        'lab.yaml:12:11: hosts[2].name: duplicate host name "h1" (also hosts[1])',
        'lab.yaml:14:12: hosts[2].join[0]: duplicate sink: h1 already receives 239.1.1.1:5000 (hosts[1].join[0])',
      ],
    ],
    [
      'a duplicate interface name',
      'hosts:\n  - name: h0\n    interfaces: [{ name: eth0, nic: hash64 }, { name: eth0, nic: perfect }]\n',
      [
        'lab.yaml:3:55: hosts[0].interfaces[1].name: duplicate interface name "eth0" (also interfaces[0])',
      ],
    ],
    [
      'a duplicate IP address',
      edit(ex, '10.0.0.3/24', '10.0.0.2/24'),
      ['lab.yaml:13:62: hosts[2].interfaces[0].ip: duplicate address 10.0.0.2: h1:eth0 has it too'],
    ],
    [
      'a duplicate MAC address',
      edit(ex, 'ip: 10.0.0.3/24', 'ip: 10.0.0.3/24, mac: "02:00:00:00:00:02"'),
      [
        'lab.yaml:13:80: hosts[2].interfaces[0].mac: duplicate MAC 02:00:00:00:00:02: h1:eth0 has it too',
      ],
    ],
    [
      "a MAC equal to another card's default",
      edit(ex, '"02:00:00:00:00:02"', '"02:00:00:00:01:00"'),
      [
        'lab.yaml:10:67: hosts[1].interfaces[0].mac: duplicate MAC 02:00:00:00:01:00: h0:eth0 has it too',
      ],
    ],
    [
      'a duplicate generator name',
      edit(ex, 'captures:', '  - { name: flood, from: h1, to: "10.0.0.1:7", count: 1 }\ncaptures:'),
      ['lab.yaml:18:13: generators[1].name: duplicate generator name "flood" (also generators[0])'],
    ],
    // references
    [
      'an unknown host in a generator',
      edit(ex, 'from: h0', 'from: h9'),
      [
        'lab.yaml:17:26: generators[0].from: unknown host "h9"; did you mean "h0"? (the hosts are h0, h1, h2)',
      ],
    ],
    [
      'an unknown device in a generator',
      edit(ex, 'from: h0', 'from: h0:eth1'),
      [
        'lab.yaml:17:26: generators[0].from: h0 has no interface eth1; did you mean "eth0"? (it has eth0)',
      ],
    ],
    [
      'a generator on a card with no address',
      edit(ex, '{ name: eth0, nic: nofilter, ip: 10.0.0.1/24 }', '{ name: eth0, nic: nofilter }'),
      ['lab.yaml:17:26: generators[0].from: h0:eth0 has no ip address to send from'],
    ],
    [
      'an unknown capture point',
      edit(ex, '[h1:eth0, segment]', '[h1:eth9, h7:eth0, segment, segment]'),
      [
        'lab.yaml:18:12: captures[0]: h1 has no interface eth9; did you mean "eth0"? (it has eth0)',
        'lab.yaml:18:21: captures[1]: unknown host "h7"; did you mean "h0"? (the hosts are h0, h1, h2)',
        'lab.yaml:18:39: captures[3]: duplicate capture segment (also captures[2])',
      ],
    ],
    [
      'a malformed capture point',
      edit(ex, '[h1:eth0, segment]', '[h1]'),
      ['lab.yaml:18:12: captures[0]: expected "HOST:DEV" such as h1:eth0, or "segment", got "h1"'],
    ],
    [
      'an unknown host in a sink',
      `${ex}sinks: [{ host: h9, port: 7 }, { host: h2, dev: eth3, port: 7 }]\n`,
      [
        'lab.yaml:19:17: sinks[0].host: unknown host "h9"; did you mean "h0"? (the hosts are h0, h1, h2)',
        'lab.yaml:19:49: sinks[1].dev: h2 has no interface eth3; did you mean "eth0"? (it has eth0)',
      ],
    ],
    [
      'a join on a host with no card',
      'hosts:\n  - name: h0\n    join: [{ group: 239.1.1.1, port: 5000 }]\n',
      ['lab.yaml:3:12: hosts[0].join[0]: h0 has no interface to join 239.1.1.1 on'],
    ],
    // units and values
    [
      'a bad duration unit',
      edit(ex, 'perFrame: 2us', 'perFrame: 2xs'),
      [
        'lab.yaml:8:22: hosts[1].cpu.perFrame: expected a duration such as 500ns, 2us, 1ms or 2s, got "2xs"',
      ],
    ],
    [
      'a duration out of range',
      edit(ex, 'perFrame: 2us', 'perFrame: 2s'),
      [
        'lab.yaml:8:22: hosts[1].cpu.perFrame: expected a CPU cost per frame from 0s to 1s, got "2s"',
      ],
    ],
    [
      'a duration without a unit',
      edit(ex, 'delay: 500ns', 'delay: 500'),
      [
        'lab.yaml:3:34: segment.delay: expected a duration such as 500ns, 2us, 1ms or 2s, got 500 (a number needs a unit)',
      ],
    ],
    [
      'a delay out of range',
      edit(ex, 'delay: 500ns', 'delay: 2ms'),
      ['lab.yaml:3:34: segment.delay: expected a propagation delay from 0s to 1ms, got "2ms"'],
    ],
    [
      'a packet rate for the segment',
      edit(ex, 'rate: 100Mbps', 'rate: 100pps'),
      [
        'lab.yaml:3:18: segment.rate: expected a bit rate such as 10Mbps, 100Mbps or 1Gbps, got "100pps" (a packet rate)',
      ],
    ],
    [
      'a bit rate for a reader',
      edit(ex, 'readRate: 1000pps', 'readRate: 1Mbps'),
      [
        'lab.yaml:11:54: hosts[1].join[0].readRate: expected a packet rate such as 1000pps, got "1Mbps" (a bit rate)',
      ],
    ],
    [
      'a rate without a unit',
      edit(ex, 'rate: 10000pps', 'rate: 10000'),
      [
        'lab.yaml:17:59: generators[0].rate: expected a rate such as 10000pps, 64kbps, 100Mbps or 1Gbps, got 10000 (a number needs a unit)',
      ],
    ],
    [
      'neither rate nor count',
      edit(ex, 'rate: 10000pps, ', ''),
      [
        'lab.yaml:17:5: generators[0]: missing; expected rate (such as 10000pps, 64kbps, 100Mbps or 1Gbps) or count',
      ],
    ],
    [
      'onoff without its durations',
      edit(ex, 'pattern: cbr', 'pattern: onoff'),
      [
        'lab.yaml:17:5: generators[0]: missing on and off; pattern onoff needs on and off durations such as on: 10ms, off: 90ms',
      ],
    ],
    [
      'on/off with another pattern',
      edit(ex, 'pattern: cbr', 'pattern: cbr, on: 1ms'),
      ['lab.yaml:17:97: generators[0].on: on applies only to pattern: onoff, and this is cbr'],
    ],
    [
      'a stop before the start',
      edit(ex, 'stop: 1s', 'stop: 0s'),
      ['lab.yaml:17:110: generators[0].stop: expected a stop time after the start (0s), got 0s'],
    ],
    [
      'a payload bigger than the MTU',
      edit(ex, 'size: 18', 'size: [18, 1473]'),
      [
        "lab.yaml:17:80: generators[0].size[1]: a 1473-byte payload does not fit h0:eth0's MTU of 1500 (at most 1472 bytes after the IP and UDP headers; IP fragmentation is not modelled)",
      ],
    ],
    [
      'a negative size',
      edit(ex, 'size: 18', 'size: -1'),
      [
        'lab.yaml:17:75: generators[0].size: expected a payload size in bytes from 0 to 65507, or a list of them, got -1',
      ],
    ],
    [
      'a port out of range',
      edit(ex, '239.1.1.24:5000', '239.1.1.24:70000'),
      [
        'lab.yaml:17:34: generators[0].to: expected a port from 1 to 65535, got 70000 in "239.1.1.24:70000"',
      ],
    ],
    [
      'a destination without a port',
      edit(ex, '"239.1.1.24:5000"', '"239.1.1.24"'),
      [
        'lab.yaml:17:34: generators[0].to: expected a destination ADDRESS:PORT such as 239.1.1.1:5000, got "239.1.1.24"',
      ],
    ],
    [
      'a bad IP address',
      edit(ex, '10.0.0.3/24', '10.0.0.300/24'),
      [
        'lab.yaml:13:62: hosts[2].interfaces[0].ip: expected an IPv4 address with its prefix length, such as 10.0.0.1/24, got "10.0.0.300/24"',
      ],
    ],
    [
      'an IP address without a prefix',
      edit(ex, '10.0.0.3/24', '10.0.0.3'),
      [
        'lab.yaml:13:62: hosts[2].interfaces[0].ip: expected an IPv4 address with its prefix length, such as 10.0.0.1/24, got "10.0.0.3"',
      ],
    ],
    [
      'a subnet broadcast address',
      edit(ex, '10.0.0.3/24', '10.0.0.255/24'),
      [
        'lab.yaml:13:62: hosts[2].interfaces[0].ip: expected a host address, got "10.0.0.255/24", which is its subnet\'s broadcast address',
      ],
    ],
    [
      'a multicast MAC',
      edit(ex, '"02:00:00:00:00:02"', '"01:00:5e:00:00:01"'),
      [
        'lab.yaml:10:67: hosts[1].interfaces[0].mac: expected a unicast MAC address (first byte even, not all zeros), got "01:00:5e:00:00:01"',
      ],
    ],
    [
      'a unicast group',
      edit(
        ex,
        'join: [{ group: 239.1.1.1, port: 5000 }]',
        'join: [{ group: 10.0.0.1, port: 5000 }]',
      ),
      [
        'lab.yaml:14:21: hosts[2].join[0].group: expected a multicast group (224.0.0.0 to 239.255.255.255) such as 239.1.1.1, got "10.0.0.1"',
      ],
    ],
    [
      'an unknown sysctl',
      edit(ex, 'rmem_default: 212992', 'rmem_defualt: 212992'),
      [
        'lab.yaml:9:15: hosts[1].sysctl["net.core.rmem_defualt"]: unknown sysctl "net.core.rmem_defualt"; did you mean "net.core.rmem_default"?',
      ],
    ],
    [
      'a sysctl out of range',
      edit(ex, 'rmem_default: 212992', 'rmem_default: 10'),
      [
        'lab.yaml:9:38: hosts[1].sysctl["net.core.rmem_default"]: expected an integer from 2304 to 2147483647, got 10',
      ],
    ],
    [
      'a sysctl with a unit',
      edit(ex, 'net.core.rmem_default: 212992', 'net.ipv4.ip_default_ttl: 64s'),
      [
        'lab.yaml:9:40: hosts[1].sysctl["net.ipv4.ip_default_ttl"]: expected an integer from 1 to 255, got "64s"',
      ],
    ],
    [
      'a fault rate that is not a probability',
      edit(ex, 'duplex: half', 'duplex: half, faults: { lossRate: 2 }'),
      ['lab.yaml:3:75: segment.faults.lossRate: expected a probability from 0 to 1, got 2'],
    ],
    [
      'the host name reserved for the wire',
      'hosts:\n  - name: segment\n',
      [
        'lab.yaml:2:11: hosts[0].name: the name "segment" is reserved (captures: [segment] means the wire)',
      ],
    ],
    // unknown keys
    [
      'a misspelt key',
      edit(
        ex,
        '    interfaces: [{ name: eth0, nic: nofilter',
        '    intrefaces: [{ name: eth0, nic: nofilter',
      ),
      ['lab.yaml:6:5: hosts[0].intrefaces: unknown key "intrefaces"; did you mean "interfaces"?'],
    ],
    [
      'an unknown key',
      edit(ex, 'seed: 7', 'seed: 7\ncolour: blue'),
      [
        'lab.yaml:3:1: colour: unknown key "colour"; expected one of name, description, seed, segment, segments, hosts, generators, sinks, captures, captureLimit, ports, exercise',
      ],
    ],
    [
      'an unknown key in an interface',
      edit(ex, 'nic: perfect,', 'nic: perfect, speed: 10,'),
      [
        'lab.yaml:13:46: hosts[2].interfaces[0].speed: unknown key "speed"; expected one of name, nic, driver, ip, mac, up, irq, io, mtu, promisc, allmulti, rxRing, txRing, entries, fallback, napiWeight, irqInterval, copybreak, txQueueLen, segment',
      ],
    ],
    // YAML syntax and shape
    [
      'a YAML syntax error',
      edit(ex, 'duplex: half }', 'duplex: half'),
      ['lab.yaml:4:1: flow map in block collection must be sufficiently indented and end with a }'],
    ],
    [
      'a duplicate YAML key',
      edit(ex, 'seed: 7', 'seed: 7\nseed: 8'),
      ['lab.yaml:3:1: duplicate key "seed"'],
    ],
    [
      'tabs for indentation',
      'name: x\n\thosts: []\n',
      ['lab.yaml:2:1: tabs are not allowed as indentation'],
    ],
    [
      'two YAML documents',
      'name: a\n---\nname: b\n',
      [
        "lab.yaml:2:1: the file holds more than one YAML document (a second '---'); a lab file is one",
      ],
    ],
    [
      'an empty file',
      '',
      ['lab.yaml: the file is empty: expected a lab such as { name: ..., hosts: [...] }'],
    ],
    [
      'a file of comments',
      '# to do\n\n',
      ['lab.yaml: the file is empty: expected a lab such as { name: ..., hosts: [...] }'],
    ],
    [
      'a list instead of a map',
      '- name: h0\n- name: h1\n',
      [
        'lab.yaml:1:1: expected a map of lab settings (name, seed, segment, hosts, generators, sinks, captures), got a list',
      ],
    ],
    [
      'a scalar instead of a map',
      'hello\n',
      [
        'lab.yaml:1:1: expected a map of lab settings (name, seed, segment, hosts, generators, sinks, captures), got "hello"',
      ],
    ],
    // JSON
    [
      'a JSON trailing comma',
      '{\n  "name": "x",\n  "hosts": [\n    { "name": "h0", }\n  ]\n}\n',
      ["lab.json:4:21: expected a key after ',' (JSON allows no trailing comma)"],
      'lab.json',
    ],
    [
      'a JSON missing comma',
      '{\n  "name": "x"\n  "hosts": []\n}',
      ["lab.json:3:3: expected ',' or '}', got \"\\\"\""],
      'lab.json',
    ],
    [
      'an unterminated JSON string',
      '{ "name": "x',
      ['lab.json:1:11: unterminated string'],
      'lab.json',
    ],
    [
      'JSON that is not JSON',
      'name: x\n',
      [
        'lab.json:1:1: expected a value (an object, list, string, number, true, false or null), got "n"',
      ],
      'lab.json',
    ],
    [
      'a duplicate JSON key',
      '{ "name": "x", "name": "y", "hosts": [] }',
      ['lab.json:1:16: duplicate key "name"'],
      'lab.json',
    ],
    [
      'text after the JSON value',
      '{ "hosts": [{ "name": "h0" }] } x',
      ['lab.json:1:33: unexpected "x" after the end of the value'],
      'lab.json',
    ],
    [
      'a JSON schema error, placed',
      '{\n  "hosts": [\n    { "name": "h0", "interfaces": [{ "name": "eth0", "nic": "hash65" }] }\n  ]\n}\n',
      [`lab.json:3:61: hosts[0].interfaces[0].nic: ${NICS}, got "hash65"`],
      'lab.json',
    ],
    [
      'JSON told by its content',
      '[1, 2]',
      [
        'lab:1:1: expected a map of lab settings (name, seed, segment, hosts, generators, sinks, captures), got a list',
      ],
      'lab',
    ],
  ];

  it.each(cases)('%s', (_name, text, expected, file = 'lab.yaml') => {
    expect(errorsOf(text, file)).toEqual(expected);
  });

  it('names every NIC model the drivers have', () => {
    expect([...NIC_NAMES].sort()).toEqual(Object.keys(NIC_MODELS).sort());
  });

  it('gives each error its parts, and formats them as file:line:column: path: message', () => {
    const r = parseLabSpec(edit(ex, 'nic: hash64', 'nic: hash65'), 'lab.yaml');
    expect(r.errors).toEqual([
      {
        file: 'lab.yaml',
        line: 10,
        column: 37,
        path: 'hosts[1].interfaces[0].nic',
        segments: ['hosts', 1, 'interfaces', 0, 'nic'],
        message: `${NICS}, got "hash65"`,
      },
    ] satisfies SpecError[]);
  });

  it('reports every independent error, in file order', () => {
    let text = edit(ex, 'seed: 7', 'seed: -1');
    text = edit(text, 'nic: perfect', 'nic: perfekt');
    text = edit(text, 'delay: 500ns', 'delay: 5');
    expect(errorsOf(text)).toEqual([
      'lab.yaml:2:7: seed: expected a seed from 0 to 4294967295, got -1',
      'lab.yaml:3:34: segment.delay: expected a duration such as 500ns, 2us, 1ms or 2s, got 5 (a number needs a unit)',
      `lab.yaml:13:37: hosts[2].interfaces[0].nic: ${NICS}, got "perfekt"`,
    ]);
  });
});

describe('parseLabSpec: hostile input is refused with bounded work', () => {
  it('refuses a file over the size limit before parsing it', () => {
    const text = `name: x\n# ${'x'.repeat(MAX_LAB_FILE_CHARS)}\n`;
    expect(errorsOf(text)).toEqual([
      'lab.yaml: the file is 257 KiB; a lab file may be at most 256 KiB',
    ]);
  });

  it('refuses an alias bomb', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
      'hosts: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]',
    ].join('\n');
    expect(errorsOf(bomb)).toEqual([
      'lab.yaml: too many alias expansions (limit 100, counting aliases within aliases): refused as a resource-exhaustion attack',
    ]);
  });

  it('refuses deep nesting in YAML and JSON', () => {
    const deep = `${'['.repeat(100)}${']'.repeat(100)}`;
    expect(errorsOf(`hosts: ${deep}\n`)).toEqual([
      'lab.yaml:1:72: nested more than 64 levels deep',
    ]);
    expect(errorsOf(`{"hosts": ${deep}}`, 'lab.json')).toEqual([
      'lab.json:1:74: nested more than 64 levels deep',
    ]);
    // Far deeper than any stack: still an answer, not a crash.
    const r = parseLabSpec(`hosts: ${'['.repeat(100_000)}`, 'lab.yaml');
    expect(r.errors?.length).toBeGreaterThan(0);
    expect(parseLabSpec(`{"hosts": ${'['.repeat(200_000)}`, 'lab.json').errors).toEqual([
      expect.objectContaining({ message: 'nested more than 64 levels deep' }),
    ]);
  });

  it('refuses deep block nesting before composing it, so later files still load', () => {
    // Composing these ran yaml out of stack, after which V8 crashed the process on the next one.
    for (const unit of ['- ', '? ', 'a: ']) {
      expect(errorsOf(unit.repeat(60_000))).toEqual([
        `lab.yaml:1:${unit.length * 65 + 1}: nested more than 64 levels deep`,
      ]);
    }
    const indented = Array.from({ length: 100 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    expect(errorsOf(indented)).toEqual(['lab.yaml:66:66: nested more than 64 levels deep']);
    expect(parseLabSpec(ex, 'lab.yaml').errors).toBeUndefined();
  }, 30_000); // three 60,000-level files: seconds on a loaded machine

  it('caps the number of errors it reports', () => {
    const hosts = Array.from({ length: 200 }, (_, i) => `  - { name: h${i}, cpu: 1 }`).join('\n');
    const errors = parseLabSpec(`hosts:\n${hosts}\n`, 'lab.yaml').errors!;
    expect(errors).toHaveLength(51);
    expect(formatSpecError(errors[0])).toBe(
      'lab.yaml:2:22: hosts[0].cpu: expected a map such as { perFrame: 2us }, got 1',
    );
    expect(formatSpecError(errors[50])).toBe('lab.yaml: 150 more errors not shown');
  });

  it('refuses too many hosts in a file under the size limit', () => {
    const hosts = Array.from({ length: 5000 }, (_, i) => `  - name: h${i}`).join('\n');
    expect(errorsOf(`hosts:\n${hosts}\n`)).toEqual([
      'lab.yaml:2:3: hosts: expected at most 256 hosts, got 5000',
    ]);
  });

  it('never throws, whatever it is given', () => {
    for (const text of [
      '{',
      '[',
      '- - -',
      '? ? ?',
      '&a *a',
      '*a',
      '!!binary x',
      ':',
      '{ a: *b }',
      'a: !!int x',
    ]) {
      for (const file of ['lab.yaml', 'lab.json']) {
        expect(() => parseLabSpec(text, file)).not.toThrow();
        expect(parseLabSpec(text, file).errors?.length).toBeGreaterThan(0);
      }
    }
    expect(parseLabSpec(null as unknown as string, 'lab.yaml').errors).toHaveLength(1);
  });
});

describe('validateLabData', () => {
  it('validates data in the file form, naming fields without positions', () => {
    const r = validateLabData(
      { hosts: [{ name: 'h0', interfaces: [{ name: 'eth0', nic: 'x' }] }] },
      'ipc',
    );
    expect(formatSpecErrors(r.errors!)).toBe(
      'ipc: hosts[0].interfaces[0].nic: expected one of nofilter, hash64, perfect, promisc-only, ne2000, tulip, at1700, got "x"',
    );
  });
});
