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
  const w = new PcapWriter(sink, { resolution: options.resolution ?? 'us' });
  w.writeHeader();
  const s = capture.store;
  let n = 0;
  for (let no = s.first; no <= s.last; no++) {
    if (options.pointId !== undefined && s.pointOf(no) !== options.pointId) continue;
    w.writePacket(wholeNs(s.timeOf(no)), s.data(no), 0, s.capturedLength(no), s.wireLength(no));
    n++;
  }
  w.end();
  return n;
}

/**
 * Streams a capture to pcapng: one interface per capture point (named
 * `HOST:DEV` or `segment`, nanosecond timestamps), each frame with its
 * direction and its fate as the packet comment.
 */
export function exportPcapng(capture: Capture, sink: ChunkSink): number {
  const w = new PcapngWriter(sink);
  w.writeHeader();
  for (const p of capture.points) {
    const description = p.kind === 'file' ? p.description : pointDescription(p.kind);
    w.addInterface(p.name, description === undefined ? {} : { description });
  }
  const s = capture.store;
  let n = 0;
  for (let no = s.first; no <= s.last; no++) {
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
