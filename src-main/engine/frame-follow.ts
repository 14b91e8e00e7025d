// `capture.follow`: a captured frame followed across the segment. The frame's number on the wire
// (which the segment's capture and every receiving host's capture store with it) names it in the
// segment's log and in each host's fate records; lab/follow.ts says what became of it at each
// station, and this finds each station's own captured copy so the window can jump to it.
import type { Capture } from '../lab/capture/capture';
import { apiError } from '../ipc/errors';
import { DIR_OUT } from '../lab/capture/frame-store';
import { followAcrossBridges, followWireFrame, type SocketNamer } from '../lab/follow';
import type { Lab } from '../lab/lab';
import { WIRE_OK, type Segment } from '../lab/segment/segment';
import type { CapturedCopy, FrameFollow } from '../ipc/follow-view';

/** Frames looked at for the copies of one frame at most (a capture may hold millions). */
const SCAN_LIMIT = 200_000;
/** How long after it went on the wire a host may still capture a frame (a deep backlog). */
const CAPTURE_WINDOW_NS = 1e9;

export function followCaptured(
  lab: Lab,
  capture: Capture,
  no: number,
  /** The frame's position in the packet list as displayed, or null when it is not shown. */
  position: (no: number) => number | null,
  socketName: SocketNamer,
): FrameFollow {
  const s = capture.store;
  const point = capture.points[s.pointOf(no)];
  if (point.kind === 'file')
    throw apiError(
      'refused',
      `frame ${no} was read from a file: the lab has no record of it at other hosts`,
      'args.no',
    );
  const sentHere = point.kind === 'device' && s.directionOf(no) === DIR_OUT;
  // Frame numbers are per segment: the point's own segment (a card's: where its cable goes).
  const segment = segmentOf(lab, point) ?? lab.segment;
  const seq = sentHere ? wireCopyOf(lab, capture, no, segment) : s.wireSeqOf(no);
  const wire = followWireFrame(lab, seq, socketName, segment);
  if (!wire)
    throw apiError(
      'refused',
      `frame ${no} went by too long ago: the segment remembers its last 65,536 frames`,
      'args.no',
    );
  const copies = copiesOf(lab, capture, seq, wire.startNs, segment);
  const copy = (n: number | undefined): CapturedCopy | null =>
    n === undefined ? null : { no: n, index: position(n) };
  const segmentPoint = capture.points.findIndex(
    (p) => p.kind === 'segment' && p.segment === segment,
  );
  // The bridges' and routers' copies on the next segments (the first hop is this frame itself),
  // each with its copies in that segment's capture points, found as the first segment's are.
  const hops = followAcrossBridges(lab, seq, socketName, segment)
    .slice(1)
    .map((h) => {
      const seg = lab.segments.find((x) => x.name === h.segment);
      const got = seg ? copiesOf(lab, capture, h.seq, h.startNs, seg) : new Map<number, number>();
      const segPoint = capture.points.findIndex((p) => p.kind === 'segment' && p.segment === seg);
      return {
        segment: h.segment,
        seq: h.seq,
        outcome: h.outcome,
        sender: h.sender,
        segmentCopy: copy(got.get(segPoint)),
        stations: h.stations.map((st) => {
          const id =
            st.host === null
              ? -1
              : capture.points.findIndex(
                  (p) => p.name === `${st.host}:${st.dev}` && p.kind === 'device',
                );
          return {
            host: st.host,
            dev: st.dev,
            fate: st.fate,
            detail: st.detail,
            captured: id < 0 ? null : copy(got.get(id)),
          };
        }),
      };
    });
  return {
    no,
    segmentName: segment.name,
    hops,
    seq,
    outcome: wire.outcome,
    sender: wire.sender,
    destination: wire.destination,
    startNs: wire.startNs,
    endNs: Number.isNaN(wire.endNs) ? null : wire.endNs,
    segment: copy(copies.get(segmentPoint)),
    stations: wire.stations.map((st) => {
      const name = `${st.host}:${st.dev}`;
      const id = capture.points.findIndex((p) => p.kind === 'device' && p.name === name);
      const n = sentHere && name === point.name ? no : copies.get(id);
      return { ...st, captured: id < 0 ? null : copy(n) };
    }),
  };
}

/**
 * The wire number of a frame a host's capture saw it send. The stack hands a frame to the card
 * before the wire numbers it, so it is found in the segment's capture: the first frame there,
 * after it, from the same card, that got through and whose bytes begin with the sent frame's (the
 * card only pads it).
 */
function wireCopyOf(lab: Lab, capture: Capture, no: number, segment: Segment): number {
  const s = capture.store;
  const segmentPoint = capture.points.findIndex(
    (p) => p.kind === 'segment' && p.segment === segment,
  );
  const point = capture.points[s.pointOf(no)];
  const where = point.name;
  const card = point.kind === 'device' ? point.host.nics.find((n) => n.dev === point.dev) : null;
  if (segmentPoint < 0)
    throw apiError(
      'refused',
      `frame ${no} is ${where} sending it, and the wire numbers a frame only as it goes out: capture the segment too to follow it`,
      'args.no',
    );
  const sent = s.data(no);
  const last = Math.min(s.last, no + SCAN_LIMIT);
  for (let n = no + 1; n <= last; n++) {
    if (s.pointOf(n) !== segmentPoint || s.timeOf(n) > s.timeOf(no) + CAPTURE_WINDOW_NS) continue;
    const seq = s.wireSeqOf(n);
    const wire = segment.wireLog.find(seq);
    // A collided attempt is a wire frame of its own: the one that got through is wanted.
    if (!wire || wire.outcome !== WIRE_OK || segment.stations[wire.sender]?.mac !== card) continue;
    const bytes = s.data(n);
    if (bytes.length >= sent.length && sent.every((b, i) => bytes[i] === b)) return seq;
  }
  throw apiError(
    'refused',
    `frame ${no} (${where} sending it) is not in the segment's capture yet: run on a little`,
    'args.no',
  );
}

/** The segment a capture point is on: its own, or its card's cable's. */
function segmentOf(lab: Lab, point: Capture['points'][number]): Segment | null {
  if (point.kind === 'segment') return point.segment;
  if (point.kind !== 'device') return null;
  const nic = point.host.nics.find((n) => n.dev === point.dev);
  return (
    (nic && point.host.cableOf(nic)?.segment) ?? (lab.segments.length === 1 ? lab.segment : null)
  );
}

/** Copies of wire frame `seq` of `segment` by capture point (received copies and the segment's). */
function copiesOf(
  lab: Lab,
  capture: Capture,
  seq: number,
  startNs: number,
  segment: Segment,
): Map<number, number> {
  const s = capture.store;
  const found = new Map<number, number>();
  // Another segment's frame may carry the same number: only points on this one count.
  const onIt = capture.points.map((p) => segmentOf(lab, p) === segment);
  let n = firstAtOrAfter(capture, startNs);
  const last = Math.min(s.last, n + SCAN_LIMIT);
  for (; n <= last && s.timeOf(n) <= startNs + CAPTURE_WINDOW_NS; n++) {
    if (
      s.wireSeqOf(n) === seq &&
      onIt[s.pointOf(n)] &&
      s.directionOf(n) !== DIR_OUT &&
      !found.has(s.pointOf(n))
    )
      found.set(s.pointOf(n), n);
  }
  return found;
}

/** The first frame held captured at or after `time` (frames are stored in time order). */
function firstAtOrAfter(capture: Capture, time: number): number {
  const s = capture.store;
  let lo = s.first;
  let hi = s.last + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (s.timeOf(mid) < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
