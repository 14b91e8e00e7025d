import { Capture } from '../capture/capture';
import { NIC_MODEL_NAMES } from '../drivers/models';
import { captureRing, DEFAULT_CAPTURE_LIMIT } from '../capture/capture-limit';
import { SECOND } from '../sim/time';
import { buildLab } from '../labfile/build';
import { parseLabSpec } from '../labfile/load';
import { LabSession } from '../labfile/session';
import { auditLab, type LabAudit } from './fate-audit';

/**
 * The soak: 16 hosts on one 100 Mbps half-duplex segment, of every NIC model,
 * with three generators each at line rate (so the segment is saturated,
 * collides and backs off, and the senders' queues overflow), sinks that keep
 * up and sinks that do not (receive-buffer drops), a slow host (ring and
 * backlog drops), a capture of the segment as the app keeps one (whole
 * frames, in a ring within the default capture limit), run for simulated
 * minutes while the caller samples memory. Everything that holds buffers is
 * bounded, so the buffers outstanding must stay bounded and the heap flat.
 */

export const SOAK_HOSTS = 16;

const MODELS = NIC_MODEL_NAMES;

/** The soak lab as a lab file: what a user could write and run with `netlab run`. */
export function soakLabText(hosts = SOAK_HOSTS): string {
  const lines = [
    'name: soak',
    'description: 16 hosts, three generators at line rate, for simulated minutes',
    'seed: 16',
    'segment: { rate: 100Mbps, delay: 500ns, duplex: half }',
    'hosts:',
  ];
  for (let i = 0; i < hosts; i++) {
    const model = MODELS[i % MODELS.length];
    const card = `{ name: eth0, nic: ${model}, ip: 10.0.${i >> 8}.${(i % 254) + 1}/16${model === 'perfect' ? ', entries: 8' : ''} }`;
    lines.push(`  - name: h${i}`);
    // h3 is slow: its rings and backlog overflow under the flood.
    if (i === 3) lines.push('    cpu: { perFrame: 20us }');
    lines.push(`    interfaces: [${card}]`);
    // Every other host listens to the multicast flood; h5's reader is slow.
    if (i % 2 === 1) {
      const rate = i === 5 ? ', readRate: 1000pps' : '';
      lines.push(`    join: [{ group: 239.1.1.1, port: 5000${rate} }]`);
    }
  }
  lines.push(
    'generators:',
    // Three senders at line rate, mixed sizes: multicast, broadcast and unicast.
    '  - { name: mcast, from: h0, to: "239.1.1.1:5000", rate: 100Mbps, size: [18, 512, 1472] }',
    '  - { name: bcast, from: h2, to: "10.0.255.255:6000", rate: 100Mbps, size: [64, 1000] }',
    '  - { name: ucast, from: h4, to: "10.0.0.8:7000", rate: 100Mbps, size: [18, 1472] }',
    'sinks:',
    '  - { name: bsink, host: h6, port: 6000 }',
    '  - { name: usink, host: h7, port: 7000 }',
  );
  return lines.join('\n') + '\n';
}

export interface SoakSample {
  /** Simulated seconds. */
  simS: number;
  wallS: number;
  /** Buffers allocated and not yet freed. */
  outstanding: number;
  /** Their truesize, bytes. */
  poolBytes: number;
  /** What the caller's `memory` reported (heap used, bytes), or 0. */
  heap: number;
  framesOnWire: number;
  delivered: number;
  capturedHeld: number;
  /** Bytes of frames the capture holds (at most its limit) and frames it overwrote. */
  capturedBytes: number;
  overwritten: number;
}

export interface SoakResult {
  samples: SoakSample[];
  /** Buffers outstanding after teardown (must be 0). */
  outstandingAfterTeardown: number;
  peakOutstanding: number;
  audit: LabAudit;
  auditAfterTeardown: LabAudit;
  /** The capture's limit (bytes of frames). */
  captureLimit: number;
}

export interface SoakOptions {
  /** Simulated seconds to run. */
  seconds: number;
  /** Simulated seconds between samples. */
  every: number;
  /** Heap used now (after a full collection, if the caller can); called at each sample. */
  memory?: () => number;
  onSample?: (s: SoakSample) => void;
  /** Wall clock in ms (the lab core has none of its own). */
  now?: () => number;
}

export function runSoak(opts: SoakOptions): SoakResult {
  const parsed = parseLabSpec(soakLabText(), 'soak.yaml');
  if (!parsed.spec) throw new Error(`soak lab: ${parsed.errors[0].message}`);
  const session = new LabSession(buildLab(parsed.spec));
  const lab = session.lab;
  // A capture of the wire as the app keeps one: whole frames, a ring within the default limit.
  const capture = new Capture(
    [{ kind: 'segment', name: 'segment', segment: lab.segment }],
    lab.sched,
    { ring: captureRing(DEFAULT_CAPTURE_LIMIT) },
  );
  capture.start();
  const now = opts.now ?? (() => 0);
  const t0 = now();
  const samples: SoakSample[] = [];
  const sample = () => {
    let delivered = 0;
    for (const h of lab.hosts) delivered += h.machine.fates.totals[8];
    const s: SoakSample = {
      simS: lab.now / SECOND,
      wallS: (now() - t0) / 1000,
      outstanding: lab.pool.outstanding,
      poolBytes: lab.pool.bytes,
      heap: opts.memory?.() ?? 0,
      framesOnWire: lab.segment.stats.frames,
      delivered,
      capturedHeld: capture.store.count,
      capturedBytes: capture.store.bytes,
      overwritten: capture.store.overwritten,
    };
    samples.push(s);
    opts.onSample?.(s);
  };
  sample();
  const step = opts.every * SECOND;
  const end = opts.seconds * SECOND;
  while (lab.now < end) {
    session.run(Math.min(step, end - lab.now));
    sample();
  }
  // Frames may be in flight on the wire at any moment: only the per-host books are checked.
  const audit = auditLab(lab, [], { wholeRun: false, settled: false });
  const peakOutstanding = lab.pool.peakOutstanding;
  capture.stop();
  session.close();
  return {
    samples,
    outstandingAfterTeardown: lab.pool.outstanding,
    peakOutstanding,
    audit,
    auditAfterTeardown: auditLab(lab, [], { wholeRun: false, settled: false }),
    captureLimit: DEFAULT_CAPTURE_LIMIT,
  };
}
