import { createNic, type NicConfig } from '../drivers/create-nic';
import type { EtherNic } from '../drivers/ether-nic';
import { Machine } from '../drivers/machine';
import type { NicModelName } from '../drivers/nic-model';
import { devClose, devOpen } from '../netdev/dev';
import { devQueueXmit } from '../netdev/dev-xmit';
import { Cpu } from '../sim/cpu';
import { Rng } from '../sim/rng';
import { Scheduler } from '../sim/scheduler';
import type { SkBuff } from '../skb/sk-buff';
import { SkbPool } from '../skb/skb-pool';
import { NET_SKB_PAD } from '../skb/truesize';
import { Segment, type SegmentConfig } from '../segment/segment';
import { ETH_HLEN, EthernetView } from '../wire/ethernet';
import { macFromKey } from '../wire/mac';

/** An EtherType from the range IEEE set aside for experiments. */
export const ETH_P_EXPERIMENTAL = 0x88b5;

/** One station of a rig: a machine with one card, and what its stack received. */
export interface RigHost {
  machine: Machine;
  nic: EtherNic;
  /** Frames the stack received, as copies of their bytes from the MAC header on. */
  received: Uint8Array[];
}

/**
 * A segment with one-card machines on it, for tests and benchmarks of the
 * hardware layers before there is a kernel: each machine's stack just records
 * (or counts) what reaches it and frees the buffer.
 */
export class Rig {
  readonly sched = new Scheduler();
  readonly pool = new SkbPool();
  readonly segment: Segment;
  readonly hosts: RigHost[] = [];
  /** When false, received frames are only counted, not copied. */
  record = true;
  private readonly rng: Rng;

  constructor(segment: Partial<SegmentConfig> = {}, seed = 1) {
    this.rng = new Rng(seed);
    this.segment = new Segment(this.sched, {
      bitRate: 100e6,
      delay: 500,
      duplex: 'half',
      seed: this.rng.nextU32(),
      ...segment,
    });
  }

  /** Adds a machine with one card of `model`, plugged in and (unless `up` is false) opened. */
  addHost(model: NicModelName, config: Partial<NicConfig> = {}, up = true): RigHost {
    const i = this.hosts.length;
    const machine = new Machine(`h${i}`, this.sched, new Cpu(), this.pool, this.rng.fork());
    const nic = createNic(machine, {
      model,
      name: 'eth0',
      mac: macFromKey(0x020000000001 + i),
      ...config,
    });
    nic.attach(this.segment.attach(nic));
    const host: RigHost = { machine, nic, received: [] };
    nic.dev.rxHandler = (skb: SkBuff) => {
      if (this.record) host.received.push(skb.buf.slice(skb.macHeader, skb.tail));
      skb.free();
    };
    if (up) {
      const ret = devOpen(nic.dev);
      if (ret !== 0) throw new Error(`open ${nic.dev.name} of h${i} failed: ${ret}`);
    }
    this.hosts.push(host);
    return host;
  }

  /** Builds a frame from `from` to `dest` with `payload` bytes and queues it for transmission. */
  send(from: RigHost, dest: Uint8Array, payload = 46, fill = 0): number {
    return devQueueXmit(this.frame(from, dest, payload, fill), from.nic.dev);
  }

  frame(from: RigHost, dest: Uint8Array, payload: number, fill = 0): SkBuff {
    const skb = this.pool.alloc(NET_SKB_PAD + ETH_HLEN + payload);
    skb.reserve(NET_SKB_PAD + ETH_HLEN);
    skb.buf.fill(fill, skb.put(payload), skb.tail);
    EthernetView.write(skb.buf, skb.push(ETH_HLEN), dest, from.nic.dev.devAddr, ETH_P_EXPERIMENTAL);
    return skb;
  }

  /** Closes every device: afterwards no buffer may be outstanding. */
  teardown(): void {
    for (const h of this.hosts) devClose(h.nic.dev);
  }

  run(ns: number): void {
    this.sched.runUntil(this.sched.now + ns);
  }
}
