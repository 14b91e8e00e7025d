import type { NetDevice } from '../netdev/net-device';
import { createNic, type NicConfig } from '../drivers/create-nic';
import type { EtherNic } from '../drivers/ether-nic';
import { Machine } from '../drivers/machine';
import { StudentNic, type StudentNicConfig } from '../drivers/student/student-nic';
import { Kernel } from '../kernel/kernel';
import { Cpu } from '../sim/cpu';
import type { Rng } from '../sim/rng';
import type { Scheduler } from '../sim/scheduler';
import type { SkbPool } from '../skb/skb-pool';
import type { Segment } from '../segment/segment';
import type { Station } from '../segment/station';

/** One emulated machine: its hardware (CPU, cards) and the kernel running on it. */
export class Host {
  readonly machine: Machine;
  readonly kernel: Kernel;
  readonly nics: EtherNic[] = [];
  /** Register-level cards, each run by a driver in a sandbox (a student's, or the reference one). */
  readonly registerNics: StudentNic[] = [];
  /** Where each card's cable goes: the lab's hand can pull it out and put it back. */
  private readonly cables = new Map<EtherNic, { segment: Segment; station: Station }>();
  /**
   * A register-level card's cable, for the window's drawing only: the card plugs itself in
   * through its own station, and the kernel's wire and ethtool speed read `cables` alone.
   */
  private readonly registerCables = new Map<StudentNic, { segment: Segment; station: Station }>();

  constructor(
    readonly name: string,
    sched: Scheduler,
    pool: SkbPool,
    rng: Rng,
    cpuPerFrame = 500,
  ) {
    this.machine = new Machine(name, sched, new Cpu(cpuPerFrame), pool, rng);
    this.kernel = new Kernel(this.machine);
    this.kernel.wireOf = (dev) => this.cables.get(dev.priv as EtherNic)?.segment ?? null;
    // ethtool's speed: the segment's bit rate, while the cable is in.
    this.kernel.speedOf = (dev) => {
      const c = this.cables.get(dev.priv as EtherNic);
      return c && c.station.plugged ? c.segment.bitRate / 1e6 : 0;
    };
  }

  /** Installs a card, registers its device with the kernel and plugs it into `segment`. */
  addNic(config: NicConfig, segment: Segment | null): EtherNic {
    if (this.kernel.devByName(config.name)) throw new Error(`${this.name}: ${config.name} exists`);
    const nic = createNic(this.machine, config);
    this.kernel.registerNetdev(nic.dev);
    if (segment) {
      const station = segment.attach(nic);
      nic.attach(station);
      this.cables.set(nic, { segment, station });
    }
    this.nics.push(nic);
    return nic;
  }

  /** The segment `nic`'s cable goes to and its station there, or undefined for none. */
  cableOf(card: { readonly dev: NetDevice }): { segment: Segment; station: Station } | undefined {
    return (
      this.cables.get(card.dev.priv as EtherNic) ??
      this.registerCables.get(card.dev.priv as StudentNic)
    );
  }

  /** Installs a register-level card run by `config.driver`, registers its device and plugs it in. */
  addRegisterNic(config: StudentNicConfig, segment: Segment | null): StudentNic {
    if (this.kernel.devByName(config.name)) throw new Error(`${this.name}: ${config.name} exists`);
    const nic = new StudentNic(this.machine, config);
    this.kernel.registerNetdev(nic.dev);
    if (segment) {
      const station = segment.attach(nic.card);
      nic.attach(station);
      this.registerCables.set(nic, { segment, station });
    }
    this.registerNics.push(nic);
    return nic;
  }

  /** Cards of either kind so far: the next one's number in its default MAC. */
  get cardCount(): number {
    return this.nics.length + this.registerNics.length;
  }

  /** Whether `nic`'s cable is plugged into its segment; null when it has no segment. */
  cablePlugged(nic: EtherNic): boolean | null {
    return this.cables.get(nic)?.station.plugged ?? null;
  }

  /**
   * Pulls out or plugs back `nic`'s cable: a physical act, not a kernel call, so the card
   * finds out as hardware does (carrier lost or back). False when it has no segment.
   */
  setCablePlugged(nic: EtherNic, plugged: boolean): boolean {
    const cable = this.cables.get(nic);
    if (!cable) return false;
    cable.segment.setPlugged(cable.station, plugged);
    return true;
  }

  nic(name: string): EtherNic | undefined {
    return this.nics.find((n) => n.dev.name === name);
  }

  /** The register-level card (run by a student's driver) named `name`, if any. */
  registerNic(name: string): StudentNic | undefined {
    return this.registerNics.find((n) => n.dev.name === name);
  }
}
