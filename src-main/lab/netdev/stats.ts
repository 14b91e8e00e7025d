/**
 * `struct net_device_stats`, field for field, by the kernel's names, so what
 * the lab shows matches /proc/net/dev and `ip -s link` on a real machine.
 */
export class NetDeviceStats {
  rx_packets = 0;
  tx_packets = 0;
  rx_bytes = 0;
  tx_bytes = 0;
  rx_errors = 0;
  tx_errors = 0;
  rx_dropped = 0;
  tx_dropped = 0;
  multicast = 0;
  collisions = 0;
  rx_length_errors = 0;
  rx_over_errors = 0;
  rx_crc_errors = 0;
  rx_frame_errors = 0;
  rx_fifo_errors = 0;
  rx_missed_errors = 0;
  tx_aborted_errors = 0;
  tx_carrier_errors = 0;
  tx_fifo_errors = 0;
  tx_heartbeat_errors = 0;
  tx_window_errors = 0;
}

export type NetDeviceStatName = keyof NetDeviceStats;

export const NET_DEVICE_STAT_NAMES = Object.keys(new NetDeviceStats()) as NetDeviceStatName[];
