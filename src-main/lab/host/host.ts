import { createNic, type NicConfig } from '../drivers/create-nic';
import type { EtherNic } from '../drivers/ether-nic';
import { Machine } from '../drivers/machine';
import { Kernel } from '../kernel/kernel';
import { Cpu } from '../sim/cpu';
import type { Rng } from '../sim/rng';
import type { Scheduler } from '../sim/scheduler';
import type { SkbPool } from '../skb/skb-pool';
import type { Segment } from '../segment/segment';

/** One emulated machine: its hardware (CPU, cards) and the kernel running on it. */
export class Host {
  readonly machine: Machine;
  readonly kernel: Kernel;
  readonly nics: EtherNic[] = [];

  constructor(
    readonly name: string,
    sched: Scheduler,
    pool: SkbPool,
    rng: Rng,
    cpuPerFrame = 500,
  ) {
    this.machine = new Machine(name, sched, new Cpu(cpuPerFrame), pool, rng);
    this.kernel = new Kernel(this.machine);
  }

  /** Installs a card, registers its device with the kernel and plugs it into `segment`. */
  addNic(config: NicConfig, segment: Segment | null): EtherNic {
    if (this.kernel.devByName(config.name)) throw new Error(`${this.name}: ${config.name} exists`);
    const nic = createNic(this.machine, config);
    this.kernel.registerNetdev(nic.dev);
    if (segment) nic.attach(segment.attach(nic));
    this.nics.push(nic);
    return nic;
  }

  nic(name: string): EtherNic | undefined {
    return this.nics.find((n) => n.dev.name === name);
  }
}
