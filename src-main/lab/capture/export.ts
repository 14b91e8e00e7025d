import type { Capture } from './capture';
import { DIR_IN, DIR_OUT } from './frame-store';
import {
  DIRECTION_INBOUND,
  DIRECTION_OUTBOUND,
  DIRECTION_UNKNOWN,
  PcapngWriter,
  PcapWriter,
  type ChunkSink,
} from './format';

/** Frames an export writes between two yields, when it runs in slices (see `pcapExport`). */
export const EXPORT_BATCH = 1024;

/**
 * Streams a capture's frames (those of one capture point, or all) to a
 * classic pcap file: LINKTYPE_ETHERNET, microsecond or nanosecond timestamps.
 * Returns the number of frames written.
 */
export function exportPcap(
  capture: Capture,
  sink: ChunkSink,
  options: { resolution?: 'us' | 'ns'; pointId?: number } = {},
): number {
  return drain(pcapExport(capture, sink, options));
}

/** Streams a capture to pcapng (see `pcapngExport`). Returns the number of frames written. */
export function exportPcapng(capture: Capture, sink: ChunkSink): number {
  return drain(pcapngExport(capture, sink));
}

/**
 * Which frames an export writes: those of one capture point (`pointId`) and/or those `include`
 * accepts (the displayed ones, the selected one); all frames held without either.
 */
export interface ExportSelection {
  pointId?: number;
  include?: (no: number) => boolean;
}

/**
 * `exportPcap` as a generator that yields every EXPORT_BATCH frames, so a host can write a big
 * capture in slices and answer other requests between them. It writes the frames held when it
 * starts; frames captured meanwhile are not in the file. If the capture lets go of a frame not
 * yet written (a ring overwrote it, or the capture was cleared), it throws rather than write a
 * file with a hole.
 */
export function* pcapExport(
  capture: Capture,
  sink: ChunkSink,
  options: { resolution?: 'us' | 'ns' } & ExportSelection = {},
): Generator<void, number> {
  const w = new PcapWriter(sink, { resolution: options.resolution ?? 'us' });
  w.writeHeader();
  const s = capture.store;
  const last = s.last;
  let n = 0;
  for (let no = s.first; no <= last; no++) {
    if (no % EXPORT_BATCH === 0) {
      yield;
      stillHeld(capture, no);
    }
    if (options.pointId !== undefined && s.pointOf(no) !== options.pointId) continue;
    if (options.include && !options.include(no)) continue;
    w.writePacket(wholeNs(s.timeOf(no)), s.data(no), 0, s.capturedLength(no), s.wireLength(no));
    n++;
  }
  w.end();
  return n;
}

/**
 * Streams a capture to pcapng: one interface per capture point (named
 * `HOST:DEV` or `segment`, nanosecond timestamps), each frame with its
 * direction and its fate as the packet comment. Yields as `pcapExport` does.
 */
export function* pcapngExport(
  capture: Capture,
  sink: ChunkSink,
  options: ExportSelection = {},
): Generator<void, number> {
  const w = new PcapngWriter(sink);
  w.writeHeader();
  for (const p of capture.points) {
    const description = p.kind === 'file' ? p.description : pointDescription(p.kind);
    w.addInterface(p.name, description === undefined ? {} : { description });
  }
  const s = capture.store;
  const last = s.last;
  let n = 0;
  for (let no = s.first; no <= last; no++) {
    if (no % EXPORT_BATCH === 0) {
      yield;
      stillHeld(capture, no);
    }
    if (options.pointId !== undefined && s.pointOf(no) !== options.pointId) continue;
    if (options.include && !options.include(no)) continue;
    const dir = s.directionOf(no);
    const flags =
      dir === DIR_IN ? DIRECTION_INBOUND : dir === DIR_OUT ? DIRECTION_OUTBOUND : DIRECTION_UNKNOWN;
    const data = s.data(no);
    w.writePacket(
      s.pointOf(no),
      wholeNs(s.timeOf(no)),
      data,
      0,
      data.length,
      s.wireLength(no),
      capture.fateOf(no),
      flags,
    );
    n++;
  }
  w.end();
  return n;
}

/** Runs an export to its end at once. */
function drain(exporting: Generator<void, number>): number {
  for (;;) {
    const step = exporting.next();
    if (step.done) return step.value;
  }
}

function stillHeld(capture: Capture, no: number): void {
  if (no < capture.store.first)
    throw new Error(
      `frame ${no} was let go before it was written (the capture was cleared, or its ring overwrote it): stop or pause the capture while exporting`,
    );
}

/**
 * Capture files hold whole nanoseconds; a generator's rate (6,720.003 ns per
 * datagram) can put the simulated clock between two.
 */
function wholeNs(t: number): number {
  return Math.round(t);
}

function pointDescription(kind: 'device' | 'segment'): string {
  return kind === 'device' ? 'netlab device capture (what the stack sees)' : 'netlab segment tap';
}
