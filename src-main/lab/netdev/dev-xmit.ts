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
  const xmit = dev.ops.hardStartXmit;
  if (dev.qdisc.qlen === 0 && !dev.txQueueStopped && !dev.txFrozen && xmit) {
    // __dev_xmit_skb's bypass (TCQ_F_CAN_BYPASS): an empty qdisc in front of a running queue
    // hands the buffer straight to the driver, as queueing it and running the qdisc would.
    skb.check('enqueue');
    xmitOne(skb, dev, xmit);
    return 0;
  }
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
    if (skb === null || !xmitOne(skb, dev, xmit)) return;
  }
}

/**
 * `sch_direct_xmit`: gives one buffer to the driver; false when the driver was busy and the
 * buffer went back to the head of the qdisc.
 */
function xmitOne(
  skb: SkBuff,
  dev: NetDevice,
  xmit: (skb: SkBuff, dev: NetDevice) => number,
): boolean {
  // dev_queue_xmit_nit: taps see the frame as it goes to the driver.
  for (let i = 0; i < dev.taps.length; i++) dev.taps[i](skb, dev, true);
  if (xmit(skb, dev) !== NETDEV_TX_BUSY) return true;
  dev.qdisc.enqueueHead(skb);
  return false;
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
