import { Capture, type CapturePoint } from '../capture/capture';
import { captureRing } from '../capture/capture-limit';
import type { Lab } from '../lab';
import type { Segment } from '../segment/segment';
import { labReport, type LabReport } from '../report';
import { Generator } from '../traffic/generator';
import { Sink } from '../traffic/sink';
import type { BuiltLab } from './build';

function segmentPoint(segment: Segment): CapturePoint {
  return { kind: 'segment', name: segment.name, segment };
}

/**
 * A lab file brought to life: the built lab with its generators started, its
 * sinks listening and its capture points capturing, in the file's order so
 * one seed gives one run. What the CLI runs and the engine will host.
 */
export class LabSession {
  readonly generators: Generator[];
  readonly sinks: Sink[];
  /** One capture over every capture point the file lists, or null when it lists none. */
  readonly capture: Capture | null;

  constructor(readonly built: BuiltLab) {
    const lab = built.lab;
    this.sinks = built.sinks.map(
      (p) =>
        new Sink(p.host, {
          name: p.name,
          port: p.port,
          group: p.group ?? undefined,
          dev: p.nic.dev.name,
          readRate: p.readRate,
        }),
    );
    this.generators = built.generators.map(
      (p, id) =>
        new Generator(p.host, {
          id,
          name: p.name,
          to: p.dest,
          port: p.port,
          pattern: p.pattern,
          // A generator given only a count sends at the segment's line rate.
          ...(p.rate === undefined
            ? { bps: lab.segment.bitRate }
            : 'pps' in p.rate
              ? { pps: p.rate.pps }
              : { bps: p.rate.bitsPerSecond }),
          size: p.sizes,
          count: p.count,
          start: p.startNs,
          stop: p.stopNs === Infinity ? undefined : p.stopNs,
          onNs: p.onNs || undefined,
          offNs: p.offNs || undefined,
          dev: p.nic.dev.name,
        }),
    );
    const points: CapturePoint[] = built.captures.map((c) =>
      c.kind === 'segment'
        ? segmentPoint(c.segment === undefined ? lab.segment : lab.segmentByName(c.segment))
        : {
            kind: 'device',
            name: `${c.host.name}:${c.nic.dev.name}`,
            host: c.host,
            dev: c.nic.dev,
          },
    );
    // A ring within the file's captureLimit (or the default): a long run holds no more.
    const ring = captureRing(built.spec.captureLimit);
    this.capture = points.length > 0 ? new Capture(points, lab.sched, { ring }) : null;
    this.capture?.start();
  }

  get lab(): Lab {
    return this.built.lab;
  }

  run(ns: number): void {
    this.lab.run(ns);
  }

  /**
   * Every counter now, with each sink's results. A sink is told what the
   * generators aimed at it sent (its group and port, or its host's address),
   * so datagrams lost after the last one it received count as lost too.
   */
  report(): LabReport {
    const sinks = this.built.sinks.map((plan, i) => {
      const aimed = this.built.generators
        .map((g, id) => ({ g, gen: this.generators[id] }))
        .filter(
          ({ g }) =>
            g.port === plan.port &&
            (plan.group !== null ? g.dest === plan.group : this.reaches(g.dest, plan.host)),
        )
        .map(({ gen }) => gen);
      return this.sinks[i].results(aimed);
    });
    return labReport(this.lab.now, this.lab.hosts, this.lab.segments, sinks);
  }

  /** Does unicast or broadcast traffic to `dest` reach `host`? */
  private reaches(dest: number, host: BuiltLab['sinks'][number]['host']): boolean {
    return host.kernel.local.isLocalOrBroadcast(dest);
  }

  /** Stops the applications and the capture and closes everything: no buffer is left outstanding. */
  close(): void {
    for (const g of this.generators) g.close();
    for (const s of this.sinks) s.close();
    this.capture?.stop();
    this.lab.teardown();
  }
}
