import { IFF_LOOPBACK } from '../netdev/flags';
import { NetDevice } from '../netdev/net-device';
import { netifCarrierOn, netifStartQueue } from '../netdev/dev-xmit';
import { NETDEV_TX_OK, type NetDeviceOps } from '../netdev/ops';
import { NetDeviceStats } from '../netdev/stats';
import type { SkBuff } from '../skb/sk-buff';
import { ethTypeTrans } from '../netdev/eth';
import type { Machine } from './machine';

/** Loopback's MTU since Linux 4.13 (`LOOPBACK_MTU`, 64 KiB). */
export const LOOPBACK_MTU = 65536;

/**
 * drivers/net/loopback.c: the host's `lo`. What it is given to send goes
 * straight back up its own receive path through the CPU's backlog
 * (`loopback_xmit` → `__netif_rx`); its statistics count each buffer once as
 * sent and once as received, by its length after the Ethernet header is
 * pulled. No card, no wire, no queue (`IFF_NO_QUEUE`: qdisc noqueue), no ARP
 * (its address is 00:00:00:00:00:00), no multicast list.
 */
export function createLoopback(machine: Machine): NetDevice {
  const stats = new NetDeviceStats();
  const ops: NetDeviceOps = {
    open(dev) {
      netifStartQueue(dev);
      return 0;
    },
    hardStartXmit(skb: SkBuff, dev) {
      // eth_type_trans (to 00:00:00:00:00:00, its own address): the header leaves the count.
      ethTypeTrans(skb, dev);
      skb.iif = dev.ifindex;
      skb.wireSeq = -1;
      const len = skb.len;
      if (machine.softnet.netifRx(skb, dev) === 0) {
        stats.tx_packets++;
        stats.tx_bytes += len;
        stats.rx_packets++;
        stats.rx_bytes += len;
      }
      return NETDEV_TX_OK;
    },
    getStats: () => stats,
  };
  const lo = new NetDevice('lo', ops);
  lo.type = 'loopback';
  lo.flags = IFF_LOOPBACK;
  lo.broadcast.fill(0);
  lo.mtu = LOOPBACK_MTU;
  lo.minMtu = 0;
  lo.maxMtu = 0;
  lo.noQueue = true;
  // loopback_setup: always "linked"; the probe never turns the carrier off.
  lo.carrierChanges = 0;
  netifCarrierOn(lo);
  lo.carrierChanges = 0;
  return lo;
}
