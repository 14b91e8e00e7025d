import { devGetStats } from '../../netdev/dev';
import type { NetDevice } from '../../netdev/net-device';
import { NetDeviceStats } from '../../netdev/stats';
import type { Kernel } from '../kernel';
import { right } from './printf';

/**
 * One device's line of /proc/net/dev, as `dev_seq_printf_stats` folds
 * `net_device_stats` into it: missed frames (ring overflows) count as drops,
 * the four framing errors share the frame column, and the four carrier-like
 * transmit errors share the carrier column. ifconfig reads these same
 * columns, so it shows the same folded numbers.
 */
export interface NetDevColumns {
  rxBytes: number;
  rxPackets: number;
  rxErrs: number;
  rxDrop: number;
  rxFifo: number;
  rxFrame: number;
  rxCompressed: number;
  multicast: number;
  txBytes: number;
  txPackets: number;
  txErrs: number;
  txDrop: number;
  txFifo: number;
  colls: number;
  carrier: number;
  txCompressed: number;
}

export function netDevColumns(dev: NetDevice): NetDevColumns {
  // A device without get_stats shows zeros, as Linux's dev_get_stats would.
  const s = devGetStats(dev) ?? new NetDeviceStats();
  return {
    rxBytes: s.rx_bytes,
    rxPackets: s.rx_packets,
    rxErrs: s.rx_errors,
    rxDrop: s.rx_dropped + s.rx_missed_errors,
    rxFifo: s.rx_fifo_errors,
    rxFrame: s.rx_length_errors + s.rx_over_errors + s.rx_crc_errors + s.rx_frame_errors,
    rxCompressed: 0,
    multicast: s.multicast,
    txBytes: s.tx_bytes,
    txPackets: s.tx_packets,
    txErrs: s.tx_errors,
    txDrop: s.tx_dropped,
    txFifo: s.tx_fifo_errors,
    colls: s.collisions,
    carrier: s.tx_carrier_errors + s.tx_aborted_errors + s.tx_window_errors + s.tx_heartbeat_errors,
    txCompressed: 0,
  };
}

const HEADER =
  'Inter-|   Receive                                                |  Transmit\n' +
  ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';

/** /proc/net/dev: two header lines, then `%6s: %7llu %7llu %4llu …` per device. */
export function renderNetDev(k: Kernel): string {
  let out = HEADER;
  for (const dev of k.devices) {
    const c = netDevColumns(dev);
    out +=
      `${right(dev.name, 6)}: ${right(c.rxBytes, 7)} ${right(c.rxPackets, 7)} ` +
      `${right(c.rxErrs, 4)} ${right(c.rxDrop, 4)} ${right(c.rxFifo, 4)} ${right(c.rxFrame, 5)} ` +
      `${right(c.rxCompressed, 10)} ${right(c.multicast, 9)} ` +
      `${right(c.txBytes, 8)} ${right(c.txPackets, 7)} ${right(c.txErrs, 4)} ` +
      `${right(c.txDrop, 4)} ${right(c.txFifo, 4)} ${right(c.colls, 5)} ` +
      `${right(c.carrier, 7)} ${right(c.txCompressed, 10)}\n`;
  }
  return out;
}
