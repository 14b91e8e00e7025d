import { SingleBar } from 'cli-progress';
import { join } from 'node:path';
import { exportPcap, exportPcapng } from '../lab/capture/export';
import type { LabReport } from '../lab/report';
import type { LabSession } from '../lab/labfile/session';
import { SECOND } from '../lab/sim/time';
import type { UdpPort } from '../net/udp-port';
import { writeAtomically, writeFileAtomic } from '../files/atomic-file';
import { driverReportText } from './drivers';
import { durationOption, startSession } from './load-lab';
import { closePorts, openPorts, renderPorts, runWithPorts, type PortOptions } from './ports';
import { textTable } from './table';
import { forTerminal } from './terminal-text';
import { formatSize } from '../lab/labfile/units';

export interface RunOptions extends PortOptions {
  for: string;
  seed?: string;
  pcap?: string;
  pcapng?: string;
  json?: string;
  realtime?: boolean;
  captureLimit?: string;
}

/** `netlab run LAB`: runs the lab headless and prints (and writes) what it measured. */
export async function runCommand(labPath: string, opts: RunOptions): Promise<void> {
  const duration = durationOption('--for', opts.for);
  const session = startSession(labPath, opts.seed, opts.captureLimit);
  const ports = await openPorts(session, opts).catch((e) => {
    session.close();
    throw e;
  });
  try {
    // With ports the outside lives on the wall clock: real time at 1x, in 1 ms steps.
    if (ports.length > 0) await advanceWithPorts(session, ports, duration);
    else await advance(session, duration, opts.realtime === true);
    const report = session.report();
    const counters = ports.map((p) => p.counters());
    let text = renderReport(report);
    if (ports.length > 0) text += '\n\n' + renderPorts(counters);
    process.stdout.write(forTerminal(text) + '\n');
    const drivers = driverReportText(session.lab);
    if (drivers) process.stderr.write(forTerminal(drivers) + '\n');
    const capture = captureSummary(session);
    if (capture && capture.overwritten > 0)
      process.stderr.write(
        `netlab: the capture reached its limit of ${formatSize(capture.limit)}: its oldest ` +
          `${capture.overwritten} frames were overwritten (--capture-limit or the lab file's captureLimit raises it)\n`,
      );
    if (opts.json) {
      const json = {
        ...report,
        ...(capture ? { capture } : {}),
        ...(ports.length > 0 ? { ports: counters } : {}),
      };
      writeFileAtomic(opts.json, JSON.stringify(json, null, 2) + '\n');
    }
    if (opts.pcap) writePcaps(session, opts.pcap);
    if (opts.pcapng) writePcapng(session, opts.pcapng);
  } finally {
    await closePorts(ports);
    session.close();
  }
}

async function advanceWithPorts(
  session: LabSession,
  ports: UdpPort[],
  duration: number,
): Promise<void> {
  const bar = process.stderr.isTTY
    ? new SingleBar({
        format: 'netlab run [{bar}] {percentage}% | {value}/{total} ms in real time',
        stream: process.stderr,
      })
    : null;
  bar?.start(Math.round(duration / 1e6), 0);
  await runWithPorts(session, ports, duration, (ns) => bar?.update(Math.round(ns / 1e6)));
  bar?.stop();
}

/**
 * Runs `duration` of simulated time in slices, with a progress bar on a terminal. The benchmark
 * (bench/labs.ts) runs its lab files through this too, as `netlab run` does.
 */
export async function advance(
  session: LabSession,
  duration: number,
  realtime: boolean,
): Promise<void> {
  const slices = 100;
  const slice = Math.max(1, Math.ceil(duration / slices));
  const bar =
    process.stderr.isTTY && (duration > SECOND || realtime)
      ? new SingleBar({
          format: 'netlab run [{bar}] {percentage}% | {value}/{total} ms simulated',
          stream: process.stderr,
        })
      : null;
  bar?.start(Math.round(duration / 1e6), 0);
  const start = performance.now();
  const t0 = session.lab.now;
  while (session.lab.now - t0 < duration) {
    session.run(Math.min(slice, duration - (session.lab.now - t0)));
    bar?.update(Math.round((session.lab.now - t0) / 1e6));
    if (realtime) {
      // Keep the simulated clock no faster than the wall clock.
      const ahead = (session.lab.now - t0) / 1e6 - (performance.now() - start);
      if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead));
    }
  }
  bar?.stop();
}

function renderReport(r: LabReport): string {
  const devRows: (string | number)[][] = [];
  for (const [host, h] of Object.entries(r.hosts)) {
    for (const [dev, d] of Object.entries(h.devices)) {
      const s = d.stats ?? {};
      devRows.push([
        `${host}:${dev}`,
        d.nic.model,
        d.nic.filterMode,
        d.nic.framesIn,
        d.nic.framesFiltered,
        s.rx_packets ?? 0,
        s.rx_dropped ?? 0,
        s.rx_missed_errors ?? 0,
        s.tx_packets ?? 0,
        s.collisions ?? 0,
      ]);
    }
  }
  const parts = [
    `simulated ${(r.simTimeNs / 1e9).toFixed(6)} s; segment: ${r.segment.frames} frames, ` +
      `${r.segment.collisions} collisions, ${(r.segment.utilisation * 100).toFixed(1)}% utilisation`,
    '',
    textTable(
      [
        'interface',
        'nic',
        'filter',
        'nic in',
        'nic filtered',
        'rx_packets',
        'rx_dropped',
        'rx_missed',
        'tx_packets',
        'collisions',
      ],
      devRows,
    ),
  ];
  const fateRows = Object.entries(r.hosts).map(([host, h]) => [
    host,
    h.fates.delivered,
    h.fates.notJoined,
    h.fates.noSocket,
    h.fates.rcvbufFull,
    h.fates.ringFull,
    h.fates.backlogFull,
    h.snmp.Udp.InDatagrams,
    h.snmp.Udp.RcvbufErrors,
  ]);
  parts.push(
    '',
    textTable(
      [
        'host',
        'delivered',
        'not joined',
        'no socket',
        'rcvbuf full',
        'ring full',
        'backlog full',
        'Udp InDatagrams',
        'RcvbufErrors',
      ],
      fateRows,
    ),
  );
  if (r.sinks.length > 0) {
    const rows = r.sinks.map((s) => [
      s.name,
      s.host,
      s.group ?? '',
      s.port,
      s.received,
      s.lost,
      s.duplicated,
      s.reordered,
      ns(s.latencyNs.min),
      ns(s.latencyNs.mean),
      ns(s.latencyNs.max),
      ns(s.latencyNs.p99),
      ns(s.jitterNs),
    ]);
    parts.push(
      '',
      textTable(
        [
          'sink',
          'host',
          'group',
          'port',
          'received',
          'lost',
          'dup',
          'reordered',
          'lat min',
          'lat mean',
          'lat max',
          'lat p99',
          'jitter',
        ],
        rows,
      ),
    );
  }
  return parts.join('\n');
}

function ns(v: number | null): string {
  if (v === null) return '-';
  return v >= 1e6
    ? `${(v / 1e6).toFixed(2)} ms`
    : v >= 1e3
      ? `${(v / 1e3).toFixed(2)} us`
      : `${Math.round(v)} ns`;
}

/** What the capture holds against its limit, for the JSON report and the limit's notice. */
function captureSummary(
  session: LabSession,
): { frames: number; bytes: number; limit: number; overwritten: number } | null {
  const s = session.capture?.store;
  if (!s) return null;
  return { frames: s.count, bytes: s.bytes, limit: s.limits.maxBytes, overwritten: s.overwritten };
}

/**
 * One `HOST-DEV.pcap` per device point and `segment.pcap`, in `dir`. Two points may map to one
 * name (host `a-b` with `c`, host `a` with `b-c`; or names differing only in case, one file on
 * some file systems): the later gets `.2`, `.3`… before `.pcap`, and a notice says so.
 */
function writePcaps(session: LabSession, dir: string): void {
  const capture = session.capture;
  if (!capture) return;
  for (const { pointId, file } of pcapFileNames(capture.points.map((p) => p.name))) {
    if (file !== `${capture.points[pointId].name.replace(':', '-')}.pcap`)
      process.stderr.write(
        `netlab: ${capture.points[pointId].name} is written to ${file}: its usual name is taken by another capture point\n`,
      );
    writeAtomically(join(dir, file), (sink) => exportPcap(capture, sink, { pointId }));
  }
}

/** A distinct file name for each capture point (compared without case). */
export function pcapFileNames(points: string[]): { pointId: number; file: string }[] {
  const taken = new Set<string>();
  return points.map((name, pointId) => {
    const stem = name.replace(':', '-');
    let file = `${stem}.pcap`;
    for (let n = 2; taken.has(file.toLowerCase()); n++) file = `${stem}.${n}.pcap`;
    taken.add(file.toLowerCase());
    return { pointId, file };
  });
}

function writePcapng(session: LabSession, path: string): void {
  const capture = session.capture;
  if (!capture) return;
  writeAtomically(path, (sink) => exportPcapng(capture, sink));
}
