// Capture points in a lab of several segments: which segment each is on (a segment's own point is
// its name; a card's, `h1:eth0`, is on the segment its cable goes to), so the window can say so.
import type { LabView } from '../../../src-main/ipc/api';

type LabShape = Pick<LabView, 'segments' | 'hosts'>;

/** The segment a capture point is on, or null (a point from a file, a card with no cable). */
export function pointSegment(lab: LabShape, point: string): string | null {
  if (lab.segments.some((s) => s.name === point)) return point;
  const [host, dev] = point.split(':');
  if (dev === undefined) return null;
  return (
    lab.hosts.find((h) => h.name === host)?.interfaces.find((i) => i.name === dev)?.segment ?? null
  );
}

/** `h1:eth0 (lan1)` in a lab of several segments; the point's own name otherwise. */
export function pointLabel(lab: LabShape, point: string): string {
  if (lab.segments.length < 2) return point;
  const seg = pointSegment(lab, point);
  return seg === null || seg === point ? point : `${point} (${seg})`;
}

/** The capture points that are segments, in the lab's order. */
export function segmentPoints(lab: LabShape, points: readonly string[]): string[] {
  return lab.segments.map((s) => s.name).filter((name) => points.includes(name));
}
