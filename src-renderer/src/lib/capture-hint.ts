// What the empty packet list says: the step that would fill it, and never one that cannot
// (Run does nothing for a capture with no points, or a stopped one).
import type { CaptureState } from '../../../src-main/ipc/api';

/** `segments`: the lab's, when it has several (Start with none named captures every one). */
export function emptyListHint(
  capture: CaptureState | null,
  labRunning: boolean,
  segments: readonly string[] = [],
): string {
  if (!capture) return 'No capture.';
  if (capture.filter) return 'No frame matches the filter.';
  if (capture.points.length === 0 && segments.length > 1)
    return `Nothing is captured: press Start to capture every segment (${segments.join(', ')}), or name capture points (${segments[0]}, h1:eth0).`;
  if (capture.points.length === 0)
    return 'Nothing is captured: name capture points (segment, h1:eth0) and press Start.';
  if (!capture.running) return 'The capture is stopped: press Start to capture again.';
  if (!labRunning) return 'No frames captured yet: press Run (or Step frame).';
  return 'No frames captured yet: the lab has sent none so far.';
}
