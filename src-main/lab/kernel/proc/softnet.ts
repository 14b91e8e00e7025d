import type { SoftnetData } from '../../drivers/softnet';
import { hex8 } from './printf';

/**
 * /proc/net/softnet_stat (`softnet_seq_show`): one line per CPU of 15 hex
 * columns (Linux 6.18); the lab's hosts have one CPU. processed = frames handed to the
 * protocols (NAPI polls and the backlog); dropped = `netif_rx` drops on a full
 * backlog; time_squeeze = rounds that ran out of budget with work left. The
 * columns Linux keeps for history (fastroute, cpu_collision), RPS and flow
 * limits are 0, then the backlog length, the CPU index, and the backlog split
 * into its input and process queues (the lab's one queue is all input).
 */
export function renderSoftnetStat(sd: SoftnetData): string {
  const cols = [
    sd.processed,
    sd.dropped,
    sd.timeSqueeze,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    sd.backlog.qlen,
    0,
    sd.backlog.qlen,
    0,
  ];
  return cols.map(hex8).join(' ') + '\n';
}
