import type { NicConfig } from './drivers/create-nic';
import type { EtherNic } from './drivers/ether-nic';
import type { RegisterCardKind } from './drivers/cards';
import type { DriverSource, StudentNic } from './drivers/student/student-nic';
import { Host } from './host/host';
import { devClose, devOpen } from './netdev/dev';
import { Rng } from './sim/rng';
import { Scheduler } from './sim/scheduler';
import { Segment, type SegmentConfig } from './segment/segment';
import { SkbPool } from './skb/skb-pool';
import { parseIpv4Prefix } from './wire/ipv4-addr';
import { macFromKey } from './wire/mac';

export interface LabOptions {
  seed?: number;
  segment?: Partial<Omit<SegmentConfig, 'seed'>>;
}

export interface InterfaceOptions extends Partial<Omit<NicConfig, 'name'>> {
  name?: string;
  /** `10.0.0.1/24` */
  ip?: string;
  up?: boolean;
}

/**
 * The Lab: hosts on one segment, one clock, one seed. Everything random in it
 * derives from the seed, so one seed and one set-up give one run, bit for bit.
 */
export class Lab {
  readonly sched = new Scheduler();
  readonly pool = new SkbPool();
  readonly rng: Rng;
  readonly segment: Segment;
  readonly hosts: Host[] = [];

  constructor(options: LabOptions = {}) {
    this.rng = new Rng(options.seed ?? 1);
    this.segment = new Segment(this.sched, {
      bitRate: 100e6,
      delay: 500,
      duplex: 'half',
      ...options.segment,
      seed: this.rng.nextU32(),
    });
  }

  get now(): number {
    return this.sched.now;
  }

  addHost(name: string, cpuPerFrame = 500): Host {
    if (this.hosts.some((h) => h.name === name)) throw new Error(`host ${name} exists`);
    const host = new Host(name, this.sched, this.pool, this.rng.fork(), cpuPerFrame);
    this.hosts.push(host);
    return host;
  }

  host(name: string): Host {
    const h = this.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`no host ${name}`);
    return h;
  }

  /**
   * Adds a card to `host` on the segment. The MAC defaults to
   * 02:00:00:00:HH:NN (host number, card number); the interface comes up
   * unless `up` is false, with `ip` as its address.
   */
  addInterface(host: Host, options: InterfaceOptions = {}): EtherNic {
    const hostIndex = this.hosts.indexOf(host);
    const name = options.name ?? `eth${host.cardCount}`;
    const mac = options.mac ?? macFromKey(0x020000000000 + (hostIndex + 1) * 256 + host.cardCount);
    const nic = host.addNic({ model: 'hash64', ...options, name, mac }, this.segment);
    if (options.ip) {
      const p = parseIpv4Prefix(options.ip);
      if (!p)
        throw new Error(`${host.name}:${name}: '${options.ip}' is not an IPv4 address/prefix`);
      host.kernel.addAddress(nic.dev, p.addr, p.prefix);
    }
    if (options.up !== false) {
      const ret = devOpen(nic.dev);
      if (ret !== 0) throw new Error(`${host.name}:${name}: open failed (${ret})`);
    }
    return nic;
  }

  /**
   * Adds a register-level card of kind `card` to `host`, run by `driver`, as
   * `addInterface` adds a built-in one (same default name and MAC).
   */
  addRegisterInterface(
    host: Host,
    card: RegisterCardKind,
    driver: DriverSource,
    options: Omit<InterfaceOptions, 'model'> = {},
  ): StudentNic {
    const hostIndex = this.hosts.indexOf(host);
    const name = options.name ?? `eth${host.cardCount}`;
    const mac = options.mac ?? macFromKey(0x020000000000 + (hostIndex + 1) * 256 + host.cardCount);
    const config = { card, name, mac, driver, irq: options.irq, baseAddr: options.baseAddr };
    const nic = host.addRegisterNic(config, this.segment);
    if (options.ip) {
      const p = parseIpv4Prefix(options.ip);
      if (!p)
        throw new Error(`${host.name}:${name}: '${options.ip}' is not an IPv4 address/prefix`);
      host.kernel.addAddress(nic.dev, p.addr, p.prefix);
    }
    if (options.up !== false) {
      const ret = devOpen(nic.dev);
      if (ret !== 0) throw new Error(`${host.name}:${name}: open failed (${ret})`);
    }
    return nic;
  }

  run(ns: number): void {
    this.sched.runUntil(this.sched.now + ns);
  }

  /** Closes every socket and device: afterwards no buffer may be outstanding. */
  teardown(): void {
    for (const h of this.hosts) {
      for (const s of [...h.kernel.udp.sockets]) h.kernel.udp.close(s);
      for (const n of h.nics) devClose(n.dev);
      for (const n of h.registerNics) {
        devClose(n.dev);
        n.dispose();
      }
    }
  }
}
