/**
 * `npm run bench:peers`: issue #9's P1 and P2 (8 hosts, one sender of 18-byte UDP multicast
 * datagrams at 100 Mbps or 1 Gbps line rate, 7 receiving sockets) in netlab, in ns-3's CSMA model
 * and in the real kernel (namespaces, veths, a bridge), in one invocation; prints each peer's
 * figures beside netlab's with the ratios, where the models differ, and the same as JSON (also
 * written to bench/peers/results/latest.json).
 *
 * PEERS_SECONDS=n sets the simulated seconds of netlab's and ns-3's runs (default 1);
 * PEERS_KERNEL_SECONDS=n the kernel's wall seconds per scenario (default 3).
 * --no-netlab, --no-ns3, --no-kernel leave a peer out.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { runStack, type StackParams, type StackResult } from '../stack';
import { buildKernel, buildNs3, here, Skip } from './build';
import { runKernel, type KernelResult } from './kernel';
import { runNs3, type Ns3Result } from './ns3';

const simSeconds = Number(process.env.PEERS_SECONDS ?? 1);
const kernelSeconds = Number(process.env.PEERS_KERNEL_SECONDS ?? 3);
const want = (peer: string) => !process.argv.includes(`--no-${peer}`);

const RECEIVERS = 7;
const SCENARIOS = [
  { name: 'P1: 8 hosts, 100 Mbps', bitRate: 100e6 },
  { name: 'P2: 8 hosts, 1 Gbps', bitRate: 1e9 },
];
/** Frames per second at line rate: a 64-byte frame plus preamble (8) and gap (12) = 672 bits. */
const lineRate = (bitRate: number) => bitRate / 672;

const round = (x: number, digits = 3) => +x.toFixed(digits);
const ratio = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b !== undefined && b > 0 ? round(a / b, 2) : undefined;

/** Runs `fn`, or records why it was skipped (Skip) or failed (anything else) and returns null. */
async function attempt<T>(
  peer: string,
  notes: string[],
  fn: () => T | Promise<T>,
): Promise<T | null> {
  if (!want(peer)) {
    notes.push(`${peer}: left out (--no-${peer})`);
    return null;
  }
  try {
    return await fn();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    notes.push(`${peer}: ${e instanceof Skip ? 'SKIPPED' : 'FAILED'}: ${msg}`);
    console.error(`${peer}: ${e instanceof Skip ? 'skipped' : 'failed'}: ${msg}`);
    return null;
  }
}

const notes: string[] = [];
/** Other work on this machine skews every wall-clock figure: record how busy it was. */
const loadBefore = loadavg()[0];

// Build first, so compiling never overlaps a measurement.
const ns3Bin = await attempt('ns3', notes, buildNs3);
const kernelBins = await attempt('kernel', notes, buildKernel);

// 1. netlab, in this process (a short run first to warm up the JIT, as `npm run bench` does).
/** Process CPU seconds from `runStack`'s start to the end of its measured run (`atEnd`). */
function cpuOfRun(p: StackParams): [StackResult, number] {
  const c0 = process.cpuUsage();
  let c = { user: 0, system: 0 };
  const r = runStack(p, () => (c = process.cpuUsage(c0)));
  return [r, (c.user + c.system) / 1e6];
}
const netlab = await attempt('netlab', notes, () =>
  SCENARIOS.map((s) => {
    const p: StackParams = {
      hosts: 8,
      bitRate: s.bitRate,
      seconds: simSeconds,
      senders: 1,
      model: 'perfect',
      capture: false,
    };
    runStack({ ...p, seconds: simSeconds / 10 });
    // The CPU time of setting up (hosts, IGMP joins, 10 ms of simulated time) is taken off.
    const [, setupCpu] = cpuOfRun({ ...p, seconds: 0 });
    const [r, cpu] = cpuOfRun(p);
    console.error(`netlab ${s.name}: ${r.socketDeliveries} deliveries in ${r.wallSeconds} s`);
    return { ...r, cpuSeconds: Math.max(cpu - setupCpu, 0) };
  }),
);

// 2. ns-3.
const ns3 = ns3Bin
  ? await attempt('ns3', notes, () =>
      SCENARIOS.map((s) => {
        const r: Ns3Result = runNs3(ns3Bin, s.bitRate, simSeconds);
        console.error(`ns-3 ${s.name}: ${r.deliveries} deliveries in ${r.wallSeconds} s`);
        return r;
      }),
    )
  : null;

// 3. The kernel, paced to each scenario's line rate.
const kernel = kernelBins
  ? await attempt('kernel', notes, async () => {
      const rs: KernelResult[] = await runKernel(
        kernelBins,
        SCENARIOS.map((s) => Math.round(lineRate(s.bitRate))),
        kernelSeconds,
      );
      rs.forEach((r, i) =>
        console.error(
          `kernel ${SCENARIOS[i].name}: ${r.delivered} deliveries in ${r.wallSeconds} s`,
        ),
      );
      return rs;
    })
  : null;

// 4. Side by side.
const rows = SCENARIOS.map((s, i) => {
  const n = netlab?.[i];
  const m = ns3?.[i];
  const k = kernel?.[i];
  const netlabPerSec = n ? Math.round(n.socketDeliveries / n.wallSeconds) : undefined;
  const ns3PerSec = m ? Math.round(m.deliveries / m.wallSeconds) : undefined;
  const kernelPerSec = k ? Math.round(k.delivered / k.wallSeconds) : undefined;
  return {
    scenario: s.name,
    netlabDeliveriesPerWallSec: netlabPerSec,
    netlabRealtimeFactor: n ? round(n.simSeconds / n.wallSeconds) : undefined,
    ns3DeliveriesPerWallSec: ns3PerSec,
    ns3RealtimeFactor: m ? round(m.simSeconds / m.wallSeconds) : undefined,
    kernelDeliveriesPerSec: kernelPerSec,
    /** The kernel's deliveries over the scenario's (7 receivers × line rate): 1.0 = keeps up. */
    kernelShareOfLineRate: k
      ? round(k.delivered / k.wallSeconds / (RECEIVERS * lineRate(s.bitRate)))
      : undefined,
    netlabOverNs3: ratio(netlabPerSec, ns3PerSec),
    netlabOverKernel: ratio(netlabPerSec, kernelPerSec),
    // Per CPU second of the simulator's own process: what other work on the machine skews least.
    netlabDeliveriesPerCpuSec: n ? Math.round(n.socketDeliveries / n.cpuSeconds) : undefined,
    ns3DeliveriesPerCpuSec: m ? Math.round(m.deliveries / m.cpuSeconds) : undefined,
    netlabOverNs3Cpu: ratio(
      n ? n.socketDeliveries / n.cpuSeconds : undefined,
      m ? m.deliveries / m.cpuSeconds : undefined,
    ),
    netlabCpuShare: n ? round(n.cpuSeconds / n.wallSeconds, 2) : undefined,
    ns3CpuShare: m ? round(m.cpuSeconds / m.wallSeconds, 2) : undefined,
  };
});

const details = SCENARIOS.map((s, i) => ({
  scenario: s.name,
  lineRateFramesPerSec: round(lineRate(s.bitRate), 0),
  netlab: netlab?.[i] ?? null,
  ns3: ns3?.[i] ?? null,
  kernel: kernel?.[i]
    ? {
        ...kernel[i],
        sentPerSec: Math.round(kernel[i].sent / kernel[i].wallSeconds),
        senderCpuShare: round(kernel[i].senderCpuSeconds / kernel[i].wallSeconds),
        lossShare: round(1 - kernel[i].delivered / (RECEIVERS * kernel[i].sent || 1)),
      }
    : null,
}));

const differences = [
  "ns-3's CsmaChannel counts no preamble and no inter-frame gap: a 64-byte frame holds it " +
    '5.12 µs at 100 Mbps (195,313 frames/s would fit), against 6.72 µs on real Ethernet and in ' +
    "netlab (148,810 frames/s). Our ns-3 sender is paced at netlab's line rate (one datagram " +
    'every 672 bit times), so at 100 Mbps both deliver the same 7 × 148,810 datagrams per ' +
    "simulated second and ns-3's channel is busy 5.12 + 0.5 µs of every 6.72.",
  "ns-3's CSMA model has no collisions: carrier sense is instantaneous and global, and a device " +
    'that finds the channel busy (transmitting, or propagating for the 500 ns delay after each ' +
    'frame) backs off; there is no collision detection or jam. Its devices have no multicast ' +
    'filter and there is no IGMP: the sender reaches 239.1.1.1 through a default multicast ' +
    'route and every node delivers it to its socket bound to port 5000. No NIC rings, ' +
    'interrupts, NAPI, socket buffer limits or per-frame CPU cost, all of which netlab models ' +
    '(500 ns of CPU per frame per host).',
  ...SCENARIOS.flatMap((s, i) => {
    const m = ns3?.[i];
    if (!m || m.framesOnWire >= 0.99 * m.framesSent) return [];
    const perSec = Math.round(m.framesOnWire / m.simSeconds);
    const share = m.framesOnWire / m.framesSent;
    return [
      `${s.name.split(':')[0]}: ns-3 put only ${m.framesOnWire.toLocaleString('en-US')} of ` +
        `${m.framesSent.toLocaleString('en-US')} datagrams on the channel ` +
        `(${perSec.toLocaleString('en-US')} frames per simulated second, ` +
        `${m.backoffs.toLocaleString('en-US')} backoffs): each frame holds its channel for ` +
        `${((m.frameBytes * 8e9) / s.bitRate).toFixed(0)} ns plus the 500 ns propagation delay, ` +
        'and the sender backs off when it finds it busy; the rest were dropped in its queue. ' +
        `Its realtime factor covers ${(share * 100).toFixed(0)}% of the deliveries per simulated ` +
        "second that netlab's does: compare deliveries per wall second.",
    ];
  }),
  'The kernel run is real time, not simulated: veths and the bridge have no bit rate, so the ' +
    "sender is paced to the scenario's line rate in frames per second. What it delivers is " +
    "bounded by the sender: the bridge's flooding and the 7 veth deliveries run in softirq on " +
    "the sender's CPU, and 8 processes share this machine's cores with whatever else runs. " +
    'Datagrams lost at full socket buffers show as rcvbufErrors.',
  "netlab's realtime factor is simulated seconds per wall second; ns-3's wall time is taken " +
    'inside the program around Simulator::Run() with a steady clock; neither counts setup. ' +
    'Wall-clock figures move with whatever else runs on the machine (see the load average); ' +
    "deliveries per CPU second of each simulator's process move much less.",
];

const fmt = (x: number | undefined) => (x === undefined ? '—' : x.toLocaleString('en-US'));
const loadAfter = loadavg()[0];
console.log(
  `\nPeers: P1/P2, ${simSeconds} simulated s (netlab, ns-3), ${kernelSeconds} wall s (kernel); ` +
    `load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`,
);
console.table(
  rows.map((r) => ({
    scenario: r.scenario,
    'netlab deliv/wall s': fmt(r.netlabDeliveriesPerWallSec),
    'netlab RTF': fmt(r.netlabRealtimeFactor),
    'ns-3 deliv/wall s': fmt(r.ns3DeliveriesPerWallSec),
    'ns-3 RTF': fmt(r.ns3RealtimeFactor),
    'kernel deliv/s': fmt(r.kernelDeliveriesPerSec),
    'netlab/ns-3': fmt(r.netlabOverNs3),
    'netlab/kernel': fmt(r.netlabOverKernel),
  })),
);
console.log("Per CPU second of the simulator's process (CPU share = CPU s / wall s):");
console.table(
  rows.map((r) => ({
    scenario: r.scenario,
    'netlab deliv/CPU s': fmt(r.netlabDeliveriesPerCpuSec),
    'netlab CPU share': fmt(r.netlabCpuShare),
    'ns-3 deliv/CPU s': fmt(r.ns3DeliveriesPerCpuSec),
    'ns-3 CPU share': fmt(r.ns3CpuShare),
    'netlab/ns-3 (CPU)': fmt(r.netlabOverNs3Cpu),
  })),
);
if (ns3) {
  console.log('ns-3 runs:');
  console.table(
    details.map((d) => ({
      scenario: d.scenario,
      'datagrams sent': fmt(d.ns3?.framesSent),
      'frames on wire': fmt(d.ns3?.framesOnWire),
      backoffs: fmt(d.ns3?.backoffs),
      deliveries: fmt(d.ns3?.deliveries),
      'deliv/sim s': fmt(d.ns3 ? Math.round(d.ns3.deliveries / d.ns3.simSeconds) : undefined),
      'wall s': fmt(d.ns3?.wallSeconds),
    })),
  );
}
if (kernel) {
  console.log('Kernel runs:');
  console.table(
    details.map((d, i) => ({
      scenario: d.scenario,
      'offered/s': fmt(d.kernel?.offeredPerSec),
      'sent/s': fmt(d.kernel?.sentPerSec),
      'share of line rate': fmt(rows[i].kernelShareOfLineRate),
      'sender CPU share': fmt(d.kernel?.senderCpuShare),
      delivered: fmt(d.kernel?.delivered),
      'loss share': fmt(d.kernel?.lossShare),
      rcvbufErrors: fmt(d.kernel?.rcvbufErrors),
    })),
  );
}
console.log('Where the models differ:');
for (const d of differences) console.log(`- ${d}`);
if (notes.length) {
  console.log('Not run:');
  for (const n of notes) console.log(`- ${n}`);
}

const figures = {
  node: process.version,
  date: new Date().toISOString().slice(0, 10),
  simSeconds,
  kernelSeconds,
  loadAverage: { before: round(loadBefore, 2), after: round(loadAfter, 2) },
  rows,
  details,
  differences,
  notes,
};
try {
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'latest.json'), JSON.stringify(figures, null, 2) + '\n');
} catch (e) {
  console.error(`cannot write bench/peers/results/latest.json: ${(e as Error).message}`);
}
console.log(JSON.stringify(figures));
