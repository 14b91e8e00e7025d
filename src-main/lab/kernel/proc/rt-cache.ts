import type { Kernel } from '../kernel';
import { hex8 } from './printf';

const HEADER =
  'entries  in_hit   in_slow_tot in_slow_mc in_no_route in_brd   in_martian_dst in_martian_src ' +
  'out_hit  out_slow_tot out_slow_mc gc_total gc_ignored gc_goal_miss gc_dst_overflow ' +
  'in_hlist_search out_hlist_search\n';

/** The gaps after each column of `rt_cpu_seq_show`'s format string. */
const GAPS = [1, 1, 4, 3, 4, 1, 7, 7, 1, 5, 4, 1, 3, 5, 8, 8, 0];

/**
 * /proc/net/stat/rt_cache (`rt_cpu_seq_show`): a header, then one line of 17
 * hex columns per CPU (the lab's hosts have one). The lab keeps the input
 * counters it has events for (broadcast and multicast input, no route,
 * martians: kernel/rt-cache-stat.ts); it has no route cache, so the entries,
 * slow-path, output and garbage-collection columns are 0, and in_hit and the
 * gc and hlist columns are 0 in Linux too since its route cache went (3.6).
 */
export function renderRtCache(k: Kernel): string {
  const s = k.rtStat;
  const cols = [
    0,
    0,
    0,
    s.inSlowMc,
    s.inNoRoute,
    s.inBrd,
    s.inMartianDst,
    s.inMartianSrc,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ];
  return HEADER + cols.map((c, i) => hex8(c) + ' '.repeat(GAPS[i])).join('') + '\n';
}
