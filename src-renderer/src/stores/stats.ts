// Statistics as the engine pushes them (about ten `stats` events a second while the clock runs):
// the latest report and the one before (for deltas and rates), and rolling per-host series of
// rx/tx/drop rates for the charts. The series are plain arrays outside Vue's reactivity, updated
// in place; `tick` tells the charts that new points are there.
import { defineStore } from 'pinia';
import type { GeneratorView, HostNetView, PortView, Stats } from '../../../src-main/ipc/api';
import { useApi } from '../api';
import { onLabLoaded } from './lab';
import { dropCount, ratePerSecond } from '../lib/counters';
import { RollingSeries } from '../lib/series';
import { FATES } from '../../../src-main/lab/netdev/drop-reason';

/** The fates that are the kernel's drops past the driver: not in any device's counters. */
const KERNEL_DROPS = FATES.filter(
  (f) => f.kind === 'drop' && (f.layer === 'link' || f.layer === 'ip' || f.layer === 'transport'),
);

export type LabReport = Stats['report'];

export const CHART_METRICS = ['rx', 'tx', 'drops'] as const;
export type ChartMetric = (typeof CHART_METRICS)[number];

/** A host's totals over all its interfaces: what the charts plot rates of. */
export function hostTotals(report: LabReport, host: string): Record<ChartMetric, number> {
  const out = { rx: 0, tx: 0, drops: 0 };
  const h = report.hosts[host];
  if (!h) return out;
  for (const d of Object.values(h.devices)) {
    out.rx += d.stats?.['rx_packets'] ?? 0;
    out.tx += d.stats?.['tx_packets'] ?? 0;
    out.drops += dropCount(d.stats);
  }
  // Frames the kernel dropped after the card let them in count as drops too (the driver's own
  // drops are already in the device's rx_dropped).
  for (const def of KERNEL_DROPS) out.drops += h.fates[def.key] ?? 0;
  return out;
}

/**
 * One series per metric, a y column per host (in the store's `hosts` order). Plain arrays outside
 * Vue's reactivity, updated in place: the charts read them when `tick` moves.
 */
let series = newSeries([]);

function newSeries(hosts: string[]): Record<ChartMetric, RollingSeries> {
  return {
    rx: new RollingSeries(hosts),
    tx: new RollingSeries(hosts),
    drops: new RollingSeries(hosts),
  };
}

export function chartSeries(metric: ChartMetric): RollingSeries {
  return series[metric];
}

export const useStatsStore = defineStore('stats', {
  state: () => ({
    report: null as LabReport | null,
    previous: null as LabReport | null,
    generators: [] as GeneratorView[],
    /** The generators as the previous report had them (for their rates). */
    previousGenerators: [] as GeneratorView[],
    /** The lab's external ports with their counters, as last pushed (the lab's view until then). */
    ports: [] as PortView[],
    /** Each host's bridges, ip_forward and routes, as last pushed or read (empty until then). */
    net: {} as Record<string, HostNetView>,
    hosts: [] as string[],
    tick: 0,
  }),
  getters: {
    /** Simulated time between the last two reports. */
    dtNs: (s) => (s.report && s.previous ? s.report.simTimeNs - s.previous.simTimeNs : 0),
  },
  actions: {
    init(): void {
      useApi().on('stats', (stats) => this.receive(stats));
      onLabLoaded((view) => {
        this.report = null;
        this.ports = view.ports;
        this.net = {};
        void this.refresh().catch(() => {});
      });
    },

    async refresh(): Promise<void> {
      this.receive(await useApi().call('stats.get', {}));
    },

    receive(stats: Stats): void {
      const report = stats.report;
      this.ports = stats.ports;
      // A push carries only the hosts whose view changed: the others stay as they were.
      const net = stats.net ?? {};
      if (Object.keys(net).length > 0) this.net = { ...this.net, ...net };
      const hosts = Object.keys(report.hosts);
      const restarted =
        this.report === null ||
        report.simTimeNs < this.report.simTimeNs ||
        hosts.join() !== this.hosts.join();
      if (restarted) this.reset(hosts);
      else if (report.simTimeNs === this.report!.simTimeNs) {
        // A change while paused: same time, new values. Keep the previous sample for rates.
        this.report = report;
        this.generators = stats.generators;
        return;
      }
      const before = this.report;
      this.previous = restarted ? null : before;
      this.previousGenerators = restarted ? [] : this.generators;
      this.report = report;
      this.generators = stats.generators;
      if (before && !restarted) this.plot(before, report);
      this.tick++;
    },

    reset(hosts: string[]): void {
      this.hosts = hosts;
      this.previous = null;
      series = newSeries(hosts);
    },

    plot(before: LabReport, now: LabReport): void {
      const dt = now.simTimeNs - before.simTimeNs;
      const totalsBefore = this.hosts.map((h) => hostTotals(before, h));
      const totalsNow = this.hosts.map((h) => hostTotals(now, h));
      for (const metric of CHART_METRICS) {
        const values = this.hosts.map((_, i) =>
          ratePerSecond(totalsNow[i][metric], totalsBefore[i][metric], dt),
        );
        series[metric].push(now.simTimeNs / 1e9, values);
      }
    },
  },
});
