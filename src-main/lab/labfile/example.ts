/**
 * The lab file of issue 5, as its users write it: three cards with different
 * multicast filters, and a flood to a group whose MAC shares a hash bin with
 * the joined group's. Tests of the spec, the CLI and the exercises start here.
 */
export const HASH_COLLISIONS_LAB = `name: hash-collisions
seed: 7
segment: { rate: 100Mbps, delay: 500ns, duplex: half }
hosts:
  - name: h0
    interfaces: [{ name: eth0, nic: nofilter, ip: 10.0.0.1/24 }]
  - name: h1
    cpu: { perFrame: 2us }
    sysctl: { net.core.rmem_default: 212992 }
    interfaces: [{ name: eth0, nic: hash64, ip: 10.0.0.2/24, mac: "02:00:00:00:00:02" }]
    join: [{ group: 239.1.1.1, port: 5000, readRate: 1000pps }]
  - name: h2
    interfaces: [{ name: eth0, nic: perfect, entries: 8, ip: 10.0.0.3/24 }]
    join: [{ group: 239.1.1.1, port: 5000 }]
generators:
  # 239.1.1.24 maps to 01:00:5e:01:01:18, which shares hash bin 4 with 239.1.1.1's MAC
  - { name: flood, from: h0, to: "239.1.1.24:5000", rate: 10000pps, size: 18, pattern: cbr, start: 0s, stop: 1s }
captures: [h1:eth0, segment]
`;

/** A lab that sets every optional field once, in the file's own spellings (tests of load and save). */
export const EVERY_FIELD_LAB = `name: everything
description: every field once
seed: 4294967295
segment: { rate: 10Mbps, delay: 1.5us, duplex: full, faults: { bitErrorRate: 1e-6, lossRate: 0.01 } }
hosts:
  - name: a
    cpu: { perFrame: 750ns }
    sysctl: { net.core.rmem_max: 4194304, net.core.netdev_budget: 50 }
    interfaces:
      - { name: eth0, nic: perfect, ip: 192.168.1.1/24, mac: 02-AA-BB-CC-DD-EE, up: true, irq: 9, io: 0x220,
          mtu: 9000, promisc: false, allmulti: true, rxRing: 32, txRing: 16, entries: 16, fallback: allmulti,
          napiWeight: 16, irqInterval: 50us, copybreak: 128, txQueueLen: 100 }
      - { name: eth1, nic: promisc-only, io: "0x240", up: false }
    join: [{ group: 224.0.0.251, port: 5353, dev: eth0, readRate: 2kpps }]
  - name: b
    interfaces: [{ name: eth0, nic: nofilter, ip: 192.168.1.2/24 }]
generators:
  - { name: burst, from: "b:eth0", to: 255.255.255.255:9, pattern: onoff, on: 10ms, off: 90ms, rate: 64kbps, size: [18, 512, 1472] }
  - { name: few, from: a, to: 192.168.1.2:7, count: 3, pattern: poisson }
sinks:
  - { name: discard, host: b, port: 9 }
  - { host: a, dev: eth0, port: 6000, group: 239.0.0.1, readRate: 100pps }
captures: [segment, a:eth1]
exercise:
  title: Everything
  instructions: |
    # Read me
    Then do it.
  solution: [{ host: a, run: "ifconfig eth0 up" }]
  run: 10ms
  checks:
    - { title: "a's eth0 is up", host: a, command: "ifconfig eth0", contains: UP }
    - { title: "nothing dropped", path: "hosts.a.fates.rcvbufFull", equals: 0 }
`;
