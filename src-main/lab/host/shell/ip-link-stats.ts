import { devGetStats } from '../../netdev/dev';
import type { NetDevice } from '../../netdev/net-device';
import { NetDeviceStats } from '../../netdev/stats';

/** `ip`'s global options that change how links print: `-s` (repeatable) and `-d`. */
export interface IpOptions {
  /** How many times -s was given (`show_stats`). */
  stats: number;
  /** -d: `show_details`. */
  details: boolean;
}

export const NO_IP_OPTIONS: IpOptions = { stats: 0, details: false };

/** `size_columns`: each column as wide as its header slot or its widest number. */
function sizeColumns(cols: number[], ...values: number[]): void {
  values.forEach((v, i) => (cols[i] = Math.max(cols[i], String(v).length)));
}

/** `print_num`: `%*llu ` */
const num = (width: number, n: number) => `${String(n).padStart(width)} `;
const pad = (width: number, s: string) => s.padStart(width);

/**
 * iproute2 6.1's `print_link_stats64` for one link: the RX and TX lines of
 * `ip -s link`, and with `-s -s` the error breakdowns (the columns share their
 * widths, sized by every number shown). `transns` is the carrier changes.
 */
export function linkStatsLines(dev: NetDevice, level: number): string[] {
  const s = devGetStats(dev) ?? new NetDeviceStats();
  const cc = dev.carrierChanges;
  const cols = ['*X errors:', 'packets', 'errors', 'dropped', 'heartbt', 'overrun', 'compressed']
    .map((h) => h.length)
    .concat('otherhost'.length);
  sizeColumns(
    cols,
    s.rx_bytes,
    s.rx_packets,
    s.rx_errors,
    s.rx_dropped,
    s.rx_missed_errors,
    s.multicast,
  );
  if (level > 1)
    sizeColumns(
      cols,
      0,
      s.rx_length_errors,
      s.rx_crc_errors,
      s.rx_frame_errors,
      s.rx_fifo_errors,
      s.rx_over_errors,
    );
  sizeColumns(
    cols,
    s.tx_bytes,
    s.tx_packets,
    s.tx_errors,
    s.tx_dropped,
    s.tx_carrier_errors,
    s.collisions,
  );
  if (level > 1)
    sizeColumns(
      cols,
      0,
      0,
      s.tx_aborted_errors,
      s.tx_fifo_errors,
      s.tx_window_errors,
      s.tx_heartbeat_errors,
      cc,
    );
  const [c0, c1, c2, c3, c4, c5, c6] = cols;
  const lines = [
    `    RX: ${pad(c0 - 4, 'bytes')} ${pad(c1, 'packets')} ${pad(c2, 'errors')} ${pad(c3, 'dropped')} ${pad(c4, 'missed')} ${pad(c5, 'mcast')} ${pad(c6, '')}`,
    `    ${num(c0, s.rx_bytes)}${num(c1, s.rx_packets)}${num(c2, s.rx_errors)}${num(c3, s.rx_dropped)}${num(c4, s.rx_missed_errors)}${num(c5, s.multicast)}`,
  ];
  if (level > 1)
    lines.push(
      `    RX errors:${pad(c0 - 10, '')} ${pad(c1, 'length')} ${pad(c2, 'crc')} ${pad(c3, 'frame')} ${pad(c4, 'fifo')} ${pad(c5, 'overrun')}`,
      `    ${pad(c0, '')} ${num(c1, s.rx_length_errors)}${num(c2, s.rx_crc_errors)}${num(c3, s.rx_frame_errors)}${num(c4, s.rx_fifo_errors)}${num(c5, s.rx_over_errors)}`,
    );
  lines.push(
    `    TX: ${pad(c0 - 4, 'bytes')} ${pad(c1, 'packets')} ${pad(c2, 'errors')} ${pad(c3, 'dropped')} ${pad(c4, 'carrier')} ${pad(c5, 'collsns')} ${pad(c6, '')}`,
    `    ${num(c0, s.tx_bytes)}${num(c1, s.tx_packets)}${num(c2, s.tx_errors)}${num(c3, s.tx_dropped)}${num(c4, s.tx_carrier_errors)}${num(c5, s.collisions)}`,
  );
  if (level > 1)
    lines.push(
      `    TX errors:${pad(c0 - 10, '')} ${pad(c1, 'aborted')} ${pad(c2, 'fifo')} ${pad(c3, 'window')} ${pad(c4, 'heartbt')} ${pad(c5, 'transns')}`,
      `    ${pad(c0, '')} ${num(c1, s.tx_aborted_errors)}${num(c2, s.tx_fifo_errors)}${num(c3, s.tx_window_errors)}${num(c4, s.tx_heartbeat_errors)}${num(c5, cc)}`,
    );
  return lines;
}

/**
 * What `ip -d link` adds to the link/ether line (`print_linkinfo`): the
 * promiscuity and allmulti counters — how many parties want each, where the
 * flags show only what the user asked for — and the MTU limits, then the
 * queue and offload limits of a plain Ethernet card (one queue each way, no TSO).
 */
/** A bridge's first details (its `bridge …` line follows on its own): ip-link-bridge.ts. */
export function bridgeLinkDetails(dev: NetDevice): string {
  return ` promiscuity ${dev.promiscuity}  allmulti ${dev.allmulti} minmtu ${dev.minMtu} maxmtu ${dev.maxMtu} `;
}

export function linkDetails(dev: NetDevice): string {
  return (
    ` promiscuity ${dev.promiscuity}  allmulti ${dev.allmulti} minmtu ${dev.minMtu} maxmtu ${dev.maxMtu} ` +
    'numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 ' +
    'tso_max_segs 65535 gro_max_size 65536 '
  );
}
