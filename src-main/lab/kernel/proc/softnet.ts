import type { EtherNic } from '../../drivers/ether-nic';
import { hex8 } from './printf';

/**
 * /proc/net/softnet_stat (`softnet_seq_show`): one line per CPU of 13 hex
 * columns. The lab's hosts have one CPU. Derived from the NICs, since every
 * frame the lab's stack processes comes up through a NIC's NAPI poll:
 * processed = frames the NICs handed up; dropped = backlog overflows (the
 * drivers use NAPI, never the backlog, so 0); time_squeeze = polls that used
 * their whole budget with work left. The columns Linux keeps for history
 * (fastroute, cpu_collision), RPS and flow limits are 0, then the backlog
 * length (0) and the CPU index.
 */
export function renderSoftnetStat(nics: readonly EtherNic[]): string {
  let processed = 0;
  let squeezed = 0;
  for (const nic of nics) {
    processed += nic.stats.rx_packets;
    squeezed += nic.hw.budgetExhausted;
  }
  const cols = [processed, 0, squeezed, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  return cols.map(hex8).join(' ') + '\n';
}
