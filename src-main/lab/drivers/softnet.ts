import { FATE_BACKLOG, FATE_DEV_DROP } from '../netdev/fate';
import { IFF_UP } from '../netdev/flags';
import type { NetDevice } from '../netdev/net-device';
import type { EventHandler } from '../sim/scheduler';
import { SkBuffHead } from '../skb/sk-buff-head';
import { PACKET_LOOPBACK, type SkBuff } from '../skb/sk-buff';
import type { Machine } from './machine';

/** `netif_rx` accepted the buffer / dropped it (the backlog was full). */
export const NET_RX_SUCCESS = 0;
export const NET_RX_DROP = 1;

/**
 * Linux's per-CPU `struct softnet_data`: the backlog that drivers without NAPI
 * feed with `netif_rx` from their interrupt handler, drained by the NET_RX
 * softirq (`process_backlog`) on the host's CPU, and the counters of
 * /proc/net/softnet_stat. When the CPU cannot keep up, the backlog fills to
 * `net.core.netdev_max_backlog` and further frames are dropped here, before
 * the protocols ever see them.
 */
export class SoftnetData implements EventHandler {
  readonly backlog = new SkBuffHead('backlog');
  /** `net.core.netdev_max_backlog` (the kernel keeps it in step with the sysctl). */
  maxBacklog = 1000;
  /** Frames processed per softirq round, like NAPI's weight (`weight_p`). */
  weight = 64;
  /** Frames handed to the protocols, from NAPI polls and the backlog alike. */
  processed = 0;
  /** Frames `netif_rx` dropped because the backlog was full. */
  dropped = 0;
  /** Rounds that ran out of budget with work left (the CPU was squeezed). */
  timeSqueeze = 0;
  private scheduled = false;
  /** Inside process_backlog: a nested netif_rx leaves the work to this round. */
  private running = false;
  /**
   * Inside a hard interrupt handler run as an event of its own (a student
   * driver's): the softirq waits for irq_exit, as in Linux, instead of running
   * inside the handler.
   */
  inHardIrq = 0;
  private readonly handlerId: number;

  constructor(private readonly machine: Machine) {
    this.handlerId = machine.sched.register(this);
  }

  /** `netif_rx`: queues a received buffer for the softirq; takes ownership. */
  netifRx(skb: SkBuff, dev: NetDevice): number {
    if (this.backlog.qlen >= this.maxBacklog) {
      this.dropped++;
      const stats = dev.ops.getStats?.(dev);
      if (stats) stats.rx_dropped++;
      this.machine.fates.recordSkb(skb, this.machine.sched.now, FATE_BACKLOG);
      skb.free();
      return NET_RX_DROP;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      const cpu = this.machine.cpu;
      const now = this.machine.sched.now;
      // Like irq_exit: with the CPU free, pending softirqs run on the way out of the interrupt.
      if (cpu.busyUntil <= now && !this.running && this.inHardIrq === 0) {
        // Not scheduled means the backlog is empty: this buffer would be queued only to be
        // dequeued at once, so the round starts with it (a queued or freed one still goes
        // through the queue, which reports the misuse).
        if (skb.list === null && !skb.freed) {
          skb.owner = null;
          this.processBacklog(skb);
          return NET_RX_SUCCESS;
        }
        this.backlog.enqueueTail(skb);
        this.handleEvent();
      } else {
        this.backlog.enqueueTail(skb);
        this.machine.sched.schedule(cpu.busyUntil > now ? cpu.busyUntil : now, this.handlerId, 0);
      }
      return NET_RX_SUCCESS;
    }
    this.backlog.enqueueTail(skb);
    return NET_RX_SUCCESS;
  }

  /** `process_backlog`: up to `weight` frames, each charged to the CPU. */
  handleEvent(): void {
    const sched = this.machine.sched;
    const cpu = this.machine.cpu;
    if (cpu.busyUntil > sched.now) {
      sched.schedule(cpu.busyUntil, this.handlerId, 0);
      return;
    }
    this.processBacklog(this.backlog.dequeue());
  }

  /** The round itself, from `first` (the backlog's head, or a buffer that skipped it). */
  private processBacklog(first: SkBuff | null): void {
    const sched = this.machine.sched;
    const cpu = this.machine.cpu;
    let n = 0;
    this.running = true;
    for (let skb = first; skb !== null; skb = this.backlog.dequeue()) {
      netifReceiveSkb(this.machine, skb, skb.dev as NetDevice);
      if (++n === this.weight) break;
    }
    this.running = false;
    const done = cpu.charge(sched.now, n);
    if (this.backlog.qlen > 0) {
      this.timeSqueeze++;
      sched.schedule(done, this.handlerId, 0);
    } else {
      this.scheduled = false;
    }
  }

  /**
   * Frees what waits for `dev`, or everything (the device was closed, the host
   * torn down): each frame is a drop of its device (`rx_dropped`) and gets
   * that fate, as it reached the host.
   */
  purge(dev?: NetDevice): void {
    const keep: SkBuff[] = [];
    const now = this.machine.sched.now;
    for (let skb = this.backlog.dequeue(); skb !== null; skb = this.backlog.dequeue()) {
      if (dev === undefined || skb.dev === dev) {
        const d = skb.dev as NetDevice | null;
        const stats = d?.ops.getStats?.(d);
        if (stats) stats.rx_dropped++;
        this.machine.fates.recordSkb(skb, now, FATE_DEV_DROP);
        skb.free();
      } else keep.push(skb);
    }
    for (const skb of keep) this.backlog.enqueueTail(skb);
  }
}

/**
 * `__netif_receive_skb`: the packet taps see the buffer (tcpdump), then the
 * stack above the device gets it — or, for a device that is down or has no
 * stack, it is dropped and counted.
 */
export function netifReceiveSkb(machine: Machine, skb: SkBuff, dev: NetDevice): void {
  machine.softnet.processed++;
  if (!(dev.flags & IFF_UP) || dev.rxHandler === null) {
    const stats = dev.ops.getStats?.(dev);
    if (stats) stats.rx_dropped++;
    machine.fates.recordSkb(skb, machine.sched.now, FATE_DEV_DROP);
    skb.free();
    return;
  }
  // Packet sockets never see a looped-back copy (packet_rcv drops PACKET_LOOPBACK).
  if (skb.pktType !== PACKET_LOOPBACK)
    for (let i = 0; i < dev.taps.length; i++) dev.taps[i](skb, dev, false);
  dev.rxHandler(skb, dev);
}
