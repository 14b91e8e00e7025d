import type { SkBuff } from '../skb/sk-buff';
import { ENETDOWN, ENOBUFS } from './errno';
import { IFF_UP } from './flags';
import type { NetDevice } from './net-device';
import { NETDEV_TX_BUSY } from './ops';

/**
 * The transmit side of net/core/dev.c and the pfifo qdisc: buffers wait in the
 * device's FIFO until the driver's queue is awake, then go to `hardStartXmit`.
 */

/** `dev_queue_xmit`: takes ownership of `skb`. Returns 0, or -ENOBUFS/-ENETDOWN when dropped. */
export function devQueueXmit(skb: SkBuff, dev: NetDevice): number {
  if (!(dev.flags & IFF_UP)) {
    // __dev_queue_xmit's drop: dev_core_stats_tx_dropped_inc.
    const stats = dev.ops.getStats?.(dev);
    if (stats) stats.tx_dropped++;
    skb.free();
    return -ENETDOWN;
  }
  if (dev.qdisc.qlen >= dev.txQueueLen) {
    dev.qdiscDrops++;
    skb.free();
    return -ENOBUFS;
  }
  skb.dev = dev;
  dev.qdisc.enqueueTail(skb);
  qdiscRun(dev);
  return 0;
}

/** `qdisc_run`: feeds the driver until the qdisc is empty or the driver stops the queue. */
export function qdiscRun(dev: NetDevice): void {
  const xmit = dev.ops.hardStartXmit;
  if (!xmit) {
    // A device that cannot transmit: whatever is queued is dropped (and counted by the caller's qdisc).
    dev.qdiscDrops += dev.qdisc.purge();
    return;
  }
  while (!dev.txQueueStopped && !dev.txFrozen) {
    const skb = dev.qdisc.dequeue();
    if (skb === null) return;
    // dev_queue_xmit_nit: taps see the frame as it goes to the driver.
    for (let i = 0; i < dev.taps.length; i++) dev.taps[i](skb, dev, true);
    if (xmit(skb, dev) === NETDEV_TX_BUSY) {
      dev.qdisc.enqueueHead(skb);
      return;
    }
  }
}

/** `netif_start_queue`: the driver is ready to transmit (called from `open`). */
export function netifStartQueue(dev: NetDevice): void {
  dev.txQueueStopped = false;
}

/** `netif_stop_queue`: the driver's ring is full; the qdisc holds further buffers. */
export function netifStopQueue(dev: NetDevice): void {
  dev.txQueueStopped = true;
}

/** `netif_wake_queue`: room again; restarts the qdisc. */
export function netifWakeQueue(dev: NetDevice): void {
  if (!dev.txQueueStopped) return;
  dev.txQueueStopped = false;
  qdiscRun(dev);
}

/** Holds the transmit queue: buffers wait in the qdisc (see NetDevice.txFrozen). */
export function netifTxFreeze(dev: NetDevice): void {
  dev.txFrozen = true;
}

/** Releases a held queue: what waited goes to the driver, in order. */
export function netifTxThaw(dev: NetDevice): void {
  if (!dev.txFrozen) return;
  dev.txFrozen = false;
  qdiscRun(dev);
}

/** `netif_carrier_on`: a change counts in `carrier_changes` (ip -s -s link's transns). */
export function netifCarrierOn(dev: NetDevice): void {
  if (!dev.carrier) dev.carrierChanges++;
  dev.carrier = true;
}

export function netifCarrierOff(dev: NetDevice): void {
  if (dev.carrier) dev.carrierChanges++;
  dev.carrier = false;
}
