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

/** The MAC a card gets when none is set: 02:00:00:00:HH:NN, from host and card number. */
export function defaultMac(hostIndex: number, nicIndex: number): Uint8Array {
  return macFromKey(0x020000000000 + (hostIndex + 1) * 256 + nicIndex);
}

export type SegmentOptions = Partial<Omit<SegmentConfig, 'seed'>>;

export interface LabOptions {
  seed?: number;
  /** The lab's only segment, named `segment` unless it says otherwise. */
  segment?: SegmentOptions;
  /** Several segments, each with its name (`lan1`); replaces `segment`. */
  segments?: (SegmentOptions & { name: string })[];
}

export interface InterfaceOptions extends Partial<Omit<NicConfig, 'name'>> {
  name?: string;
  /** `10.0.0.1/24` */
  ip?: string;
  up?: boolean;
  /** The segment its cable goes to, by name: the lab's first unless given. */
  segment?: string;
}

/**
 * The Lab: hosts on one or more segments, one clock, one seed. Everything random in it
 * derives from the seed, so one seed and one set-up give one run, bit for bit.
 */
export class Lab {
  readonly sched = new Scheduler();
  readonly pool = new SkbPool();
  readonly rng: Rng;
  /** Every segment in the order given; the first is where a card goes unless told. */
  readonly segments: Segment[] = [];
  readonly hosts: Host[] = [];

  constructor(options: LabOptions = {}) {
    this.rng = new Rng(options.seed ?? 1);
    // Each segment draws its seed in turn: a lab of one segment draws as it always has.
    for (const o of options.segments ?? [options.segment ?? {}]) {
      if (o.name !== undefined && this.segments.some((s) => s.name === o.name))
        throw new Error(`segment ${o.name} exists`);
      this.segments.push(
        new Segment(this.sched, {
          bitRate: 100e6,
          delay: 500,
          duplex: 'half',
          ...o,
          seed: this.rng.nextU32(),
        }),
      );
    }
    if (this.segments.length === 0) throw new Error('a lab needs at least one segment');
  }

  /** The lab's first segment (its only one, in a lab of one). */
  get segment(): Segment {
    return this.segments[0];
  }

  segmentByName(name: string): Segment {
    const s = this.segments.find((x) => x.name === name);
    if (!s)
      throw new Error(
        `no segment ${name} (the segments are ${this.segments.map((x) => x.name).join(', ')})`,
      );
    return s;
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
    const mac = options.mac ?? defaultMac(hostIndex, host.cardCount);
    const { segment: segName, ...nicOptions } = options;
    const segment = segName === undefined ? this.segment : this.segmentByName(segName);
    const nic = host.addNic({ model: 'hash64', ...nicOptions, name, mac }, segment);
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
    const mac = options.mac ?? defaultMac(hostIndex, host.cardCount);
    const config = { card, name, mac, driver, irq: options.irq, baseAddr: options.baseAddr };
    const { segment: segName } = options;
    const segment = segName === undefined ? this.segment : this.segmentByName(segName);
    const nic = host.addRegisterNic(config, segment);
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
