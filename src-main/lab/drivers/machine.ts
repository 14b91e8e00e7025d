import type { Cpu } from '../sim/cpu';
import type { Rng } from '../sim/rng';
import type { Scheduler } from '../sim/scheduler';
import type { SkbPool } from '../skb/skb-pool';
import { EBUSY } from '../netdev/errno';
import { FateLog } from '../netdev/fate';
import { SoftnetData } from './softnet';

/** IRQ lines counted in a typed array (an ifmap's irq is a byte in Linux). */
const IRQ_ARRAY = 256;

/**
 * The machine a NIC is plugged into: its clock, its CPU, its memory for
 * buffers and its interrupt lines. ISA interrupt lines are not shared, so a
 * second device asking for a taken line is refused, as `request_irq` does.
 */
export class Machine {
  private readonly irqOwners = new Map<number, string>();
  /** Lines already given to a card at creation, so defaults do not clash. */
  private readonly assignedIrqs = new Set<number>();
  /** What became of each frame that reached this machine (NIC and kernel record into it). */
  readonly fates = new FateLog();
  /** The NET_RX softirq's state: the backlog and softnet_stat's counters. */
  readonly softnet: SoftnetData;
  /**
   * Interrupts delivered per line, as /proc/interrupts counts them: lines 0..255 in a typed
   * array (every received frame counts one, and a Map's get and set cost ~2% of a flood),
   * anything else in a Map. `irqLines` are the lines requested or counted so far.
   */
  private readonly irqCounts = new Float64Array(IRQ_ARRAY);
  private readonly otherIrqCounts = new Map<number, number>();
  private readonly irqLines = new Set<number>();

  constructor(
    readonly name: string,
    readonly sched: Scheduler,
    readonly cpu: Cpu,
    readonly skbPool: SkbPool,
    readonly rng: Rng,
  ) {
    this.softnet = new SoftnetData(this);
  }

  /** `request_irq`: 0, or -EBUSY when another device holds the line. */
  requestIrq(irq: number, owner: string): number {
    const holder = this.irqOwners.get(irq);
    if (holder !== undefined && holder !== owner) return -EBUSY;
    this.irqOwners.set(irq, owner);
    this.irqLines.add(irq);
    return 0;
  }

  /** Picks the first of `choices` no card of this machine was given yet (or the first, if all were). */
  assignIrq(choices: readonly number[]): number {
    const irq = firstFreeIrq(choices, this.assignedIrqs);
    this.assignedIrqs.add(irq);
    return irq;
  }

  freeIrq(irq: number, owner: string): void {
    if (this.irqOwners.get(irq) === owner) this.irqOwners.delete(irq);
  }

  irqOwner(irq: number): string | undefined {
    return this.irqOwners.get(irq);
  }

  countInterrupt(irq: number): void {
    if (irq >= 0 && irq < IRQ_ARRAY && (irq | 0) === irq) {
      if (this.irqCounts[irq]++ === 0) this.irqLines.add(irq);
      return;
    }
    this.irqLines.add(irq);
    this.otherIrqCounts.set(irq, (this.otherIrqCounts.get(irq) ?? 0) + 1);
  }

  /** Interrupts delivered per line (requested or counted), for /proc/interrupts. */
  get interrupts(): ReadonlyMap<number, number> {
    const out = new Map<number, number>();
    for (const irq of this.irqLines) {
      const inArray = irq >= 0 && irq < IRQ_ARRAY && (irq | 0) === irq;
      out.set(irq, inArray ? this.irqCounts[irq] : (this.otherIrqCounts.get(irq) ?? 0));
    }
    return out;
  }
}

/** The line a card without a jumper setting lands on: the model's first one no earlier card took. */
export function firstFreeIrq(choices: readonly number[], taken: ReadonlySet<number>): number {
  return choices.find((c) => !taken.has(c)) ?? choices[0];
}
